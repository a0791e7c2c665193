"""Fuzzing the loader with hypothesis: bad input always ends in exit status 2 with one
message naming the file and a key path (or, for text that is not YAML or not UTF-8, a
line and column or a byte), never a traceback, and nothing written.

Cases per run (fixed: `derandomize=True`, so CI runs the same cases every time):

| test | cases | command |
|---|---|---|
| `test_mutated_instances_validate` | 600 | `planner validate` |
| `test_mutated_instances_solve` | 150 | `planner solve --out DIR` |
| `test_random_yaml_documents` | 200 | `planner validate` |
| `test_random_text` | 100 | `planner validate` |
| `test_duplicate_keys` | 100 | `planner validate` |
| `test_non_utf8_bytes` | 100 | `planner solve --out DIR` |
| `test_real_processes_print_no_traceback` | 1 | `planner solve` in a new process |
| `test_structural_mutations` | 200 | `planner validate` |
| `test_duplicated_anchors` | 60 | `planner validate` |

The structural mutations change the shape of a file, not a value: a value shared with
another (an alias), an alias bomb (a list of the same list, `width ** depth` values once
expanded), nesting up to 150 deep, a long text, a file just above the size limit, an
anchor given twice. Each is slow to run many times, so the whole module is in the slow set.

A mutation may leave an instance valid (a huge but finite cost, say); then `validate`
must say so and `solve` must end with an outcome's status, never an internal error (1).
"""

from __future__ import annotations

import copy
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.generator import small_instance
from support.instances import PROJECT, VALID

from planner.commands.base import main
from planner.input.schema import Instance
from planner.input.yaml_text import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES

pytestmark = pytest.mark.slow

pytestmark = pytest.mark.slow  # fuzzing: over a thousand generated inputs, and real processes

FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

BASES = [VALID] + [small_instance(seed) for seed in (1, 3, 8, 19, 27)]
STATUSES_OF_A_VALID_INSTANCE = {0, 3, 4, 5, 6}


# --- paths into a document ----------------------------------------------------------------


