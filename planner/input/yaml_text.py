"""The one YAML reader (and writer) of the planner: instance files, actuals files and the
values of `--set` and `--vary` are all read here.

- YAML 1.2 core schema: only `true`/`false` are booleans, so `NO`, `yes`, `on` and `off`
  stay text (a country code is a country code), `1e3` is a number, `2026-01-01` is text.
  There are no merge keys (`<<`), as in YAML 1.2.
- A key given twice in one map is refused, with its line.
- Limits, each checked while the file is read, before any value is built, so that a
  hostile file is refused in milliseconds with a short message: the file's size, how deep
  it nests, how many aliases it uses and how many values it holds once every alias is
  expanded (an "alias bomb" of a few lines expands to billions). They are far above any
  real instance (the Norway instance: 16 KB, 5 levels, no alias, 480 values) and are
  documented in README.md.

Built on PyYAML (already a dependency, stable for many years) with a resolver of our own
for the YAML 1.2 core schema and a composer that counts depth, aliases and expanded size;
libyaml's parser is used when PyYAML has it (five times faster here), the pure one otherwise.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from planner.input.errors import InputError, brief

MAX_FILE_BYTES = 4 * 1024 * 1024
"""An instance or actuals file may hold at most 4 MiB (the Norway instance: 16 KB)."""
MAX_DEPTH = 64
"""Maps and lists may nest at most 64 deep (the Norway instance: 5)."""
MAX_ALIASES = 1000
"""At most 1000 aliases (`*name`) in one file."""
MAX_VALUES = 100_000
"""At most 100 000 values (keys, texts, numbers, maps and lists), aliases expanded (the
Norway instance: 480). PyYAML builds about 100 000 values a second of CPU time, so even a
file at this limit is read and checked in about a second and a half."""

_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), in the
# order the spec resolves them: null, bool, int, float.
CORE_SCHEMA: list[tuple[str, re.Pattern[str], list[str]]] = [
    (_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (_INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")),
    (_FLOAT, re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
     list("-+.0123456789")),
]


class CoreResolver(BaseResolver):
    """Plain scalars resolved by the YAML 1.2 core schema, everything else is text."""


for _tag, _pattern, _first in CORE_SCHEMA:
    CoreResolver.add_implicit_resolver(_tag, _pattern, _first)


class LimitedComposer(Composer):
    """PyYAML's composer, counting as it goes: nesting depth, aliases, and the values the
    document holds with every alias expanded (each node remembers its expanded size, so
    an alias adds its target's size without expanding anything)."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._aliases = 0
        self._values = 0

    def _count(self, values: int, mark: Any) -> None:
        self._values += values
        if self._values > MAX_VALUES:
            raise LimitExceeded(mark, f"the file holds more than {MAX_VALUES:,} values with "
                                      "its aliases expanded (the limit)".replace(",", " "))

    def compose_node(self, parent: Any, index: Any) -> yaml.Node:
        if self.check_event(AliasEvent):
            mark = self.peek_event().start_mark
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise LimitExceeded(mark, f"more than {MAX_ALIASES} aliases (the limit)")
            node = super().compose_node(parent, index)
            size = getattr(node, "expanded_values", None)
            if size is None:
                raise LimitExceeded(mark, "an alias refers to the map or list that holds it")
            self._count(size, mark)
            return node
        event = self.peek_event()
        mark = event.start_mark
        if event.anchor is not None and event.anchor in self.anchors:
            first = self.anchors[event.anchor].start_mark.line + 1
            raise LimitExceeded(mark, f"anchor &{brief(event.anchor)[1:-1]} is given twice "
                                      f"(first at line {first})")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitExceeded(mark, f"maps and lists nest deeper than {MAX_DEPTH} levels "
                                      "(the limit)")
        before = self._values
        self._count(1, mark)
        node = super().compose_node(parent, index)
        node.expanded_values = self._values - before
        self._depth -= 1
        return node


class LimitExceeded(yaml.MarkedYAMLError):
    """A limit exceeded (or an anchor given twice) at a place in the text."""

    def __init__(self, mark: Any, problem: str):
        super().__init__(problem=problem, problem_mark=mark)


class CoreConstructor(SafeConstructor):
    """Plain data only, by the YAML 1.2 core schema: maps, lists, texts, whole numbers,
    numbers, true/false and null, whether their tag is implied or written (`!!int 5`).
    Every other tag (`!!binary`, `!!set`, `!!timestamp`, `!!python/...`) is refused. A key
    given twice in one map is refused."""

    yaml_constructors: dict = {}  # PyYAML's registry of this class, filled below

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if not isinstance(node, yaml.MappingNode):
            raise ConstructorError(None, None, f"expected a map, found {node.id}",
                                   node.start_mark)
        result: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(None, None, "a map key must be a name or a number",
                                       key_node.start_mark) from None
            if key in result:
                raise ConstructorError(None, None, f"key {brief(key_node.value)} is given twice",
                                       key_node.start_mark)
            result[key] = self.construct_object(value_node, deep=deep)
        return result

    def construct_yaml_map(self, node: yaml.MappingNode):
        data: dict = {}
        yield data
        data.update(self.construct_mapping(node))

    def _core_scalar(self, node: yaml.Node, tag: str, expected: str) -> str:
        text = self.construct_scalar(node)
        pattern = next(pattern for core_tag, pattern, _ in CORE_SCHEMA if core_tag == tag)
        if not pattern.match(text):
            raise ConstructorError(None, None, f"expected {expected}, got {brief(text)}",
                                   node.start_mark)
        return text

    def construct_yaml_null(self, node: yaml.Node) -> None:
        self._core_scalar(node, _NULL, "null")

    def construct_yaml_bool(self, node: yaml.Node) -> bool:
        return self._core_scalar(node, _BOOL, "true or false").lower() == "true"

    def construct_yaml_int(self, node: yaml.Node) -> int:
        text = self._core_scalar(node, _INT, "a whole number")
        try:
            if text.startswith("0o"):
                return int(text[2:], 8)
            if text.startswith("0x"):
                return int(text[2:], 16)
            return int(text, 10)
        except ValueError:  # Python refuses more than 4300 digits
            raise ConstructorError(None, None, "a whole number with too many digits",
                                   node.start_mark) from None

    def construct_yaml_float(self, node: yaml.Node) -> float:
        text = self._core_scalar(node, _FLOAT, "a number")
        lowered = text.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        return float(text)


for _tag, _construct in [
    (_NULL, CoreConstructor.construct_yaml_null),
    (_BOOL, CoreConstructor.construct_yaml_bool),
    (_INT, CoreConstructor.construct_yaml_int),
    (_FLOAT, CoreConstructor.construct_yaml_float),
    (_STR, SafeConstructor.construct_yaml_str),
    ("tag:yaml.org,2002:seq", SafeConstructor.construct_yaml_seq),
    ("tag:yaml.org,2002:map", CoreConstructor.construct_yaml_map),
    (None, SafeConstructor.construct_undefined),
]:
    CoreConstructor.add_constructor(_tag, _construct)


class _PureParser(Reader, Scanner, Parser):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


class PureCoreLoader(LimitedComposer, _PureParser, CoreConstructor, CoreResolver):
    """PyYAML's own reader, scanner and parser; events to our counting composer."""

    def __init__(self, stream: str):
        _PureParser.__init__(self, stream)
        LimitedComposer.__init__(self)
        CoreConstructor.__init__(self)
        CoreResolver.__init__(self)


try:
    from yaml._yaml import CParser  # libyaml's scanner and parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CoreLoader: type = PureCoreLoader
else:
    class CoreLoader(LimitedComposer, CParser, CoreConstructor, CoreResolver):  # type: ignore[no-redef]
        """libyaml's events to our counting composer (first in the method order, before
        the parser's own node methods), plain data from the core constructor."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            LimitedComposer.__init__(self)
            CoreConstructor.__init__(self)
            CoreResolver.__init__(self)


def parse_yaml(text: str, source: str, loader_class: type = CoreLoader) -> Any:
    """YAML text → plain Python data; any syntax problem or exceeded limit becomes an
    `InputError` naming the line (never quoting more than a few words of the text)."""
    if len(text) > MAX_FILE_BYTES:
        raise InputError(source, f"the text is longer than {MAX_FILE_BYTES // 2**20} MiB "
                                 "(the limit)")
    loader = None
    try:
        loader = loader_class(text)  # the pure reader checks the characters here
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        problem = error.problem or error.context or "invalid YAML"
        if error.problem and error.context and error.context_mark:  # e.g. an anchor twice
            problem = f"{error.context} at line {error.context_mark.line + 1}; {problem}"
        raise InputError(source, f"not valid YAML at {where}: {_bounded(problem)}") from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise InputError(source, f"not valid YAML at line {line}: character "
                                 f"#x{error.character:02x} is not allowed "
                                 "(control characters may only be written as escapes in "
                                 "double quotes)") from None
    except yaml.YAMLError as error:
        raise InputError(source, f"not valid YAML: {_bounded(str(error))}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _bounded(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def read_text(path: str | Path) -> str:
    """The text of an input file, refused unread when larger than the limit; unreadable or
    non-UTF-8 files are input errors."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as file:
            # A regular file's size is known without reading it; anything else (a pipe)
            # is read no further than one byte past the limit.
            size = os.fstat(file.fileno()).st_size
            data = b"" if size > MAX_FILE_BYTES else file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError(source, "file not found") from None
    except IsADirectoryError:
        raise InputError(source, "expected a file, found a directory") from None
    except OSError as error:
        raise InputError(source, f"cannot read the file: {error.strerror}") from None
    if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        raise InputError(source, f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB "
                                 "(the limit for instance and actuals files)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            source, f"expected UTF-8 text; byte {error.start} is not valid UTF-8"
        ) from None


def read_yaml(path: str | Path) -> Any:
    """A YAML file as plain data (limits checked, see the module's docstring)."""
    return parse_yaml(read_text(path), str(path))


# --- writing ------------------------------------------------------------------------


class SafeDumper(yaml.SafeDumper):
    """Quotes every text that YAML 1.1 or 1.2 would read as something else (`NO`, `1e3`,
    `0o17`), so that what we write reads back the same under either."""


for _tag, _pattern, _first in CORE_SCHEMA:
    SafeDumper.add_implicit_resolver(_tag, _pattern, _first)


def dump_yaml(data: Any, dumper: type[SafeDumper] = SafeDumper) -> str:
    """Plain data as YAML text, keys in the order given."""
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
