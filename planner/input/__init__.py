"""Input stage: an instance file (YAML or workbook) → a validated, frozen `Instance`; no Pyomo."""
