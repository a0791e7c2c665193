"""The stage packages (docs/architecture.md): `import planner` stays light, every package is
installed, and the architecture page names every module."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest
from support.instances import PROJECT

PLANNER = PROJECT / "planner"


def _packages_on_disk() -> set[str]:
    """Every folder with an `__init__.py` under planner/ (models/ as planner.models)."""
    found = {"planner", "planner.models"}
    for init in PLANNER.rglob("__init__.py"):
        relative = init.parent.relative_to(PROJECT)
        if relative.parts[:2] != ("planner", "models"):  # the link to models/
            found.add(".".join(relative.parts))
    return found


def _modules_on_disk() -> set[str]:
    modules = set()
    for path in PLANNER.rglob("*.py"):
        relative = path.relative_to(PROJECT).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        if parts[:2] != ("planner", "models") and len(parts) > 1:
            modules.add(".".join(parts))
    return modules


def test_import_planner_loads_no_solver_and_no_tables():
    """`planner.solve`, `load_instance` and `Plan` are loaded on first use (module
    __getattr__), so importing the package loads neither Pyomo, HiGHS nor pandas."""
    code = ("import sys, planner; heavy = [name for name in ('pyomo', 'highspy', 'pandas') "
            "if name in sys.modules]; assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT, timeout=120)


def test_the_public_names_are_the_documented_functions():
    import planner
    from planner.analyses.facade import solve
    from planner.input.errors import InputError
    from planner.input.loading import load_instance
    from planner.results.plan import Plan

    assert planner.solve is solve and planner.load_instance is load_instance
    assert planner.Plan is Plan and planner.InputError is InputError
    assert set(planner.__all__) <= set(dir(planner))


def test_every_package_is_installed():
    """A package missing from pyproject's list would be left out of a wheel."""
    listed = tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(listed["packages"]) == _packages_on_disk()


def test_architecture_md_names_every_module():
    text = (PROJECT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(planner(?:\.\w+)+)`", text))
    assert _modules_on_disk() <= named, sorted(_modules_on_disk() - named)


def _heavy_modules_after(code: str) -> list[str]:
    probe = (f"import sys\ntry:\n    {code}\nexcept SystemExit:\n    pass\n"
             "print(sorted({name.split('.')[0] for name in sys.modules} & "
             "{'pyomo', 'highspy', 'pandas', 'matplotlib', 'openpyxl', 'dask'}))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT, capture_output=True,
                          text=True, check=True, timeout=120)
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow  # two fresh interpreters, one validating the Norway instance
def test_help_and_validate_load_no_heavy_library():
    """`planner --help` imports no command; `planner validate` only the input stage; the
    commands that read plans load pandas but not Pyomo."""
    assert _heavy_modules_after("from planner.cli import main; main(['--help'])") == "[]"
    validate = "from planner.cli import main; main(['validate', 'instances/norway-2025.yaml'])"
    assert _heavy_modules_after(validate) == "[]"
    readers = "import planner.commands.report, planner.commands.runs, planner.commands.show, " \
              "planner.commands.diff"  # commands that read plans: no solver
    assert _heavy_modules_after(readers) == "['pandas']"


def test_every_command_module_is_listed_with_its_own_first_sentence():
    """`planner --help` lists the commands from planner.commands.COMMANDS without importing
    them; each entry must name the module that registers the command and its help."""
    from click import Context

    from planner.commands import COMMANDS
    from planner.commands.base import main

    modules = {f"planner.commands.{path.stem}" for path in (PLANNER / "commands").glob("*.py")
               if path.stem not in ("__init__", "base")}
    assert {module for module, _ in COMMANDS.values()} == modules
    listed = main.get_help(Context(main))
    for name, (module, sentence) in COMMANDS.items():
        command = main.get_command(Context(main), name)
        assert command.callback.__module__ == module
        assert command.get_short_help_str(1000) == sentence
        for limit in (40, 60, 1000):
            stand_in = type(command)(name, help=sentence)
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit)
    assert main.get_help(Context(main)) == listed  # the same once every command is loaded