def nodes(document: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (a tuple of keys and list positions) into a document, the root excluded."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            found.append(prefix + (key,))
            found += nodes(value, prefix + (key,))
    elif isinstance(document, list):
        for position, value in enumerate(document):
            found.append(prefix + (position,))
            found += nodes(value, prefix + (position,))
    return found


def spellings(document: Any, path: tuple) -> set[str]:
    """The ways a message may write a path: list items by name or by position."""
    forms = {""}
    node = document
    for step in path:
        if isinstance(step, int) and isinstance(node, list):
            item = node[step] if step < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            options = {f"[{step}]"} | ({f".{name}"} if isinstance(name, str) and name else set())
            node = item
        else:
            options = {f".{step}"}
            node = node.get(step) if isinstance(node, dict) else None
        forms = {form + option for form in forms for option in options}
    return {form.lstrip(".") for form in forms}


def every_spelling(*documents: Any) -> set[str]:
    return {spelling for document in documents if isinstance(document, dict | list)
            for path in nodes(document) for spelling in spellings(document, path)}


def _parent(document: Any, path: tuple) -> Any:
    node = document
    for step in path[:-1]:
        node = node[step]
    return node


# --- mutations ----------------------------------------------------------------------------

WRONG_TYPES = st.one_of(st.text(max_size=6), st.booleans(), st.none(),
                        st.lists(st.integers(-3, 3), max_size=2),
                        st.dictionaries(st.text(max_size=3), st.integers(-3, 3), max_size=2))
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
HUGE = st.sampled_from([1e300, -1e300, 10**30, -(10**30), 2**63, 1e-300])
# Printable names: a key of control characters is reported, but cannot be read back here.
NAMES = st.text(st.characters(categories=["L", "N"], include_characters="-_ "), min_size=1,
                max_size=6)
OPERATIONS = ("delete", "wrong type", "non-finite", "huge", "negative", "empty",
              "unknown key", "unknown name", "rename")


@st.composite
def mutated_instances(draw) -> tuple[dict, dict, str]:
    """(original, mutated, what was done)."""
    original = draw(st.sampled_from(BASES))
    document = copy.deepcopy(original)
    path = draw(st.sampled_from(nodes(document)))
    operation = draw(st.sampled_from(OPERATIONS))
    parent, last = _parent(document, path), path[-1]
    value = parent[last]
    if operation == "delete":
        del parent[last]
    elif operation == "wrong type":
        parent[last] = draw(WRONG_TYPES)
    elif operation == "non-finite":
        parent[last] = draw(NON_FINITE)
    elif operation == "huge":
        parent[last] = draw(HUGE)
    elif operation == "negative":
        parent[last] = -abs(value) - 1 if isinstance(value, int | float) else -1
    elif operation == "empty":
        parent[last] = draw(st.sampled_from([{}, [], ""]))
    elif operation == "unknown key":
        target = value if isinstance(value, dict) else parent
        if isinstance(target, dict):
            target[draw(st.sampled_from(["bogus", "lifespan", "Capex", "2099"]))] = 1
        else:
            parent[last] = {"bogus": 1}
    elif operation == "unknown name":
        parent[last] = "no-such-name" if isinstance(value, str) else [value]
    elif operation == "rename" and isinstance(parent, dict):
        parent[draw(NAMES)] = parent.pop(last)
    else:
        parent[last] = None
    return original, document, f"{operation} at {'.'.join(map(str, path))}"


# --- running the command line -------------------------------------------------------------


def invoke(*args: str):
    """The command line in-process, with the run store in the file's own directory."""
    store = Path(args[1]).parent / "runs.sqlite"
    return CliRunner(env={"PLANNER_STORE": str(store)}).invoke(main, list(args),
                                                               catch_exceptions=True)


def assert_rejected_cleanly(result, file: Path, out: Path | None = None,
                            paths: set[str] | None = None, where: str = "") -> None:
    """Exit 2, a message naming the file and where in it, no traceback, nothing written."""
    output = result.output
    assert isinstance(result.exception, SystemExit | None), (where, result.exception)
    assert "Traceback" not in output, (where, output)
    assert result.exit_code == 2, (where, result.exit_code, output)
    assert output.startswith("error: ") and str(file) in output, (where, output)
    if out is not None:
        assert not out.exists(), (where, "files written")
    assert not (file.parent / "runs.sqlite").exists(), (where, "a run recorded")
    if paths is not None:
        # A path of the document, or one under a key of the format (a missing key).
        message = output.split(str(file), 1)[1]
        roots = paths | set(Instance.model_fields)
        named = any(re.search(rf"(^|[\s:]){re.escape(path)}([:.\[ ]|$)", message, re.M)
                    for path in roots)
        assert named, (where, "no key path named", output)


def check_mutation(original: dict, document: dict, what: str, command: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "instance.yaml"
        file.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        out = Path(directory) / "out"
        args = ["validate", str(file)] if command == "validate" else [
            "solve", str(file), "--out", str(out), "--quiet", "--time-limit", "20"]
        result = invoke(*args)
        if result.exit_code != 2:
            # Still valid after the mutation: an outcome, never an internal error.
            assert isinstance(result.exception, SystemExit | None), (what, result.exception)
            assert result.exit_code in STATUSES_OF_A_VALID_INSTANCE, (what, result.output)
            return
        assert_rejected_cleanly(result, file, out, every_spelling(original, document), what)


@settings(FUZZ, max_examples=600)
@given(mutated_instances())
def test_mutated_instances_validate(case):
    check_mutation(*case, command="validate")


@settings(FUZZ, max_examples=150)
@given(mutated_instances())
def test_mutated_instances_solve(case):
    check_mutation(*case, command="solve")


YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12,
)
TOP_LEVEL_KEYS = list(VALID) + ["products", "existing", "committed", "plan_from"]


@settings(FUZZ, max_examples=200)
@given(st.one_of(YAML_VALUES, st.dictionaries(st.sampled_from(TOP_LEVEL_KEYS), YAML_VALUES,
                                              max_size=8)))
def test_random_yaml_documents(document):
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "random.yaml"
        file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        result = invoke("validate", str(file))
        paths = every_spelling(document) if isinstance(document, dict) and document else None
        assert_rejected_cleanly(result, file, paths=paths, where=repr(document)[:200])


@settings(FUZZ, max_examples=100)
@given(st.text(max_size=200))
def test_random_text(text):
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "text.yaml"
        file.write_text(text, encoding="utf-8")
        result = invoke("validate", str(file))
        assert_rejected_cleanly(result, file, where=repr(text)[:200])


@settings(FUZZ, max_examples=100)
@given(st.sampled_from(BASES), st.data())
def test_duplicate_keys(base, data):
    lines = yaml.safe_dump(base, sort_keys=False).splitlines()
    keyed = [index for index, line in enumerate(lines) if re.match(r"^\s*[\w-]+:", line)]
    index = data.draw(st.sampled_from(keyed))
    key_line = re.match(r"^(\s*[\w-]+:)", lines[index]).group(1)
    lines.insert(index, key_line + " 1")  # the key once more, just before its first use
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "twice.yaml"
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = invoke("validate", str(file))
        assert_rejected_cleanly(result, file, where=key_line)
        assert "given twice" in result.output and "line" in result.output


@settings(FUZZ, max_examples=100)
@given(st.sampled_from(BASES), st.binary(min_size=1, max_size=8), st.floats(0, 1))
def test_non_utf8_bytes(base, noise, where):
    text = yaml.safe_dump(base, sort_keys=False).encode()
    position = int(where * len(text))
    content = text[:position] + b"\xff" + noise + text[position:]
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "bytes.yaml"
        file.write_bytes(content)
        out = Path(directory) / "out"
        result = invoke("solve", str(file), "--out", str(out))
        assert_rejected_cleanly(result, file, out, where=repr(noise))
        assert "UTF-8" in result.output and "byte" in result.output


def test_real_processes_print_no_traceback(tmp_path):
    """The same in new processes, where nothing catches what the command line lets out."""
    cases = {
        "nan.yaml": yaml.safe_dump(VALID | {"baseline_opex": math.nan}).encode(),
    }
    environment = {key: value for key, value in os.environ.items() if key != "PLANNER_DEBUG"}
    environment["PLANNER_STORE"] = str(tmp_path / "runs.sqlite")
    for name, content in cases.items():
        file = tmp_path / name
        file.write_bytes(content)
        finished = subprocess.run(
            [str(Path(sys.executable).parent / "planner"), "solve", str(file), "--out",
             str(tmp_path / "out")], capture_output=True, text=True, cwd=PROJECT,
            env=environment, check=False)
        assert finished.returncode == 2, (name, finished.stderr)
        assert "Traceback" not in finished.stderr + finished.stdout, name
        assert str(file) in finished.stderr, name
        assert not (tmp_path / "out").exists(), name
        assert not (tmp_path / "runs.sqlite").exists(), name


# --- structural mutations (issue 15) ------------------------------------------------------

MAX_ERROR_OUTPUT = 1500  # a refused file gets a message of a few lines, whatever its size


def _nested(depth: int, leaf: Any, as_map: bool) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"a": value} if as_map else [value]
    return value


