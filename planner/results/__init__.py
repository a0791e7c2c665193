"""Results: the plan, its tables, its file, and writing them safely."""
