"""Analyses built on solves: what-ifs, sweeps, explanations, scenarios, alternatives."""
