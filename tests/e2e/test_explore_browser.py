"""Explore in a real browser: click an interaction edge and see its detail panel."""

from __future__ import annotations

import pytest

from conflicts.catalogue import bundled_catalogues, load_catalogue
from tests.e2e.conftest import (
    PHONE,
    PROJECTOR,
    click_plotly_point,
    isolated_point,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.e2e


def test_click_edge_opens_detail_panel(browser, server) -> None:
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto(server.url + "/?lang=en")
    wait_for_app(page)
    panel = page.locator(".st-key-detail_panel")
    assert "Nothing selected yet" in panel.inner_text()

    target = isolated_point(page, "edge", {i.id for i in cat.conflicts})
    conflict = cat.interactions_by_id[target["id"]]
    click_plotly_point(page, "edge", conflict.id)
    title = cat.text(conflict.title, "en")
    panel.get_by_text(title).first.wait_for(timeout=15_000)
    wait_for_app(page)
    text = panel.inner_text()
    assert "Questions for dialogue" in text
    assert cat.text(conflict.questions[0], "en") in text
    assert "Decision levels needed" in text
    screenshot(page, "explore-1920x1080")

    # A node click shows that goal's metrics.
    goal = cat.goals_by_id[isolated_point(page, "node", {g.id for g in cat.goals})["id"]]
    click_plotly_point(page, "node", goal.id)
    panel.get_by_text(cat.text(goal.title, "en")).first.wait_for(timeout=15_000)
    assert "Metrics" in panel.inner_text()
    context.close()


def test_phone_view_and_swedish_default(browser, server) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server.url + "/")
    wait_for_app(page)
    assert page.get_by_text("Utforska målkonflikterna").is_visible()
    screenshot(page, "explore-390x844")
    context.close()
