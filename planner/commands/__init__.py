"""The `planner` commands, one module each; importing a module registers its command on
`planner.commands.base.main`.

`COMMANDS` names each command's module and the first sentence of its help, so that
`planner --help` lists every command without importing one: a command's module, and the
libraries it needs (Pyomo, pandas, ...), load only when that command runs. A new command
gets a line here (tests/test_architecture.py checks that every module is listed, and that
each sentence is the command's own).
"""

COMMANDS: dict[str, tuple[str, str]] = {
    "alternatives": ("planner.commands.alternatives", "The least and greatest value of each "
                     "quantity among the plans that cost at most (1 + slack) × the optimum's "
                     "cost, and plans different in kind (docs/alternatives.md)."),
    "audit": ("planner.commands.audit", "Check a financing plan (the report's Tabell 1) and "
              "set it beside the optimal plans."),
    "convert": ("planner.commands.convert", "Convert an instance between YAML and an Excel "
                "workbook (.yaml/.yml ↔ .xlsx)."),
    "diff": ("planner.commands.diff", "Compare two plans: each a run id (or its first "
             "digits) or a plan.json file."),
    "explain": ("planner.commands.explain", "Say what would make an infeasible instance "
                "feasible, in MNOK and fractions."),
    "report": ("planner.commands.report", "Write a report of a plan: PLAN_OR_RUN is a "
               "plan.json, a directory holding one, or a run id of the run store."),
    "revise": ("planner.commands.revise", "Revise a plan (a run id or a plan.json file) "
               "with the years before --year fixed."),
    "runs": ("planner.commands.runs", "List the runs recorded in the store, oldest first."),
    "serve": ("planner.commands.serve", "Serve a what-if page on FILE: move a cap in the "
              "browser, see the optimal plan."),
    "show": ("planner.commands.show", "Print a stored plan: RUN is a run id (or its first "
             "digits) or a plan.json file."),
    "solve": ("planner.commands.solve", "Solve an instance file and write its plan "
              "(plan.json and CSV tables)."),
    "stochastic": ("planner.commands.stochastic", "Two-stage plan of an instance with "
                   "scenarios, with its EVPI and VSS in MNOK."),
    "sweep": ("planner.commands.sweep", "Solve the instance at every value (or combination "
              "of values) of the varied keys."),
    "validate": ("planner.commands.validate", "Check an instance file; exit 0 if it is "
                 "valid, 2 with the problems if not."),
    "whatif": ("planner.commands.whatif", "Solve the base instance and the variant given by "
               "--set, side by side."),
}
