"""Views: the terminal (console), charts and reports; they format results, never recompute them."""
