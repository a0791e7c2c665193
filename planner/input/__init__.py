"""Reading and checking what users give: instance files, workbooks, overrides, actuals."""
