"""The audit of a hand-made financing plan (the report's Tabell 1) against the optimum.

`read_financing(path, instance)` reads a financing plan from CSV: a `line` column and one
column per year; rows `national_investment`, `operations`, `eurohpc_investment` and
optionally `sum_printed` (MNOK; a blank cell is 0). `audit(instance, lines)` then
(docs/audit.md):

(a) checks the printed sums against the lines, year by year;
(b) computes the EuroHPC share under each base the report uses and says which of the
    report's statements the lines meet;
(c) solves the instance with the lines as yearly caps (they replace its `budget`);
(d) solves it with only each line's total over the years as a cap (money free to move
    between years within a line), and, where the instance's own caps differ from the
    lines, the instance as it is.

Everything here is plain data; `planner.views.audit` shows it in the terminal and as a page.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import pyomo.core as pyo

from planner.analyses.unspent import confirm_largest
from planner.data.derive import ModelData, year_values
from planner.input.errors import InputError, Problem
from planner.input.schema import Instance
from planner.results.plan import Plan
from planner.solving.api import solve
from planner.solving.solver import SolverOptions

LINES = ("national_investment", "operations", "eurohpc_investment")
SUM_ROW = "sum_printed"
ROWS = (*LINES, SUM_ROW)
# A financing plan is a few rows of a few years; anything much larger is not one.
MAX_CSV_BYTES = 100_000
# Printed and recomputed sums, and a share and its bound, that differ by less are equal.
MNOK_TOLERANCE = 1e-6
SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class FinancingLines:
    """A financing plan as read: line → year → MNOK, and the printed sums if given."""

    source: str
    years: list[int]
    lines: dict[str, dict[int, float]]
    printed_sums: dict[int, float] | None = None

    def total(self, line: str) -> float:
        return sum(self.lines[line].values())

    def recomputed_sum(self, year: int) -> float:
        return sum(self.lines[line][year] for line in LINES)


def _cell_number(text: str, where: str, source: str) -> float:
    text = text.strip()
    if text == "":
        return 0.0  # a blank cell is 0 MNOK, as Tabell 1 prints an empty EuroHPC cell
    try:
        value = float(text.replace(" ", ""))
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise InputError(source, Problem(where, f"expected a number of MNOK, got {shown!r}")
                         ) from None
    if not math.isfinite(value) or value < 0:
        raise InputError(source, Problem(where, f"expected a finite number ≥ 0, got {text}"))
    return value


def read_financing(path: str | Path, instance: Instance) -> FinancingLines:
    """Read and check a financing-plan CSV against the instance's years.

    Every problem is an `InputError` naming the file, the row (its number and `line`) and
    the column: an unknown line, a repeated row or column, a missing `line` column or
    line row, a year outside the instance, a cell that is not a number of MNOK ≥ 0, a
    file over MAX_CSV_BYTES or not UTF-8.
    """
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(source, "file not found") from None
    except OSError as error:
        raise InputError(source, f"cannot read the file: {error.strerror}") from None
    if not path.is_file():
        raise InputError(source, "expected a CSV file")
    if size > MAX_CSV_BYTES:
        raise InputError(source, f"{size} bytes; a financing plan is at most "
                                 f"{MAX_CSV_BYTES} bytes (a few lines of a few years)")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(source, f"expected UTF-8 text; byte {error.start} is not valid "
                                 "UTF-8") from None
    except OSError as error:
        raise InputError(source, f"cannot read the file: {error.strerror}") from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise InputError(source, f"not valid CSV: {error}") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InputError(source, "empty file; expected a header `line,<year>,<year>,…`")
    header = [cell.strip() for cell in rows[0]]
    if header.count("line") != 1:
        found = "twice or more" if header.count("line") > 1 else "no such column"
        raise InputError(source, Problem("row 1 (header)",
                                         f"expected exactly one column `line`, {found}"))
    line_column = header.index("line")
    first, last = instance.years.first, instance.years.last
    year_columns: dict[int, int] = {}
    for index, name in enumerate(header):
        if index == line_column:
            continue
        where = f"row 1 (header), column {index + 1}"
        try:
            year = int(name)
        except ValueError:
            shown = name if len(name) <= 40 else name[:40] + "…"
            raise InputError(source, Problem(where, f"expected a year, got {shown!r}")) from None
        if not first <= year <= last:
            raise InputError(source, Problem(
                where, f"year {year} is outside the instance's years {first}-{last}"))
        if year in year_columns:
            raise InputError(source, Problem(where, f"year {year} appears twice"))
        year_columns[year] = index
    if not year_columns:
        raise InputError(source, Problem("row 1 (header)", "expected one column per year"))
    years = sorted(year_columns)
    values: dict[str, dict[int, float]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise InputError(source, Problem(
                f"row {number}", f"expected {len(header)} cells as in the header, "
                                 f"got {len(row)}"))
        name = row[line_column].strip()
        if name not in ROWS:
            shown = name if len(name) <= 40 else name[:40] + "…"
            raise InputError(source, Problem(
                f"row {number}, column `line`",
                f"unknown line {shown!r}; expected one of {', '.join(ROWS)}"))
        if name in values:
            raise InputError(source, Problem(f"row {number}, column `line`",
                                             f"line {name!r} appears twice"))
        values[name] = {
            year: _cell_number(row[column], f"row {number} ({name}), column {year}", source)
            for year, column in year_columns.items()}
    missing = [line for line in LINES if line not in values]
    if missing:
        raise InputError(source, Problem("column `line`",
                                         f"missing line(s): {', '.join(missing)}"))
    return FinancingLines(source=source, years=years,
                          lines={line: values[line] for line in LINES},
                          printed_sums=values.get(SUM_ROW))


# --- (a) printed sums ------------------------------------------------------------------


@dataclass(frozen=True)
class SumCheck:
    year: int
    printed_mnok: float
    recomputed_mnok: float

    @property
    def difference_mnok(self) -> float:
        return self.printed_mnok - self.recomputed_mnok

    @property
    def off(self) -> bool:
        return abs(self.difference_mnok) > MNOK_TOLERANCE


def check_sums(lines: FinancingLines) -> list[SumCheck]:
    """Each year's printed sum against the sum of its lines (empty without `sum_printed`)."""
    if lines.printed_sums is None:
        return []
    return [SumCheck(year, lines.printed_sums[year], lines.recomputed_sum(year))
            for year in lines.years]