def _bomb(depth: int, width: int) -> list:
    """A list of `width` times the same list, `depth` levels: PyYAML writes each repeated
    list once with an anchor and then as aliases, so a few lines expand to `width ** depth`
    values."""
    level: list = ["lol"] * width
    for _ in range(depth - 1):
        level = [level] * width
    return level


def _expanded(depth: int, width: int) -> int:
    """Values of `_bomb(depth, width)` with its aliases expanded (the lists and the texts)."""
    return sum(width ** level for level in range(1, depth + 1)) + 1


STRUCTURES = ("alias", "bomb", "deep", "long text", "over the size limit")


@st.composite
def structural_mutations(draw) -> tuple[dict, str, str, str | None]:
    """(original, YAML text, what was done, words the refusal must hold or None)."""
    original = draw(st.sampled_from(BASES))
    document = copy.deepcopy(original)
    paths = nodes(document)
    path = draw(st.sampled_from(paths))
    parent, last = _parent(document, path), path[-1]
    operation = draw(st.sampled_from(STRUCTURES))
    expect = None
    if operation == "alias":  # share another value (PyYAML writes &id001 ... *id001)
        other = draw(st.sampled_from(paths))
        parent[last] = _parent(document, other)[other[-1]]
    elif operation == "bomb":
        depth, width = draw(st.integers(2, 12)), draw(st.integers(2, 10))
        parent[last] = _bomb(depth, width)
        if _expanded(depth, width) > MAX_VALUES:
            expect = "aliases expanded"
    elif operation == "deep":
        depth = draw(st.integers(1, 150))
        parent[last] = _nested(depth, 1, draw(st.booleans()))
        # The root map is level 1, so the innermost value lies at len(path) + depth + 1.
        if len(path) + depth + 1 > MAX_DEPTH:
            expect = f"deeper than {MAX_DEPTH}"
    elif operation == "long text":
        parent[last] = draw(st.sampled_from("xé[/")) * draw(st.integers(100, 200_000))
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    if operation == "over the size limit":
        padding = MAX_FILE_BYTES - len(text.encode()) + draw(st.integers(1, 2**20))
        text += "#" + "x" * padding + "\n"
        expect = "larger than"
    return original, text, f"{operation} at {'.'.join(map(str, path))}", expect


