"""Showing plans and analyses: the terminal and report pages."""
