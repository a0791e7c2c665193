"""One plan, one set of tables: every view (terminal, HTML, Markdown, Excel) shows the same
figures, every displayed total is the sum of the displayed parts, a cap is binding by one
definition everywhere, and the terminal at 80 columns breaks no number (docs/results.md).

The checks read what each view prints (its text, its page, its cells), not the display
tables, so they would catch a view that rounds or sums on its own.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import PROJECT, write_yaml
from rich.console import Console

from planner import Plan, load_instance, solve
from planner.analyses.whatif import whatif
from planner.commands.base import main
from planner.input.loading import instance_from_data
from planner.results.figures import financing_figures
from planner.results.plan_diff import diff_plans
from planner.views.console import print_plan
from planner.views.reports.html import render_plan_html
from planner.views.reports.markdown import render_plan_markdown
from planner.views.reports.pages import render_diff_html
from planner.views.reports.xlsx import render_plan_xlsx

INSTANCES = sorted(path for path in [*(PROJECT / "instances").glob("*.yaml"),
                                     *(PROJECT / "instances" / "examples").glob("*.yaml")]
                   if "actuals" not in path.name)
NORWAY = PROJECT / "instances" / "norway-2025.yaml"
LINES = {"en": ("National investment", "Operations", "Investment through EuroHPC", "Sum"),
         "nb": ("Investering Sigma2", "Drift", "Investering gjennom EuroHPC", "Sum")}
# A displayed money figure: 1 234.5 / 1 234,5 (narrow no-break space), maybe negative.
MONEY = re.compile(r"[−-]?\d{1,3}(?:\u202f\d{3})*[.,]\d\b")


def number(text: str) -> Decimal:
    return Decimal(text.strip().replace("\u202f", "").replace("−", "-").replace(",", "."))


def assert_adds_up(rows: dict[str, list[Decimal]], where: str) -> None:
    """Tabell 1 as shown: each column's parts add to its Sum, each row's years to its
    total (exactly, in the digits shown)."""
    parts = [values for label, values in rows.items() if label != "Sum"]
    assert len(parts) == 3, where
    for column, shown in enumerate(rows["Sum"]):
        assert sum(values[column] for values in parts) == shown, (where, column)
    for label, values in rows.items():
        assert sum(values[:-1]) == values[-1], (where, label)


# --- reading each view ------------------------------------------------------------------


def terminal_text(plan: Plan, width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), force_terminal=False)
    print_plan(plan, console)
    return console.export_text()


def terminal_financing(text: str) -> list[dict[str, list[Decimal]]]:
    """Every Tabell 1 the terminal printed (one per scenario of a two-stage plan)."""
    tables, current = [], {}
    for line in text.splitlines():
        line = line.strip("│┃ ")
        label = next((name for name in LINES["en"] if line.startswith(name + " ")), None)
        if label is None:
            continue
        current[label] = [number(value) for value in MONEY.findall(line[len(label):])]
        if label == "Sum":
            tables.append({key: current[key] for key in LINES["en"]})
            current = {}
    return tables


def html_tables(page: str, key: str) -> list[list[list[str]]]:
    found = []
    # The plan's tables have a caption; the assumptions' tables of the same key do not.
    for body in re.findall(rf'<table class="{key}"><caption>.*?<tbody>(.*?)</tbody>', page,
                           re.S):
        found.append([[re.sub(r"<[^>]+>", "", cell) for cell in
                       re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                      for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)])
    return found


def markdown_tables(text: str, first_header: str) -> list[list[list[str]]]:
    found = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"| {first_header} |"):
            rows = []
            for row in lines[index + 2:]:
                if not row.startswith("|"):
                    break
                rows.append([cell.strip().strip("*") for cell in row.strip("|").split(" | ")])
            found.append(rows)
    return found


def financing_rows(rows: list[list[str]], lang: str) -> dict[str, list[Decimal]]:
    names = dict(zip(LINES[lang], LINES["en"], strict=True))
    return {names[row[0]]: [number(cell) for cell in row[1:]] for row in rows}


def workbook_financing(plan: Plan, lang: str) -> list[dict[str, list[Decimal]]]:
    sheet = openpyxl.load_workbook(io.BytesIO(render_plan_xlsx(plan, lang))).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)][1:]
    names = dict(zip(LINES[lang], LINES["en"], strict=True))
    tables: list[dict[str, list[Decimal]]] = []
    for row in rows:
        label_at = next(index for index, value in enumerate(row) if value in names)
        if not tables or names[row[label_at]] in tables[-1]:
            tables.append({})
        tables[-1][names[row[label_at]]] = [Decimal(repr(float(value)))
                                            for value in row[label_at + 1:]]
    return tables


def budget_checks(rows: list[list[str]], where: str) -> None:
    """Each cap as shown: left = cap − spent, and binding exactly when spent shows the cap
    (never in a history year, whose cap binds nothing: spec §5)."""
    for row in rows:
        cap, spent, left, binding = number(row[2]), number(row[3]), number(row[4]), row[5]
        history = "(history)" in row[1] or "(historikk)" in row[1]
        assert cap - spent == left, (where, row)
        assert (binding in ("yes", "ja")) == (spent >= cap and not history), (where, row)


# --- every bundled instance --------------------------------------------------------------


def _instance_params():
    for path in INSTANCES:
        marks = [] if path == NORWAY else [pytest.mark.slow]
        yield pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", list(_instance_params()))
def test_every_view_adds_up_and_shows_a_figure_the_same(path):
    """On each bundled instance: Tabell 1 adds up as printed in the terminal, the HTML page,
    the Markdown memo and the workbook, and all four print the same figures; the budget
    table's left and binding follow from its cap and spending as shown; the spending key
    figure and the total budget's spending are Tabell 1's grand total; the terminal's
    objective in its header and in its cost summary are the same figure."""
    # A gap of 1e-3 keeps the two-stage Norway instance to seconds; the check is the same.
    solved = solve(load_instance(path), instance_file=path, mip_gap=1e-3)
    assert solved.has_plan, solved.status
    plan = Plan.from_document(json.loads(solved.to_json()))  # as `planner report` reads it
    two_stage = bool(plan.metadata.get("scenarios"))
    text = terminal_text(plan, 200)
    shown = {"terminal": terminal_financing(text)}
    for lang in ("en", "nb"):
        page = render_plan_html(plan, lang)
        memo = render_plan_markdown(plan, lang)
        shown[f"html-{lang}"] = [financing_rows(rows, lang)
                                 for rows in html_tables(page, "financing")]
        shown[f"md-{lang}"] = [financing_rows(rows, lang) for rows in markdown_tables(
            memo, "MNOK" if lang == "en" else "Mill. kr")]
        shown[f"xlsx-{lang}"] = workbook_financing(plan, lang)
        for rows in html_tables(page, "budget"):
            budget_checks(rows, f"html-{lang}")
        for rows in markdown_tables(memo, "Budget line" if lang == "en" else "Budsjettpost"):
            budget_checks(rows, f"md-{lang}")
        if not two_stage:
            grand_total = shown[f"md-{lang}"][0]["Sum"][-1]
            spending = re.search(r"- (?:Spending \(nominal\)|Utgifter \(nominelle\)): \*\*("
                                 + MONEY.pattern + ")", memo)
            assert number(spending.group(1)) == grand_total, lang
            for rows in html_tables(page, "budget"):
                for row in rows:
                    if row[1] in ("all years", "alle år"):
                        assert number(row[3]) == grand_total
    expected = shown["terminal"]
    assert expected and len(expected) == (len(plan.metadata["scenarios"]) if two_stage else 1)
    for where, tables in shown.items():
        assert tables == expected, where  # the same figures in every view
        for table in tables:
            assert_adds_up(table, where)
    if not two_stage:
        header = re.search(r"less salvage\): (" + MONEY.pattern + ") MNOK", text)
        summary = re.search(r"Objective \(discounted cost\)[\s│┃]+(" + MONEY.pattern + ")",
                            text)
        assert number(header.group(1)) == number(summary.group(1))


# --- one definition of binding ----------------------------------------------------------

ONE_CAP = {
    "format": 1, "name": "one-cap", "years": {"first": 2025, "last": 2025},
    "end_of_horizon": "none",
    "resources": {"gpu": {"unit": "GPUs"}},
    "locations": {"norway": {"national": True}},
    "pools": {"sigma2": {"kind": "national", "location": "norway"}},
    "products": {"node": {"pool": "sigma2", "capacity": {"gpu": 1}, "capex": 1,
                          "lifetime": 1}},
    "workloads": {"ai": {"resource": "gpu", "demand": {2025: 10.5}, "unmet_penalty": 5}},
}


def _one_cap_plan(cap: float) -> Plan:
    data = json.loads(json.dumps(ONE_CAP))
    data["budget"] = {"national_investment": {2025: cap}}
    return solve(instance_from_data(data, "one-cap.yaml"))


@pytest.mark.parametrize(("cap", "binding"), [(10.04, True), (10.06, False)])
def test_a_cap_binds_by_one_definition_in_terminal_html_and_plan_json(cap, binding):
    """Whole nodes at 1 MNOK serve 1 GPU each; demand 10.5 GPUs at a penalty of 5 MNOK per
    GPU, so the plan buys as many nodes as the national-investment cap allows: 10 (10 MNOK)
    under a cap of 10.04 or 10.06, and 0.5 GPUs stay unserved. Spending 10.0 MNOK is left
    0.04 or 0.06 below the cap: shown to 0.1 MNOK the cap is 10.0 (binding: spent shown
    equals cap shown) or 10.1 (not binding, 0.1 left). The terminal, the HTML page (its
    budget table and "Which rules bind") and plan.json all say the same."""
    plan = _one_cap_plan(cap)
    assert plan.status == "optimal"
    assert plan.summary["national_investment_mnok"] == pytest.approx(10.0)
    document = json.loads(plan.to_json())
    assert [row["binding"] for row in document["tables"]["budget"]] == [binding]
    text = terminal_text(plan, 120)
    row = next(line for line in text.splitlines()
               if line.strip("│┃ ").startswith("National investment") and "2025" in line[:40])
    shown_cap = "10.0" if binding else "10.1"
    cells = [cell.strip() for cell in row.strip("│┃ ").split("│")]
    assert cells[1:6] == ["2025", shown_cap, "10.0", "0.0" if binding else "0.1",
                          "yes" if binding else "no"], row
    page = render_plan_html(plan, "en")
    [budget] = html_tables(page, "budget")
    assert budget[0][2:6] == [shown_cap, "10.0", "0.0" if binding else "0.1",
                              "yes" if binding else "no"]
    reached = "National investment 2025: 10.0 of 10.0 MNOK spent"
    assert (reached in page) == binding
    # The marginal value is a separate fact beside it: with the 10 whole nodes held, one
    # more MNOK buys nothing, so the LP's value of the cap is 0.
    if binding:
        assert plan.budget["marginal_value_mnok_per_mnok"].iloc[0] == pytest.approx(0.0)


# --- the terminal at 80 columns ------------------------------------------------------------


@pytest.fixture(scope="module")
def norway() -> Plan:
    return Plan.from_document(json.loads(solve(load_instance(NORWAY)).to_json()))


def test_the_norway_plan_at_80_columns_breaks_no_number_and_shows_every_unit(norway):
    """Every money figure and every amount the wide terminal prints appears whole at 80
    columns (a pipe's width): none broken across lines at its thousands separator, none
    cut with an ellipsis, no line wider than 80; every resource's unit is beside it."""
    narrow = terminal_text(norway, 80)
    wide = terminal_text(norway, 250)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert "…" not in narrow
    numbers = set(re.findall(r"(?<![\w.,])\d{1,3}(?:\u202f\d{3})+(?:[.,]\d+)?", wide))
    grand_total = financing_figures(norway.tables["financing"]).grand_total  # Tabell 1's
    assert numbers and f"{grand_total:,.1f}".replace(",", "\u202f") in numbers
    lines = narrow.splitlines()
    for value in numbers:
        assert any(value in line for line in lines), value
    # No line ends in a number's first digits with the rest on the next line.
    for line, following in zip(lines, lines[1:], strict=False):
        assert not (re.search(r"\d$", line) and re.match(r"\u202f?\d{3}\b", following)), line
    for resource in norway.instance.resources.values():
        assert f"({resource.unit})" in narrow
    assert "MNOK" in narrow and "2\u202f025" not in narrow and "-0.0" not in narrow
    assert "units at" not in narrow
    # A divisible product's units with their decimals: units × price = investment shown.
    share = norway.purchases[norway.purchases["product"] == "lumi-ai-share"].iloc[0]
    assert f"{share['units']:.3f}".rstrip("0").rstrip(".") in narrow


def test_the_terminal_prints_user_text_as_written(norway):
    """A name with rich markup in it is printed as written, not interpreted."""
    data = json.loads(json.dumps(ONE_CAP))
    data["workloads"] = {"[bold]ai[/bold]": data["workloads"]["ai"]}
    data["budget"] = {"total": 100}
    plan = solve(instance_from_data(data, "markup.yaml"))
    text = terminal_text(plan, 120)
    assert "[bold]ai[/bold]" in text


def test_solver_terminations_are_said_in_words(norway):
    text = terminal_text(norway, 120)
    page = render_plan_html(norway, "nb")
    assert "solved to the requested gap" in text and "løst til ønsket gap" in page
    assert "convergenceCriteriaSatisfied" not in text + page


# --- defects fixed where they are born ---------------------------------------------------


def test_a_revised_plan_reports_into_its_own_folder_and_says_so(tmp_path, monkeypatch,
                                                                valid_instance):
    """A plan whose plan_from is after its first year is a revision: `planner report RUN`
    writes it to reports/<name>-revised-<year>/ (where `planner revise` writes), never
    beside the original plan, and the page says it is a revision. `planner report DIR`
    writes into DIR."""
    monkeypatch.chdir(tmp_path)
    valid_instance["plan_from"] = 2026
    path = write_yaml(tmp_path / "small.yaml", valid_instance)
    runner = CliRunner()
    result = runner.invoke(main, ["solve", str(path), "--quiet", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    run_id = re.search(r"Recorded as run (\S+)", result.output).group(1)
    result = runner.invoke(main, ["report", run_id], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "reports" / "small-revised-2026" / "report.html").read_text("utf-8")
    assert "Revised investment plan" in page and "years before 2026 are history" in page
    assert not (tmp_path / "reports" / "small").exists()
    result = runner.invoke(main, ["report", str(tmp_path / "x"), "--lang", "nb"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Revidert investeringsplan" in (tmp_path / "x" / "report.nb.html").read_text("utf-8")


def test_the_diff_chart_draws_both_values_of_every_cell(monkeypatch, norway):
    """The 2028 national investment line cut from 400 to 300 MNOK changes some cells of
    Tabell 1 and leaves others (every cell bar is drawn with its value, before and after,
    unchanged or not: a cell that did not change is not drawn as 0)."""
    from matplotlib.axes import Axes

    other = Plan.from_document(json.loads(
        solve(load_instance(NORWAY, ["budget.national_investment.2028=300"])).to_json()))
    diff = diff_plans(norway, other, "400", "300")
    unchanged = diff.financing_cells[
        (diff.financing_cells["mnok_before"] - diff.financing_cells["mnok_after"]).abs() < 1e-6]
    unchanged = unchanged[(unchanged["line"] != "sum") & (unchanged["year"] != "total")
                          & (unchanged["mnok_before"].abs() > 1)]
    assert len(unchanged)  # some cells do not change
    drawn: list[list[float]] = []
    original = Axes.bar

    def bar(self, x, height, *args, **kwargs):
        drawn.append([float(value) for value in height])
        return original(self, x, height, *args, **kwargs)

    monkeypatch.setattr(Axes, "bar", bar)
    render_diff_html(diff, "en")
    years = sorted({str(year) for year in diff.financing_cells["year"] if year != "total"})
    lines = ["national_investment", "eurohpc_investment", "operations"]
    cells = diff.financing_cells.set_index(["line", "year"])
    expected = [[float(cells.loc[(line, year), column]) for year in years]
                for line in lines for column in ("mnok_before", "mnok_after")]
    assert drawn == [pytest.approx(values) for values in expected]


def test_whatif_ranks_money_by_mnok_and_unserved_demand_by_its_penalty():
    """One year, nodes at 1 MNOK for 1 GPU, demand 10 GPUs at a penalty of 1.5 MNOK each.
    Base: 10 nodes, objective 10. With budget.total=8: 8 nodes and 2 GPUs unserved,
    objective 8 + 2 · 1.5 = 11. Changes in MNOK: unserved penalty +3, national investment
    −2 (its 2025 cell, total, sum), purchases −2, objective +1; capacity and served have
    no money value and come last."""
    data = {
        "format": 1, "name": "one-year", "years": {"first": 2025, "last": 2025},
        "end_of_horizon": "none", "resources": {"gpu": {"unit": "GPUs"}},
        "locations": {"norway": {"national": True}},
        "pools": {"sigma2": {"kind": "national", "location": "norway"}},
        "products": {"node": {"pool": "sigma2", "capacity": {"gpu": 1}, "capex": 1,
                              "lifetime": 1}},
        "workloads": {"ai": {"resource": "gpu", "demand": {2025: 10}, "unmet_penalty": 1.5}},
        "budget": {"total": 12},
    }
    base = instance_from_data(data, "base")
    variant_data = json.loads(json.dumps(data))
    variant_data["budget"]["total"] = 8
    result = whatif(base, instance_from_data(variant_data, "variant"), ["budget.total=8"])
    assert result.variant.objective_mnok == pytest.approx(11)
    differences = result.differences
    categories = differences["category"].tolist()
    assert categories[0] == "unserved"
    assert differences["change_mnok"].iloc[0] == pytest.approx(3.0)
    money = differences["change_mnok"].dropna().abs().tolist()
    assert money == sorted(money, reverse=True)
    assert categories.index("objective") > categories.index("purchases")
    assert set(categories[-2:]) == {"capacity", "served"}


def test_norwegian_diff_page_is_wholly_norwegian_and_writes_years_as_years(norway):
    """The diff of a plan and its variant with plan_from moved to 2026 (a history year):
    the Norwegian page has none of the tool's English (notes included) and no year
    written as a number ("2 026")."""
    from test_reports import _leftover_english

    other = Plan.from_document(json.loads(
        solve(load_instance(NORWAY, ["plan_from=2026"])).to_json()))
    diff = diff_plans(norway, other, "før", "etter")
    assert any("history" in note for note in diff.notes)
    page = render_diff_html(diff, "nb")
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert not re.search(r"\b20\u202f\d\d\d\b", text)
    assert "historikk" in text
    assert _leftover_english(text, norway) == []


def test_plan_metadata_and_summary_are_typed_and_frozen(norway):
    from dataclasses import FrozenInstanceError

    assert norway.metadata.status == norway.metadata["status"] == "optimal"
    assert norway.summary.spending_mnok == norway.summary["spending_mnok"]
    assert {"financing", "purchases", "budget"} <= set(dir(norway))
    with pytest.raises(FrozenInstanceError):
        norway.metadata.status = "infeasible"
    changed = norway.metadata.replace(overrides=["budget.total=1"])
    assert changed.overrides == ["budget.total=1"] and norway.metadata.overrides is None
    document = json.loads(norway.to_json())
    assert list(document["metadata"]) == list(norway.metadata)  # today's keys, in order


def test_csv_and_plan_json_hold_no_float_noise(norway):
    """Exact values, to 1e-9 MNOK: no 199.48800000000008 (more than nine decimals)."""
    import io

    import pandas as pd

    from planner.results.output import plan_files

    files = plan_files(norway)
    # The CSV holds the exact figures (within 1e-9), not rounded for display.
    read = pd.read_csv(io.StringIO(files["financing.csv"]))
    exact = norway.tables["financing"]
    for year in ("2025", "2029", "total"):
        assert list(read[year]) == pytest.approx(list(exact[year]), abs=1e-9)
    for name, text in files.items():
        noise = re.search(r"\d\.\d{10,}", text)
        assert noise is None, (name, noise.group(0) if noise else "")


def test_sweep_and_runs_read_at_80_columns(monkeypatch, tmp_path, valid_instance):
    """At 80 columns (a pipe) the sweep's columns get short keys explained in a legend
    (no "budg… stat… obje…", three unserved columns told apart), and `planner runs` lists
    notes whole under the table instead of in a column a few characters wide."""
    import pandas as pd

    from planner.commands import sweep as sweep_command

    console = Console(width=80, record=True, file=io.StringIO())
    monkeypatch.setattr(sweep_command, "console", console)
    table = pd.DataFrame.from_records([
        {"budget.total": total, "policy.eurohpc_share.min": 0.1, "status": "optimal",
         "objective_mnok": 1493.9 + total / 100, "spending_mnok": 2235.8,
         "unserved_research-cpu": 0.05, "unserved_research-gpu": 414.0,
         "unserved_research-storage": 2.75} for total in (2200, 2600)])
    workloads = ["research-cpu", "research-gpu", "research-storage"]
    sweep_command._print_table(table, ["budget.total", "policy.eurohpc_share.min"], workloads,
                               {"research-cpu": "kcores", "research-gpu": "GPUs",
                                "research-storage": "PB"})
    text = console.export_text()
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= 80
    assert "u2 = unserved research-gpu (GPUs)" in text.replace("\n", " ")
    assert "p1 = budget.total" in text and "1\u202f515.9" in text

    path = write_yaml(tmp_path / "small.yaml", valid_instance)
    runner = CliRunner()
    assert runner.invoke(main, ["solve", str(path), "--quiet", "--set", "budget.total=90",
                                "--out", str(tmp_path / "out")]).exit_code == 0
    result = runner.invoke(main, ["runs"])  # CliRunner: not a terminal, 80 columns
    assert result.exit_code == 0, result.output
    assert "--set budget.total=90" in result.output
    # (the store's path in the title is as long as the test's temporary folder)
    assert max(len(line) for line in result.output.splitlines()
               if "runs.sqlite" not in line) <= 80


def test_validate_counts_in_words(tmp_path, valid_instance):
    valid_instance["workloads"].pop("research-cpu")
    path = write_yaml(tmp_path / "one.yaml", valid_instance)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 workload," in result.output and "1 workloads" not in result.output
    assert "3 products" in result.output
