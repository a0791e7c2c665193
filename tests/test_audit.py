"""`planner audit`: a financing plan's printed sums, its EuroHPC share under each reading of
the report, and the plans its lines buy, on a tiny instance worked by hand and on Norway
with the report's Tabell 1 (instances/tabell1.csv)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_yaml
from support.tiny import eurohpc_pool, instance, national_pool, product, workload

from planner import InputError, load_instance
from planner.analyses.audit import (
    audit,
    caps_match_lines,
    check_sums,
    read_financing,
    read_shares,
    spending_by_line,
)
from planner.commands.base import main

PROJECT = Path(__file__).resolve().parent.parent
TABELL1 = PROJECT / "instances" / "tabell1.csv"
NORWAY = PROJECT / "instances" / "norway-2025.yaml"


def tiny_data() -> dict:
    """Two years, 2025-2026. A national GPU node: 1 GPU for 1 MNOK, living 1 year; a EuroHPC
    share: 1 GPU per MNOK, living 1 year. Demand 10 GPUs a year, penalty 5 per GPU-year
    (every unit is worth buying). No discounting, no salvage."""
    return instance(
        workloads={"w": workload(10, 5)},
        pools={"nat": national_pool(), "lumi": eurohpc_pool()},
        products={"node": product("nat", capacity=1, capex=1),
                  "share": product("lumi", capacity=1, capex=1, integer=False)},
        years=(2025, 2026))


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


LINES = """line,2025,2026
national_investment,6,2
operations,,
eurohpc_investment,,4
sum_printed,6,8
"""


def test_tiny_audit_worked_by_hand(tmp_path):
    """Lines: national 6 and 2, operations 0, EuroHPC 0 and 4; printed sums 6 and 8.
    (a) 2026: printed 8, the lines add to 2 + 4 = 6: 2 MNOK too high; 2025 is right.
    (b) EuroHPC 4 of investment 12 = 33.3 % (not within 10-20 %), of national investment
        8 = 50 %, of total cost 12 = 33.3 % (at least 20 %: met).
    (c) yearly caps: 2025 buys 6 nodes (6 GPUs, 4 unserved); 2026 buys 2 nodes and 4 MNOK
        of share: 6 GPUs, 4 unserved. Spending 6 + 6 = 12, unserved 8.
    (d) line totals: national 8 and EuroHPC 4 over both years: the 12 MNOK buy 12
        GPU-years at 1 MNOK each, wherever they fall: unserved 20 − 12 = 8, spending 12.
    The instance has no budget, so its own optimum (serve all 20 GPU-years for 20 MNOK)
    is shown too."""
    data = tiny_data()
    inst = load_instance(write_yaml(tmp_path / "tiny.yaml", data))
    lines = read_financing(write_csv(tmp_path / "lines.csv", LINES), inst)
    sums = {check.year: (check.printed_mnok, check.recomputed_mnok, check.off)
            for check in check_sums(lines)}
    assert sums == {2025: (6, 6, False), 2026: (8, 6, True)}
    shares = {reading.statement.key: (pytest.approx(reading.share), reading.met)
              for reading in read_shares(lines)}
    assert shares == {"of_investment": (pytest.approx(4 / 12), False),
                      "of_national_investment": (pytest.approx(0.5), False),
                      "of_total_cost": (pytest.approx(4 / 12), True)}
    assert not caps_match_lines(inst, lines)
    result = audit(inst, lines)
    plans = {entry.key: entry.plan for entry in result.plans}
    assert list(plans) == ["yearly_lines", "line_totals", "instance"]
    yearly = spending_by_line(plans["yearly_lines"])
    assert yearly["national_investment"] == {2025: pytest.approx(6), 2026: pytest.approx(2)}
    assert yearly["eurohpc_investment"][2026] == pytest.approx(4)
    assert plans["yearly_lines"].tables["coverage"]["unserved"].sum() == pytest.approx(8)
    totals = spending_by_line(plans["line_totals"])
    assert sum(totals["national_investment"].values()) <= 8 + 1e-6
    assert sum(totals["eurohpc_investment"].values()) <= 4 + 1e-6
    assert plans["line_totals"].summary["spending_mnok"] == pytest.approx(12)
    assert plans["line_totals"].tables["coverage"]["unserved"].sum() == pytest.approx(8)
    assert plans["instance"].summary["spending_mnok"] == pytest.approx(20)
    assert plans["instance"].tables["coverage"]["unserved"].sum() == pytest.approx(0)
    from planner.views.audit import render_audit

    markdown = render_audit(result, "md", "nb").decode()
    assert "2026: trykt 8,0, linjene gir 6,0: 2,0 MNOK for høyt" in markdown.replace("\xa0", " ")
    assert render_audit(result, "xlsx")[:2] == b"PK"  # a zip: the workbook


def test_line_totals_let_money_move_between_years(tmp_path):
    """Lines national 10 in 2025 and 0 in 2026, nothing else. As yearly caps (c): 10 nodes
    in 2025 serve 2025 only (lifetime 1): 10 of 20 GPU-years unserved. As a total (d): the
    10 MNOK may be spent 5 and 5 or 10 and 0; either way 10 GPU-years are served and 10
    unserved, so both cost 10 + 5·10 = 60. With demand 10 in 2025 and 0 in 2026 nothing
    differs; so the hand case is: demand 0 in 2025 and 10 in 2026. (c) cannot spend in
    2026 (cap 0): 10 unserved, objective 50. (d) spends 10 in 2026: all served, objective
    10."""
    data = tiny_data()
    data["workloads"]["w"]["demand"] = {2025: 0, 2026: 10}
    inst = load_instance(write_yaml(tmp_path / "tiny.yaml", data))
    lines = read_financing(write_csv(tmp_path / "l.csv", "line,2025,2026\n"
                                     "national_investment,10,0\noperations,0,0\n"
                                     "eurohpc_investment,0,0\n"), inst)
    result = audit(inst, lines)
    plans = {entry.key: entry.plan for entry in result.plans}
    assert plans["yearly_lines"].objective_mnok == pytest.approx(50)
    assert plans["line_totals"].objective_mnok == pytest.approx(10)
    assert spending_by_line(plans["line_totals"])["national_investment"][2026] == \
        pytest.approx(10)


@pytest.mark.parametrize(("text", "expected"), [
    ("line,2025,2026\nnational_investment,1,2\noperations,1,1\neurohpc_investment,0,0\n"
     "capital,1,1\n", "row 5, column `line`: unknown line 'capital'"),
    ("line,2025,2026\nnational_investment,1,x\noperations,1,1\neurohpc_investment,0,0\n",
     "row 2 (national_investment), column 2026: expected a number of MNOK, got 'x'"),
    ("line,2025,2031\nnational_investment,1,2\noperations,1,1\neurohpc_investment,0,0\n",
     "row 1 (header), column 3: year 2031 is outside the instance's years 2025-2026"),
    ("line,2025,2025\nnational_investment,1,2\noperations,1,1\neurohpc_investment,0,0\n",
     "row 1 (header), column 3: year 2025 appears twice"),
    ("line,2025\nnational_investment,1\nnational_investment,2\noperations,1\n"
     "eurohpc_investment,0\n", "row 3, column `line`: line 'national_investment' appears twice"),
    ("name,2025\nnational_investment,1\n", "row 1 (header): expected exactly one column `line`"),
    ("line,2025\nnational_investment,1\noperations,1\n",
     "missing line(s): eurohpc_investment"),
    ("line,2025\nnational_investment,-1\noperations,1\neurohpc_investment,0\n",
     "row 2 (national_investment), column 2025: expected a finite number ≥ 0"),
    ("line,2025\nnational_investment,nan\noperations,1\neurohpc_investment,0\n",
     "row 2 (national_investment), column 2025: expected a finite number ≥ 0"),
    ("line,2025\nnational_investment,1,2\n", "row 2: expected 2 cells"),
    ("line,2025\n" + "operations,1\n" * 20_000, "bytes; a financing plan is at most"),
])
def test_a_malformed_csv_is_exit_2_naming_row_and_column(tmp_path, text, expected):
    path = write_yaml(tmp_path / "tiny.yaml", tiny_data())
    lines = write_csv(tmp_path / "lines.csv", text)
    with pytest.raises(InputError, match=None) as raised:
        read_financing(lines, load_instance(path))
    assert expected in raised.value.describe() and str(lines) in raised.value.describe()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["audit", str(path), "--financing", str(lines),
                                       "--report", "html", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert expected in " ".join(result.output.split())
    assert not out.exists()


def test_tabell1_is_the_report_as_printed():
    """FACTS: investment 200/300/300/400/400, operations 100/125/125/125/125, EuroHPC 200 in
    2026 and 2027 (blank elsewhere), printed sums 300/625/635/530/540."""
    assert TABELL1.read_text(encoding="utf-8").splitlines() == [
        "line,2025,2026,2027,2028,2029",
        "national_investment,200,300,300,400,400",
        "operations,100,125,125,125,125",
        "eurohpc_investment,,200,200,,",
        "sum_printed,300,625,635,530,540"]


@pytest.mark.slow
def test_norway_audit_of_tabell1(tmp_path):
    """The printed sums against the lines, by hand: 2027 200+125+... = 300 + 125 + 200 = 625
    (printed 635), 2028 400 + 125 = 525 (530), 2029 525 (540). The EuroHPC share: 400 of
    the investment 1 600 + 400 = 2 000 is 20 %, of the national investment 1 600 is 25 %,
    of the total 2 600 is 15.4 %. Then the plans side by side, and the same as a page."""
    out = tmp_path / "audit"
    result = CliRunner().invoke(main, ["audit", str(NORWAY), "--financing", str(TABELL1),
                                       "--report", "html", "--out", str(out)],
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for year, printed, lines, off in ((2027, "635.0", "625.0", "10.0"),
                                      (2028, "530.0", "525.0", "5.0"),
                                      (2029, "540.0", "525.0", "15.0")):
        assert f"{year}: printed {printed}, the lines add to {lines}: {off} MNOK too high" \
            in text
    for share in ("20.0 %", "25.0 %", "15.4 %"):
        assert share in text
    # (the plans' column headers wrap at the 80 columns of a pipe; the legend names them)
    assert "(c) the lines as yearly caps" in text and "(d) only each line's total" in text
    page = (out / "audit.html").read_text(encoding="utf-8").replace("\xa0", " ")
    for fragment in ("635.0", "625.0", "20.0 %", "25.0 %", "15.4 %", "(c) yearly lines",
                     "(d) line totals", "Demand served and unserved"):
        assert fragment in page
