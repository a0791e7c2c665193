"""Hostile input files (issue 15): each case of `tests/hostile.py` ends with its exit
status and its message, in a few lines, without a traceback or a raw control character;
`NO` is a country, and names with markup print as written.

How long each case takes is printed by `benchmarks/hostile.py`, not asserted here.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import MAX_ERROR_OUTPUT, corpus

from planner.commands.base import main
from planner.input.yaml_text import parse_yaml

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return {case.name: case for case in corpus(tmp_path_factory.mktemp("hostile"))}


def _names() -> list[str]:
    return [case.name for case in corpus(Path("unused"), write=False)]


@pytest.mark.parametrize("name", _names())
def test_hostile_case(cases, name):
    case = cases[name]
    result = CliRunner().invoke(main, case.args)
    output = result.output
    assert result.exit_code == case.status, output[:2000]
    assert "Traceback" not in output and "internal error" not in output, output[:2000]
    assert not RAW_CONTROL.search(output), repr(output[:2000])
    for words in case.words:
        assert any(word in output for word in words.split(" || ")), output[:2000]
    if case.status == 2:
        assert len(output) < MAX_ERROR_OUTPUT * case.max_lines / 6, output[:2000]
        assert output.count("\n") <= case.max_lines, output[:2000]
        assert "error:" in output


def test_corpus_bounds_error_output():
    """The bound the cases are held to is a few lines, not a screenful."""
    assert MAX_ERROR_OUTPUT <= 1500


def test_yaml_12_core_schema():
    """Only true/false are booleans; NO, yes, on, off stay text; 1e3 and 0o17 are numbers,
    012 is twelve, a date is text (YAML 1.2 core schema, not 1.1)."""
    data = parse_yaml("{NO: yes, on: off, y: Yes, n: n, t: true, f: FALSE, e: 1e3, o: 0o17, "
                      "x: 0x1f, z: 012, d: 2026-01-01, u: 1_000, s: 1:30, nl: ~, inf: -.inf}",
                      "test")
    assert data == {"NO": "yes", "on": "off", "y": "Yes", "n": "n", "t": True, "f": False,
                    "e": 1000.0, "o": 15, "x": 31, "z": 12, "d": "2026-01-01", "u": "1_000",
                    "s": "1:30", "nl": None, "inf": float("-inf")}
    assert isinstance(data["e"], float) and isinstance(data["z"], int)


def test_written_yaml_reads_back_the_same_under_yaml_11_and_12():
    """Texts that YAML 1.1 (PyYAML's default) or 1.2 would read as something else are
    quoted when we write them."""
    import yaml

    from planner.input.yaml_text import dump_yaml

    data = {"NO": "yes", "a": "1e3", "b": "0o17", "c": "on", "d": "2026-01-01", "e": 1.5,
            "f": 7, "g": True, "h": None, "i": "1_000", "j": "node [/old]"}
    text = dump_yaml(data)
    assert parse_yaml(text, "test") == data
    assert yaml.safe_load(text) == data


def test_markup_names_print_literally(tmp_path):
    """A product `node [/old]` (which rich would read as a closing tag, and fail), the
    unit `[kcores]` (an unknown style, dropped) and a `[link=…]` name solve, and a colour
    terminal shows them as written: no hyperlink, nothing dropped."""
    import io

    from conftest import VALID
    from rich.console import Console

    from planner import solve
    from planner.input.loading import instance_from_data
    from planner.views.console import print_plan

    data = copy.deepcopy(VALID)
    data["products"]["node [/old]"] = data["products"].pop("cpu-node")
    data["resources"]["cpu"]["unit"] = "[kcores]"
    data["name"] = "[link=https://example.org]click[/link]"
    plan = solve(instance_from_data(data, "markup"))
    assert plan.status == "optimal"
    assert "node [/old]" in set(plan.tables["purchases"]["product"])  # bought, so shown
    buffer = io.StringIO()
    print_plan(plan, Console(file=buffer, force_terminal=True, color_system="truecolor",
                             width=200))
    shown = buffer.getvalue()
    assert "\x1b]8;" not in shown  # no OSC 8 hyperlink
    text = re.sub(r"\x1b\[[0-9;]*m", "", shown)  # colours and bold off
    assert "node [/old]" in text
    assert "cpu ([kcores])" in text  # the unit in the parentheses the table puts around it
    assert "[link=https://example.org]click[/link]" in text


@pytest.mark.parametrize("tag", ["str", "int", "float", "bool", "null", "map", "seq",
                                 "binary", "set", "omap", "pairs", "timestamp", "merge",
                                 "value", "python/name:os.system", "python/object/apply:os.system"])
@pytest.mark.parametrize("value", ["abc", "12", "1_000", "1e999", "True", "~", "[1]", "{b: 1}",
                                   "2026-01-01", "'x'", "0x1f"])
def test_explicit_tags_give_data_or_an_input_error(tag, value):
    """Explicit tags reach only the core schema's constructors: any other tag, and any
    value its tag cannot hold, is an input error naming the line, never another error."""
    from planner.input.errors import InputError

    try:
        data = parse_yaml(f"a: !!{tag} {value}\n", "tags")
    except InputError as error:
        assert "line 1" in error.describe()
        return
    assert tag in ("str", "int", "float", "bool", "null", "map", "seq")
    assert type(data["a"]) in (str, int, float, bool, type(None), dict, list)


def test_escape_shows_control_characters_and_markup_literally():
    """The one escape of user text: control and format characters become their Python
    escapes, rich markup is escaped, and rich prints the original text back."""
    import io

    from rich.console import Console

    from planner.views.text import escape, visible

    assert visible("a\x1bb\x07c\nd\u202ee") == "a\\x1bb\\x07c\\nd\\u202ee"
    assert visible("plain [text] æøå") == "plain [text] æøå"
    for text in ["node [/old]", "[kcores]", "[link=https://example.org]x[/link]",
                 "[bold red]loud[/]", "a \\[b]"]:
        buffer = io.StringIO()
        Console(file=buffer, width=200, emoji=False).print(f"[bold]{escape(text)}[/bold]")
        assert buffer.getvalue() == text + "\n"


PARITY_TEXTS = [
    "{NO: yes, e: 1e3, o: 0o17, d: 2026-01-01, n: ~, t: true}",
    "a: &x [1, 2]\nb: *x\n",
    "a: 1\na: 2\n",
    "a: &x 1\nb: &x 2\n",
    "a: &x [*x]\n",
    "[" * 100 + "]" * 100,
    "a: \x1b\n",
    "a: !!float abc\n",
    "a: " + "9" * 5000 + "\n",
    "- " + ", ".join(["*a"] * 3) + "\n",
    "a: [1, 2\n",
]


@pytest.mark.parametrize("text", PARITY_TEXTS)
def test_pure_and_libyaml_loaders_agree(text):
    """The loader on PyYAML's own parser (used where PyYAML lacks libyaml) reads and
    refuses exactly as the one on libyaml's: the same data, or an error on the same line
    (the wording of a syntax error may differ between the two parsers)."""
    from planner.input.errors import InputError
    from planner.input.yaml_text import CoreLoader, PureCoreLoader

    outcomes = []
    for loader in (CoreLoader, PureCoreLoader):
        try:
            outcomes.append(("data", parse_yaml(text, "parity", loader)))
        except InputError as error:
            line = re.search(r"line (\d+)", error.describe())
            outcomes.append(("error", line and line.group(1)))
    assert outcomes[0] == outcomes[1]