# --- (b) the EuroHPC share under each reading ------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One of the report's statements about the EuroHPC share, with the base it names."""

    key: str  # for the views' wording
    base: str  # investment, national_investment or spending (as `policy.eurohpc_share.of`)
    low: float
    high: float | None
    section: str  # where the report says it (its section headings, in Norwegian)


STATEMENTS = (
    Statement("of_investment", "investment", 0.10, 0.20,
              "Totalkostnad; Funn og anbefalinger"),
    Statement("of_national_investment", "national_investment", 0.10, 0.20,
              "Tilgang til infrastruktur for tungregning og KI"),
    Statement("of_total_cost", "spending", 0.20, None, "Kostnadsanslag: Investeringer"),
)
# The report puts the EuroHPC money into the next LUMI machine in 2026-2027.
EUROHPC_YEARS = (2026, 2027)
EUROHPC_YEARS_SECTION = "Totalkostnad; Funn og anbefalinger"


@dataclass(frozen=True)
class ShareReading:
    statement: Statement
    eurohpc_mnok: float
    base_mnok: float

    @property
    def share(self) -> float | None:
        return self.eurohpc_mnok / self.base_mnok if self.base_mnok > 0 else None

    @property
    def met(self) -> bool:
        share = self.share
        if share is None:
            return False
        high = self.statement.high
        return share >= self.statement.low - SHARE_TOLERANCE and (
            high is None or share <= high + SHARE_TOLERANCE)


def share_base_mnok(base: str, national: float, eurohpc: float, operations: float) -> float:
    """The base of a EuroHPC share (spec §4.8's `of`), from the three lines' amounts."""
    return {"investment": national + eurohpc, "national_investment": national,
            "spending": national + eurohpc + operations}[base]


def read_shares(lines: FinancingLines) -> list[ShareReading]:
    national, operations, eurohpc = (lines.total(line) for line in
                                     ("national_investment", "operations",
                                      "eurohpc_investment"))
    return [ShareReading(statement, eurohpc,
                         share_base_mnok(statement.base, national, eurohpc, operations))
            for statement in STATEMENTS]


def eurohpc_outside_years(lines: FinancingLines) -> dict[int, float]:
    """EuroHPC money in years other than 2026-2027 (empty: the timing is as the report says)."""
    return {year: value for year, value in lines.lines["eurohpc_investment"].items()
            if value > MNOK_TOLERANCE and not EUROHPC_YEARS[0] <= year <= EUROHPC_YEARS[1]}


# --- (c) and (d): the plans -------------------------------------------------------------


def with_yearly_lines(instance: Instance, lines: FinancingLines) -> Instance:
    """The instance with the lines as its whole budget: each line's amount in a year caps
    that line's spending in that year. The instance's other caps (total, yearly,
    investment) go: the financing plan is the money there is."""
    budget = {line: dict(lines.lines[line]) for line in LINES}
    budget["source"] = f"financing plan {lines.source}"
    return _with_budget(instance, budget)


def without_budget(instance: Instance) -> Instance:
    return _with_budget(instance, {"source": "no yearly caps: line totals added by the audit"})


