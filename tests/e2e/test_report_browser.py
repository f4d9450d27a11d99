"""The HTML report opens offline in Chromium: no request leaves the page, the graph renders, and it
prints to PDF on several pages. Screenshots go to artifacts/screenshots (report_*.png)."""

from __future__ import annotations

import re

import pytest

from conflicts.reports import export
from conflicts.reports.report import PRINT_WIDTH_PX
from conflicts.store import Store, dispose_engines
from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.helpers import grant_for
from tests.test_results import build_round


@pytest.fixture
def report_file(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'report.db'}")
    store.init()
    rnd = build_round(store)
    path = tmp_path / "report.html"
    path.write_text(
        export.export_workshop(grant_for(rnd.code, store), "html", lang="en", store=store),
        encoding="utf-8",
    )
    dispose_engines()
    return path


def test_report_opens_offline_and_shows_the_graph(browser, report_file):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    attempted: list[str] = []

    def block(route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:  # anything else would be a network fetch: record it and refuse it
            attempted.append(url)
            route.abort()

    context.route("**/*", block)
    context.set_offline(True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda r: None if r.url.startswith("file://") else attempted.append(r.url))
    try:
        page.goto(report_file.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        page.wait_for_timeout(300)
        # the graph: nodes and the room's rank badges were drawn as SVG
        assert page.locator(".js-plotly-plot .scatterlayer .point").count() > 10
        badges = page.evaluate(
            "() => document.getElementById('graph').data"
            ".find(t => t.meta && t.meta.kind === 'rank-badges').text"
        )
        assert badges == ["1", "2", "3"]
        assert page.locator("h1").inner_text() == "Workshop report: Runda 1"
        first_row = page.locator("table tbody tr").first.inner_text()
        assert "Housing versus green space" in first_row and "3/4 (75 %)" in first_row
        shot = screenshot(page, "report_offline")
        page.screenshot(path=str(SCREENSHOTS / "report_offline_full.png"), full_page=True)
        assert shot.stat().st_size > 20_000

        # printing: the print stylesheet applies, sections start on new pages
        width = "() => document.querySelector('#graph .main-svg').getAttribute('width')"
        assert int(page.evaluate(width)) > 1000  # the screen's width
        page.emulate_media(media="print")
        page.wait_for_function(f"() => ({width})() === '{PRINT_WIDTH_PX}'")  # fits on A4
        screenshot(page, "report_print")
        pdf = page.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
        assert pages >= 3, pages
        page.emulate_media(media="screen")  # and back to the screen's width afterwards
        page.wait_for_function(f"() => ({width})() !== '{PRINT_WIDTH_PX}'")
    finally:
        context.close()
    assert attempted == [], attempted
    assert problems == [], problems
