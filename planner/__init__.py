"""Optimal multi-year investment plans for national HPC capacity."""

__version__ = "0.1.0"
