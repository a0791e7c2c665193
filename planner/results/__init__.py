"""Results stage: a solution → the plan, its tables, diffs and diagnostics; safe writes."""
