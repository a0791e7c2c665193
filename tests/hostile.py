"""A corpus of hostile input files (issue 15), written at test time (the big ones are too
big for git): what an attacker, or an unlucky user, sends by e-mail.

`corpus(directory)` writes every case there and returns them; `tests/test_hostile.py`
runs each through the command line and checks the outcome, `benchmarks/hostile.py` times
them. Each case is a command line, the exit status it must end with, and words its
output must hold (the key path, the limit, the cell); the output must also be short (a
few lines), free of raw control characters and of tracebacks.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from conftest import VALID

from planner.input.yaml_text import MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES

# The longest output a refused file may give (a message of a few lines).
MAX_ERROR_OUTPUT = 1500


@dataclass
class Case:
    name: str
    args: list[str]
    status: int
    # Each entry must appear in the output; "a || b": either (libyaml and expat builds
    # differ in which of them refuses first: libyaml's own depth limit, expat's
    # amplification limit, or ours).
    words: list[str] = field(default_factory=list)
    max_lines: int = 6  # of a refusal's output


def _data(change: Callable[[dict], Any] | None = None) -> dict:
    data = copy.deepcopy(VALID)
    if change is not None:
        change(data)
    return data


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _with_value(dotted: str, text: str) -> str:
    """The valid instance as YAML with the value at `dotted` replaced by raw YAML text."""
    data = _data()
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = "PLACEHOLDER"
    return _yaml(data).replace("PLACEHOLDER", text, 1)


def alias_bomb(depth: int, width: int = 9, anchor: str = "a") -> str:
    """`[&a0 [lol, …], &a1 [*a0, …], …]`: `width ** depth` values once expanded, in a few
    hundred bytes."""
    levels = [f"&{anchor}0 [" + ", ".join(["lol"] * width) + "]"]
    levels += [f"&{anchor}{level} [" + ", ".join([f"*{anchor}{level - 1}"] * width) + "]"
               for level in range(1, depth)]
    return "[" + ", ".join(levels) + "]"


BOMB_KEYS = ["name", "products.gpu-node.capacity", "workloads.research-gpu.demand",
             "budget.yearly", "locations.norway"]


def _bomb_words(depth: int, key: str) -> list[str]:
    if 9 ** depth > MAX_VALUES:
        return ["aliases expanded", "line"]
    return [f"{key}:"]  # small enough to read; the schema refuses it, briefly


def _workbook(path: Path, change: Callable[[Any], None]) -> None:
    from openpyxl import load_workbook

    from planner.input.loading import instance_from_data
    from planner.input.workbook import workbook_bytes

    book = load_workbook(io.BytesIO(workbook_bytes(instance_from_data(_data(), "valid"))))
    change(book)
    book.save(path)


def _zip_bomb(path: Path, valid: Path, unpacked_mib: int = 256) -> None:
    """The valid workbook with its first sheet padded by `unpacked_mib` MiB of spaces,
    compressed about 1000:1 (written chunk by chunk, never held whole)."""
    with zipfile.ZipFile(valid) as source, zipfile.ZipFile(path, "w") as bomb:
        for part in source.infolist():
            data = source.read(part)
            if part.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(part, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            head, tail = data.split(b"</sheetData>")
            info = zipfile.ZipInfo(part.filename, date_time=part.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with bomb.open(info, "w", force_zip64=True) as out:
                out.write(head)
                chunk = b" " * 2**20
                for _ in range(unpacked_mib):
                    out.write(chunk)
                out.write(b"</sheetData>" + tail)


def _patch_directory(path: Path, member: str, size: int | None = None,
                     encrypted: bool = False) -> None:
    """Make a zip's directory lie about `member`: claim `size` bytes unpacked, or claim
    it is encrypted (both in its local header and its central directory entry)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    name = member.encode()
    central = -1
    while True:
        central = data.find(b"PK\x01\x02", central + 1)
        length = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + length] == name:
            break
    local = info.header_offset
    for header, flags_at, size_at in ((central, 8, 24), (local, 6, 22)):
        if size is not None:
            data[header + size_at:header + size_at + 4] = size.to_bytes(4, "little")
        if encrypted:
            data[header + flags_at] |= 1
    path.write_bytes(bytes(data))


def _with_entities(xml: bytes) -> bytes:
    """A "billion laughs" entity declaration in front of the sheet (defusedxml refuses
    any entity declaration; plain expat would expand it to gigabytes)."""
    declarations = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    doctype = f'<!DOCTYPE worksheet [<!ENTITY l0 "lol">{declarations}]>'
    declaration_end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    sheet = xml[declaration_end:].replace(b"<sheetData>", b"<sheetData><row r=\"99\"><c "
                                          b"r=\"A99\" t=\"inlineStr\"><is><t>&l9;</t></is>"
                                          b"</c></row>", 1)
    return xml[:declaration_end] + doctype.encode() + sheet