def _with_budget(instance: Instance, budget: dict) -> Instance:
    data = instance.model_dump(mode="json", exclude_unset=True)
    data["budget"] = budget
    return Instance.model_validate(data)


def line_total_rules(lines: FinancingLines):
    """`extra_rules` for `planner.solving.api.solve`: Σ_y line(y) ≤ the line's total over the
    CSV's years, for each line (history years included, as for `budget.total`)."""
    totals = {line: lines.total(line) for line in LINES}

    def add(model: pyo.ConcreteModel, data: ModelData) -> None:
        years = [year for year in lines.years if year in data.years]
        spent = {"national_investment": model.national_capex_mnok,
                 "operations": model.opex_mnok,
                 "eurohpc_investment": model.eurohpc_capex_mnok}
        model.audit_line_totals = pyo.Constraint(
            list(LINES), rule=lambda _m, line: pyo.quicksum(
                spent[line][year] for year in years) <= totals[line])

    return add


def caps_match_lines(instance: Instance, lines: FinancingLines) -> bool:
    """Whether the instance's own budget is exactly the lines as yearly caps: the same cap
    on each line in each year (years the CSV gives), no other yearly cap, and no total
    below what the lines add up to (so it cannot bind where the lines do not)."""
    budget = instance.budget
    years = instance.year_list
    for line in LINES:
        given = year_values(getattr(budget, line), years)
        wanted = lines.lines[line]
        if set(given) != set(wanted) or any(
                abs(given[year] - wanted[year]) > MNOK_TOLERANCE for year in wanted):
            return False
    if budget.yearly is not None or budget.investment is not None:
        return False
    all_lines = sum(lines.total(line) for line in LINES)
    return budget.total is None or budget.total >= all_lines - MNOK_TOLERANCE


@dataclass
class AuditPlan:
    key: str  # yearly_lines (c), line_totals (d), instance (d, where its caps differ)
    plan: Plan


@dataclass
class Audit:
    instance: Instance
    lines: FinancingLines
    sums: list[SumCheck]
    shares: list[ShareReading]
    eurohpc_outside_years: dict[int, float]
    plans: list[AuditPlan] = field(default_factory=list)
    priority: str = "cost"


def audit(instance: Instance, lines: FinancingLines, options: SolverOptions | None = None,
          priority: str | None = None) -> Audit:
    """The whole audit: (a) and (b) from the lines, (c) and (d) by solving.

    Where (c) leaves money unspent while demand goes unserved, its `unspent` table says
    why (planner.analyses.unspent), the largest reason confirmed by one more solve.

    The solves run one after another in this process: there are three or four, each of
    a few seconds, and a worker pool would cost more to start than it saves on a shared
    machine; the order is fixed, so the audit is the same at every run.
    """
    if instance.scenarios:
        raise InputError("--financing", "the audit needs an instance without scenarios "
                                        "(it compares single plans)")
    options = options or SolverOptions()
    chosen = priority or instance.priority or "cost"
    settings = {"time_limit_seconds": options.time_limit_seconds, "mip_gap": options.mip_gap,
                "threads": options.threads, "priority": chosen, "marginal_values": False}
    result = Audit(instance, lines, check_sums(lines), read_shares(lines),
                   eurohpc_outside_years(lines), priority=chosen)
    yearly = solve(with_yearly_lines(instance, lines), **settings)
    if "unspent" in yearly.tables:  # what the lines leave unspent, and why: confirmed
        confirm_largest(yearly, time_limit_seconds=options.time_limit_seconds,
                        mip_gap=options.mip_gap, threads=options.threads)
    result.plans.append(AuditPlan("yearly_lines", yearly))
    result.plans.append(AuditPlan("line_totals", solve(
        without_budget(instance), extra_rules=line_total_rules(lines), **settings)))
    if not caps_match_lines(instance, lines):
        result.plans.append(AuditPlan("instance", solve(instance, **settings)))
    return result


# --- what the views show of each plan ---------------------------------------------------


def spending_by_line(plan: Plan) -> dict[str, dict[int, float]]:
    """line → year → MNOK spent, from the plan's financing table."""
    table = plan.tables["financing"].set_index("line")
    years = [column for column in table.columns if column != "total"]
    return {line: {int(year): float(table.loc[line, year]) for year in years}
            for line in LINES}


def plan_shares(plan: Plan) -> dict[str, float | None]:
    """The plan's EuroHPC share under each statement's base, over all its years."""
    spent = {line: sum(by_year.values()) for line, by_year in spending_by_line(plan).items()}
    shares = {}
    for statement in STATEMENTS:
        base = share_base_mnok(statement.base, spent["national_investment"],
                               spent["eurohpc_investment"], spent["operations"])
        shares[statement.key] = spent["eurohpc_investment"] / base if base > 0 else None
    return shares
