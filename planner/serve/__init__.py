"""`planner serve`: a local web page on one instance, where a reader moves a cap and sees
the optimal plan answer (docs/serve.md)."""
