"""Explore in a real browser: click an interaction edge and see its detail panel."""

from __future__ import annotations

import pytest

from conflicts.catalogue import bundled_catalogues, load_catalogue
from tests.e2e.conftest import (
    CLICKABLE_POINTS,
    PHONE,
    PROJECTOR,
    click_plotly_point,
    clickable_points,
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
    page.locator(".js-plotly-plot").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    # The plotly toolbar does not cover the legend.
    toolbar = page.locator(".modebar").bounding_box()
    legend = page.locator(".legend").bounding_box()
    assert toolbar and legend
    apart = (
        legend["y"] >= toolbar["y"] + toolbar["height"]
        or legend["x"] + legend["width"] <= toolbar["x"]
    )
    assert apart, (toolbar, legend)
    screenshot(page, "explore-390x844")

    # The first tap on an interaction opens its detail (not only a tooltip).
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    target = isolated_point(page, "edge")
    page.touchscreen.tap(target["x"], target["y"])
    title = cat.text(cat.interactions_by_id[target["id"]].title, "sv")
    page.locator(".st-key-detail_panel").get_by_text(title).first.wait_for(timeout=15_000)
    context.close()


def _on_screen(page, kind: str, ids: set[str] | None = None) -> set[str]:
    """The ids of the clickable points of ``kind`` inside the viewport (a tall matrix scrolls)."""
    height = page.viewport_size["height"]
    return {
        p["id"]
        for p in clickable_points(page)
        if p["kind"] == kind and 10 < p["y"] < height - 10 and (ids is None or p["id"] in ids)
    }


def _matrix(page, server, catalogue: str) -> None:
    page.goto(server.url + f"/?lang=en&catalogue={catalogue}")
    wait_for_app(page)
    page.locator(".st-key-explore_view").get_by_text("Matrix").click()
    wait_for_app(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".some(gd => gd._fullData.some(t => t.meta && t.meta.kind === 'cells'))"
    )


def test_matrix_on_stockholm_click_a_cell(browser, server) -> None:
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    _matrix(page, server, "stockholm")
    screenshot(page, "explore-matrix-stockholm-1920x1080")
    target = isolated_point(page, "edge", _on_screen(page, "edge", {i.id for i in cat.conflicts}))
    click_plotly_point(page, "edge", target["id"])
    panel = page.locator(".st-key-detail_panel")
    interaction = cat.interactions_by_id[target["id"]]
    panel.get_by_text(cat.text(interaction.title, "en")).first.wait_for(timeout=15_000)
    assert "Questions for dialogue" in panel.inner_text()
    context.close()


def test_matrix_on_sdg_click_a_cell_of_several(browser, server) -> None:
    cat = load_catalogue(bundled_catalogues()["sdg"])
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto(server.url + "/?catalogue=sdg")
    wait_for_app(page)
    # The network at the goal level: one node per goal (waited for: a loaded machine is slow).
    page.wait_for_function(
        f"() => ({CLICKABLE_POINTS})().filter(p => p.kind === 'node').length === 17",
        timeout=30_000,
    )
    page.wait_for_timeout(500)
    screenshot(page, "explore-sdg-1920x1080")
    _matrix(page, server, "sdg")
    screenshot(page, "explore-matrix-sdg-1920x1080")
    # A cell of several interactions lists them; one pick opens its detail.
    target = isolated_point(page, "cell", _on_screen(page, "cell"))
    click_plotly_point(page, "cell", target["id"])
    panel = page.locator(".st-key-detail_panel")
    panel.get_by_text("interactions, mean score").wait_for(timeout=15_000)
    wait_for_app(page)
    first = panel.locator("button").first
    label = first.inner_text()
    first.click()
    wait_for_app(page)
    title = label.split(" · ", 1)[1]
    assert panel.locator("h3").first.inner_text() == title
    assert any(cat.text(x.title, "en") == title for x in cat.interactions)
    context.close()


def test_search_box_finds_a_target(browser, server) -> None:
    cat = load_catalogue(bundled_catalogues()["sdg"])
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto(server.url + "/?lang=en&catalogue=sdg")
    wait_for_app(page)
    page.get_by_role("combobox", name="Search a goal, sub-goal or interaction").click()
    page.keyboard.type("13.2")
    page.get_by_role("option").filter(has_text="(t13.2)").first.click()
    wait_for_app(page)
    title = cat.text(cat.nodes["t13.2"].title, "en")
    page.locator(".st-key-detail_panel").get_by_text(title).first.wait_for(timeout=15_000)
    # Focused: the network shows the target's neighbourhood, not all 186 nodes.
    nodes = [p for p in clickable_points(page) if p["kind"] == "node"]
    assert "t13.2" in {p["id"] for p in nodes} and len(nodes) < 40
    context.close()