def _rewrite_part(path: Path, valid: Path, member: str,
                  change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(valid) as source, zipfile.ZipFile(path, "w") as target:
        for part in source.infolist():
            data = source.read(part)
            target.writestr(part, change(data) if part.filename == member else data,
                            compress_type=zipfile.ZIP_DEFLATED)


def corpus(directory: Path, write: bool = True) -> list[Case]:
    """Write every hostile file into `directory`; the cases that use them (with
    `write=False` the cases only, for naming the tests)."""
    directory = Path(directory)
    cases: list[Case] = []

    def case(name: str, text: str, status: int, words: list[str],
             command: str = "validate", extra: list[str] | None = None) -> None:
        path = directory / f"{name}.yaml"
        if write:
            path.write_text(text, encoding="utf-8")
        args = [command, str(path), *(extra or [])]
        if command == "solve":
            args += ["--out", str(directory / f"{name}-out")]
        cases.append(Case(name, args, status, words))

    # Alias bombs, depth 4 to 10, under several keys: refused before any expansion.
    for depth in range(4, 11):
        key = BOMB_KEYS[depth % len(BOMB_KEYS)]
        case(f"alias-bomb-{depth}", _with_value(key, alias_bomb(depth)), 2,
             _bomb_words(depth, key))
    # Five bombs of 66 430 values each: none alone, but together above the limit.
    assert 66_430 < MAX_VALUES < 5 * 66_430
    case("alias-bomb-several-keys", _yaml(_data()) + "".join(
        f"k{n}: {alias_bomb(5, anchor=f'k{n}_')}\n" for n in range(5)), 2,
        ["aliases expanded", "line"])
    case("aliases-too-many", _yaml(_data()) + "extra: &one 1\nmore: ["
         + ", ".join(["*one"] * (MAX_ALIASES + 1)) + "]\n", 2, [f"more than {MAX_ALIASES}"])
    case("alias-into-itself", _with_value("name", "&self [*self]"), 2, ["holds it"])
    case("anchor-twice", _yaml(_data()) + "a: &x 1\nb: &x 2\n", 2,
         ["anchor &x is given twice (first at line"])

    # Nesting 10 000 deep, as lists and as maps.
    case("nesting-lists", _with_value("name", "[" * 10_000 + "]" * 10_000), 2,
         [f"deeper than {MAX_DEPTH} || maximum nesting depth", "line 2"])
    case("nesting-maps", _with_value("name", "{a: " * 10_000 + "1" + "}" * 10_000), 2,
         [f"deeper than {MAX_DEPTH} || maximum nesting depth"])

    # A 50 MB file (a valid instance and a long comment): refused unread.
    big = directory / "fifty-mb.yaml"
    if write:
        with big.open("w", encoding="utf-8") as file:
            file.write(_yaml(_data()))
            line = "# " + "x" * 1022 + "\n"
            for _ in range(50 * 1024):
                file.write(line)
    cases.append(Case("fifty-mb", ["validate", str(big)], 2,
                      [f"larger than {MAX_FILE_BYTES // 2**20} MiB"]))

    # Many values: 49 000 unknown keys (a message listing 30 of them), and more values
    # than the limit (refused while reading).
    many = _yaml(_data()) + "".join(f"k{n}: 1\n" for n in range(49_000))
    case("unknown-keys-49000", many, 2, ["49000 problems", "… and 48970 more problems"])
    cases[-1].max_lines = 32
    case("values-over-limit", many + "".join(f"m{n}: 1\n" for n in range(MAX_VALUES // 2)),
         2, ["more than 100 000 values"])

    # Numbers, keys and texts.
    case("number-5000-digits", _with_value("products.gpu-node.capex", "9" * 5000), 2,
         ["too many digits", "line"])
    case("key-twice", _yaml(_data()) + "name: again\n", 2, ["given twice", "line"])
    case("yes-is-text", _with_value("products.cpu-node.integer", "yes"), 2,
         ["products.cpu-node.integer:", "expected true or false, got 'yes'"])
    case("false-as-a-key", _with_value("resources", "{false: {unit: x}, cpu: {unit: kcores}, "
                                                    "gpu: {unit: GPUs}}"), 2,
         ["resources.false:"])

    # Names: blank, too long, control characters (escaped in YAML, raw in the file).
    case("blank-name", _yaml(_data(lambda d: d.__setitem__("name", "   "))), 2,
         ["name:", "blank"])
    case("blank-resource", _yaml(_data(lambda d: d["resources"].__setitem__(
        " ", {"unit": "x"}))), 2, ["blank"])
    case("name-101", _yaml(_data(lambda d: d["products"].__setitem__(
        "p" * 101, d["products"]["cpu-node"]))), 2, ["at most 100 characters", "has 101"])
    case("name-100-ok", _yaml(_data(lambda d: d["products"].__setitem__(
        "p" * 100, d["products"]["cpu-node"]))), 0, ["valid instance"])
    case("escape-in-name", _with_value("name", '"evil\\e[31m\\a"'), 2,
         ["name:", "\\x1b", "printable"])
    case("newline-in-tier", _yaml(_data(lambda d: d["tiers"][1].__setitem__(
        "name", "line\nbreak"))), 2, ["\\n", "printable"])
    case("bidi-in-workload", _yaml(_data(lambda d: d["workloads"].__setitem__(
        "evil\u202e", d["workloads"].pop("research-cpu")))), 2, ["\\u202e"])
    case("raw-escape-byte", _yaml(_data()).replace("name: small", "name: a\x1bb"), 2,
         ["character #x1b is not allowed", "line 2"])

    # Markup in names is text: the plan, with the names as written.
    markup = _data(lambda d: (
        d["products"].__setitem__("node [/old]", d["products"].pop("cpu-node")),
        d["resources"]["cpu"].__setitem__("unit", "[kcores]"),
        d.__setitem__("name", "[link=https://example.org]click[/link]"),
        d["workloads"].__setitem__("climate:fire:", d["workloads"].pop("research-gpu"))))
    case("markup-names", _yaml(markup), 0, ["node [/old]", "[kcores]", "climate:fire:",
                                            "[link=https://example.org]click[/link]"],
         command="solve")

    # The unquoted country code: a location, a pool's location, a --set key.
    norway = _yaml(_data()).replace("norway", "NO")
    assert "NO:" in norway and "location: NO" in norway
    case("location-NO", norway, 0, ["optimal"], command="solve")
    case("set-NO", norway, 0, ["optimal"], command="solve",
         extra=["--set", "locations.NO.national=true"])
    case("set-NO-yes", norway, 2, ["locations.NO.national:", "got 'yes'"], command="solve",
         extra=["--set", "locations.NO.national=yes"])
    case("set-markup-control", _yaml(_data()), 2, ["\\x1b", "--set name=[bold]"],
         command="solve", extra=["--set", "name=[bold]\x1b"])
    case("set-bomb", _yaml(_data()), 2, ["aliases expanded"], command="solve",
         extra=["--set", "name=" + alias_bomb(8)])

    # Workbooks: a formula cell, a zip bomb, a claimed dimension far beyond the cells.
    valid = directory / "valid.xlsx"
    if write:
        _workbook(valid, lambda book: None)
    cases.append(Case("workbook-valid", ["validate", str(valid)], 0, ["valid instance"]))
    formula = directory / "formula.xlsx"
    if write:
        _workbook(formula, lambda book: book["products"].cell(2, 4).__setattr__("value",
                                                                                "=1+1"))
    cases.append(Case("workbook-formula", ["validate", str(formula)], 2,
                      ["sheet 'products', cell D2", "enter its value"]))
    bomb = directory / "zip-bomb.xlsx"
    if write:
        _zip_bomb(bomb, valid)
    cases.append(Case("workbook-zip-bomb", ["validate", str(bomb)], 2,
                      ["unpacks to 256 MiB", "limit of 16 MiB"]))
    far = directory / "far-cells.xlsx"
    if write:
        _workbook(far, lambda book: [book["products"].cell(row, 16000).__setattr__("value", 1)
                                     for row in range(2, 40)])
    cases.append(Case("workbook-far-cells", ["validate", str(far)], 2,
                      ["more than 250000 cells"]))
    liar = directory / "lying-directory.xlsx"
    if write:
        _zip_bomb(liar, valid, unpacked_mib=64)
        _patch_directory(liar, "xl/worksheets/sheet1.xml", size=1000)
    cases.append(Case("workbook-lying-directory", ["validate", str(liar)], 2,
                      ["not a readable Excel workbook", "CRC"]))
    locked = directory / "encrypted-flag.xlsx"
    if write:
        locked.write_bytes(valid.read_bytes())
        _patch_directory(locked, "xl/worksheets/sheet1.xml", encrypted=True)
    cases.append(Case("workbook-encrypted-flag", ["validate", str(locked)], 2,
                      ["not a readable Excel workbook", "encrypted"]))
    laughs = directory / "xml-entities.xlsx"
    if write:
        _rewrite_part(laughs, valid, "xl/worksheets/sheet1.xml", _with_entities)
    cases.append(Case("workbook-xml-entities", ["validate", str(laughs)], 2,
                      ["not a readable Excel workbook", "declares entities || amplification"]))
    markup_path = directory / "[red]not-there.yaml"
    cases.append(Case("markup-path", ["validate", str(markup_path)], 2,
                      ["[red]not-there.yaml", "file not found"]))
    return cases
