"""Data stage: a validated instance → the derived data the model is built from; no Pyomo."""
