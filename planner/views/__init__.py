"""What the terminal and report files show of plans, diffs and sweeps."""