@settings(FUZZ, max_examples=200)
@given(structural_mutations())
def test_structural_mutations(case):
    """A mutation of the file's shape ends in exit 2 with a short message (naming the
    limit when one is exceeded), or, when the shape is still a valid instance, in
    `validate`'s yes; never a traceback, never a long message."""
    original, text, what, expect = case
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "shape.yaml"
        file.write_text(text, encoding="utf-8")
        result = invoke("validate", str(file))
        assert isinstance(result.exception, SystemExit | None), (what, result.exception)
        assert "Traceback" not in result.output, (what, result.output[:2000])
        if expect is not None or result.exit_code != 0:
            assert_rejected_cleanly(result, file, where=what)
            assert len(result.output) <= MAX_ERROR_OUTPUT, (what, result.output[:2000])
        if expect is not None:
            assert expect in result.output, (what, result.output)
        else:
            assert "deeper than" not in result.output, (what, result.output)


@settings(FUZZ, max_examples=60)
@given(st.sampled_from(BASES), st.data())
def test_duplicated_anchors(base, data):
    """An anchor given a second time, on any plain value: exit 2 naming the anchor and
    the line of its first use."""
    document = copy.deepcopy(base)
    document["years"]["shared"] = document["resources"]  # one anchor, &id001
    lines = yaml.safe_dump(document, sort_keys=False).splitlines()
    plain = [index for index, line in enumerate(lines)
             if re.match(r"^\s*[\w-]+: [^&*\[{'\"\s]", line)]
    index = data.draw(st.sampled_from(plain))
    key, value = lines[index].split(": ", 1)
    lines[index] = f"{key}: &id001 {value}"
    with tempfile.TemporaryDirectory() as directory:
        file = Path(directory) / "anchors.yaml"
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = invoke("validate", str(file))
        assert_rejected_cleanly(result, file, where=lines[index])
        assert "anchor &id001 is given twice (first at line" in result.output, result.output
