"""The plan's results: exact tables from a solution, and the display tables every view renders."""
