"""`planner serve` in a real browser: Playwright driving Debian's chromium.

The page must answer a moved cap with the objective `planner solve --set` gives at the
same gap, show and apply a relaxation when a cap makes the plan infeasible, and switch to
Norwegian keeping the reader's changes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT

from planner.input.loading import load_instance
from planner.solving.api import solve

pytestmark = pytest.mark.slow

NORWAY = PROJECT / "instances" / "norway-2025.yaml"
GAP = 1e-3
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no chromium in CI: .ci/run installs Debian's chromium")
        pytest.skip("no chromium here (apt-get install chromium to run this test)")
    return found


@pytest.fixture
def server(tmp_path):
    """`planner serve` on the Norway instance, on a free port; its address."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from planner.cli import main; main()", "serve", str(NORWAY),
         "--port", "0", "--mip-gap", str(GAP), "--store", str(tmp_path / "runs.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    address = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        found = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if found:
            address = found.group(1)
            break
    if address is None:
        process.kill()
        pytest.fail(f"planner serve did not start: {process.stderr.read()}")
    yield address
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(timeout=20) == 128 + signal.SIGTERM
    finally:
        if process.poll() is None:
            process.kill()


def _objective(page) -> float:
    return float(page.get_attribute("#objective", "data-objective-mnok"))


def _wait_ready(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_function(
        "document.getElementById('state').dataset.state !== 'solving'"
        " && document.getElementById('objective').dataset.objectiveMnok !== ''",
        timeout=timeout_ms)


def test_move_a_cap_see_the_plan_answer(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = _chromium()
    instance = load_instance(NORWAY)
    operations_year = next(y for y in instance.year_list if y >= instance.first_plan_year
                           and isinstance(instance.budget.operations, dict)
                           and instance.budget.operations.get(y))
    reference = solve(load_instance(NORWAY, ["budget.total=2000"]), mip_gap=GAP,
                      marginal_values=False).objective_mnok
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS,
                                             headless=True)
        try:
            # The page's CSP allows no eval; Playwright's waiting conditions need it.
            context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                          bypass_csp=True)
            page = context.new_page()
            page.goto(server + "/?lang=en")
            _wait_ready(page)
            base = _objective(page)

            # 1. The total budget to 2 000 MNOK: the plan `planner solve --set` gives.
            page.fill('input[data-key="budget.total"]', "2000")
            page.wait_for_function(
                f"Number(document.getElementById('objective').dataset.objectiveMnok) "
                f"!== {base!r} && document.getElementById('state').dataset.state === 'ready'",
                timeout=120_000)
            moved = _objective(page)
            assert abs(moved - reference) <= 2 * GAP * max(moved, reference)
            assert page.locator("#changes li").count() > 0

            # 2. An infeasible cap: a relaxation is shown, applied, and gives a plan.
            page.fill(f'input[data-key="budget.operations.{operations_year}"]', "1")
            page.wait_for_selector("#relaxations button.apply", timeout=180_000)
            assert "infeasible" in page.text_content("#status")
            page.click("#relaxations button.apply")
            page.wait_for_function(
                "document.getElementById('status').textContent.startsWith('optimal')",
                timeout=120_000)
            page.wait_for_function(
                "document.getElementById('report').srcdoc.length > 1000", timeout=120_000)
            page.screenshot(path=str(tmp_path / "serve-en.png"), full_page=False)

            # 3. Norwegian, with the reader's changes kept.
            page.select_option("#lang", "nb")
            page.wait_for_url(re.compile(r".*lang=nb.*"))
            _wait_ready(page)
            assert "Hva om" in page.text_content("h1")
            assert page.input_value('input[data-key="budget.total"]') == "2000"
            assert page.text_content("#status").startswith("optimal")
        finally:
            browser.close()
    assert Path(tmp_path / "serve-en.png").stat().st_size > 10_000
