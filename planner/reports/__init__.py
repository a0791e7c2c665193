"""Reports a reader understands without the terminal: HTML with charts, Excel, Markdown,
in English or Norwegian (docs/reports.md)."""
