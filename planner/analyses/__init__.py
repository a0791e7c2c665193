"""Analyses built on solved plans: the audit of a financing plan, why money stays unspent."""
