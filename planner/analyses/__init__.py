"""Analyses stage: what-if, sweeps, explanations, two-stage scenarios, revisions."""
