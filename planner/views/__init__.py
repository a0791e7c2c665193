"""Views: how results are shown (terminal, reports, charts)."""
