"""The projector's map in a real browser (issue 10, items 9 and 10): it fills its area at
1920x1080 and 1280x720, and at 1920x1080 every label shown is at least 24 px, dark, whole and
clear of every other label (bounding boxes measured in Chromium)."""

from __future__ import annotations

import pytest

from conflicts import workshops as ws
from conflicts.store import Store
from tests.e2e.conftest import PROJECTOR, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

MEASURE = """() => {
  const gd = document.querySelector('.st-key-projector_graph .js-plotly-plot');
  const box = gd.getBoundingClientRect();
  const marks = [...gd.querySelectorAll('.scatterlayer .trace .points path')]
    .map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
  const xs = marks.map(r => r.x + r.width / 2), ys = marks.map(r => r.y + r.height / 2);
  const labels = [...gd.querySelectorAll('.scatterlayer .textpoint text')]
    .filter(t => t.textContent.trim())
    .map(t => { const r = t.getBoundingClientRect(); const cs = getComputedStyle(t);
      return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height,
              size: parseFloat(cs.fontSize), fill: cs.fill,
              alpha: parseFloat(cs.fillOpacity) * parseFloat(cs.opacity)
                * parseFloat(getComputedStyle(t.closest('.textpoint') || t).opacity)
                * parseFloat(getComputedStyle(t.closest('g.trace') || t).opacity)}; });
  return {width: box.width, height: box.height, spanx: Math.max(...xs) - Math.min(...xs),
          spany: Math.max(...ys) - Math.min(...ys), labels};
}"""


def _luminance(fill: str) -> float:
    r, g, b = (int(v) / 255 for v in fill[fill.index("(") + 1 : fill.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["w"] <= b["x"]
        or b["x"] + b["w"] <= a["x"]
        or a["y"] + a["h"] <= b["y"]
        or b["y"] + b["h"] <= a["y"]
    )


def _measure(page) -> dict:
    page.locator(".st-key-projector_graph .js-plotly-plot .scatterlayer").wait_for()
    page.wait_for_timeout(1500)  # plotly's relayout to the full height
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("viewport", [PROJECTOR, {"width": 1280, "height": 720}])
def test_the_projector_map_fills_its_area_with_readable_labels(browser, server, viewport) -> None:
    store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
    created = ws.create_workshop("stockholm", store=store)
    grant = created.grant
    ws.open_workshop(grant, store=store)
    # A conflict with a sub-goal at one end: its sub-goal label is drawn too.
    cat = created.workshop.catalogue()
    ends = {x.id: (x.from_, x.to) for x in cat.interactions}
    item = next(
        i
        for i in created.workshop.items
        if any(n not in cat.goals_by_id for n in ends.get(i.interaction_id, ()))
    )
    ws.set_current_item(grant, item.id, store=store)
    ws.toggle_voting(grant, item.id, store=store)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{server.url}/projector?code={created.workshop.code}&lang=sv")
    wait_for_app(page)
    m = _measure(page)
    screenshot(page, f"projector-graph-{viewport['width']}x{viewport['height']}")
    # Item 9: the nodes span at least 80 % of the graph's width or height.
    assert max(m["spanx"] / m["width"], m["spany"] / m["height"]) >= 0.8, m
    if viewport == PROJECTOR:  # item 10 at 1920x1080
        labels = m["labels"]
        assert len(labels) > 4, "no sub-goal label drawn"
        for label in labels:
            assert label["size"] >= 24, label
            assert _luminance(label["fill"]) < 0.25 and label["alpha"] > 0.9, label  # dark
            assert "…" not in label["text"], label  # whole: wrapped, not cut
        for n, a in enumerate(labels):
            for b in labels[n + 1 :]:
                assert not _overlap(a, b), (a, b)
    context.close()
