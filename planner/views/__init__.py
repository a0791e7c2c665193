"""What a user sees: console tables, charts and report pages."""
