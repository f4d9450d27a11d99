"""Explore on the SDG catalogue (186 nodes) at the goal level in a real browser (issue 10, item
15): at 1920x1080 the map fills its area (nodes spanning at least 80 % of the plot's width or
height) and every goal label is dark, whole and clear of every other label and of the goals'
markers (bounding boxes measured in Chromium)."""

from __future__ import annotations

import pytest

from conflicts.catalogue import bundled_catalogues, load_catalogue
from tests.e2e.conftest import PROJECTOR, screenshot, wait_for_app
from tests.e2e.test_projector_graph import _luminance, _overlap

pytestmark = pytest.mark.e2e

MEASURE = """() => {
  const gd = document.querySelector('.st-key-explore_graph .js-plotly-plot');
  const box = gd.getBoundingClientRect();
  const marks = [...gd.querySelectorAll('.scatterlayer .trace .points path')]
    .map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
  const xs = marks.map(r => r.x + r.width / 2), ys = marks.map(r => r.y + r.height / 2);
  const nodes = [];
  for (const tr of gd._fullData) {
    if (!tr.meta || tr.meta.kind !== 'nodes') continue;
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    tr.x.forEach((x, i) => {
      const s = Array.isArray(tr.marker.size) ? tr.marker.size[i] : tr.marker.size;
      nodes.push({x: box.left + xa._offset + xa.l2p(x) - s / 2,
                  y: box.top + ya._offset + ya.l2p(tr.y[i]) - s / 2, w: s, h: s});
    });
  }
  const labels = [...gd.querySelectorAll('.scatterlayer .textpoint text')]
    .filter(t => t.textContent.trim())
    .map(t => { const cs = getComputedStyle(t), r = t.getBoundingClientRect();
      return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height, fill: cs.fill,
              alpha: parseFloat(cs.fillOpacity) * parseFloat(cs.opacity)}; });
  return {width: box.width, height: box.height, spanx: Math.max(...xs) - Math.min(...xs),
          spany: Math.max(...ys) - Math.min(...ys), labels, nodes};
}"""


def _measure(browser, server) -> dict:
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/?catalogue=sdg&lang=sv")
        wait_for_app(page)
        page.locator(".st-key-explore_graph .js-plotly-plot .scatterlayer").wait_for()
        page.wait_for_timeout(1500)  # plotly's relayout to the full size
        screenshot(page, "explore-sdg-goals-1920x1080")
        return page.evaluate(MEASURE)
    finally:
        context.close()


def test_sdg_goal_level_fills_its_area_with_dark_whole_labels(browser, server) -> None:
    cat = load_catalogue(bundled_catalogues()["sdg"])
    m = _measure(browser, server)
    assert max(m["spanx"] / m["width"], m["spany"] / m["height"]) >= 0.8, m
    labels = m["labels"]
    assert len(labels) == len(cat.goals), [x["text"] for x in labels]
    for label in labels:
        assert _luminance(label["fill"]) < 0.25 and label["alpha"] > 0.9, label  # dark
        assert "…" not in label["text"], label  # whole


def test_sdg_goal_labels_do_not_overlap(browser, server) -> None:
    m = _measure(browser, server)
    labels = m["labels"]
    for n, a in enumerate(labels):
        for b in labels[n + 1 :]:
            assert not _overlap(a, b), ("labels overlap", a, b)
        for node in m["nodes"]:
            assert not _overlap(a, node), ("label over a goal", a, node)
