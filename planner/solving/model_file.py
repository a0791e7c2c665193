"""The built model as an MPS or LP file (`--write-model`), for other solvers."""

from __future__ import annotations

from pathlib import Path

import pyomo.core as pyo

MODEL_FILE_SUFFIXES = (".mps", ".lp")


def write_model_file(model: pyo.ConcreteModel, path: str | Path) -> None:
    """The built model as an MPS or LP file, with readable names, for other solvers."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MODEL_FILE_SUFFIXES:
        raise ValueError(f"{path}: expected a file name ending in .mps or .lp")
    # Pyomo's LP and MPS writers register themselves when pyomo.environ is imported,
    # which costs a third of a second that only this command needs.
    import pyomo.environ  # noqa: F401
    from pyomo.opt import guess_format

    from planner.results.output import staged_files  # pandas: only for this command

    # Written beside its final name and renamed, so a reader never sees half a file.
    with staged_files(path.parent, [path.name]) as staged:
        model.write(str(staged[path.name]), format=guess_format(f"model{suffix}"),
                    io_options={"symbolic_solver_labels": True})
