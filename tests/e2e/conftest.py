"""Real-browser fixtures: a real Streamlit server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conflicts.testing import ROOT, AppServer

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CONFLICTS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with AppServer(data_dir=tmp_path_factory.mktemp("app")) as app:
        yield app


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script for this page."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )
    page.wait_for_timeout(300)  # let the last deltas paint
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


CLICKABLE_POINTS = """
() => {
  // Every clickable point (customdata [kind, id]) with its pixel position on the page.
  const out = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const box = gd.getBoundingClientRect();
    for (const trace of gd._fullData) {
      const xa = gd._fullLayout[trace.xaxis === 'x' ? 'xaxis' : 'xaxis' + trace.xaxis.slice(1)];
      const ya = gd._fullLayout[trace.yaxis === 'y' ? 'yaxis' : 'yaxis' + trace.yaxis.slice(1)];
      (trace.customdata || []).forEach((d, i) => {
        if (Array.isArray(d) && ['node', 'edge', 'cell'].includes(d[0])) {
          out.push({kind: d[0], id: d[1], x: box.left + xa._offset + xa.l2p(trace.x[i]),
                    y: box.top + ya._offset + ya.l2p(trace.y[i])});
        }
      });
    }
  }
  return out;
}
"""


def clickable_points(page) -> list[dict]:
    page.wait_for_function("() => document.querySelector('.js-plotly-plot')?._fullLayout")
    return page.evaluate(CLICKABLE_POINTS)


def isolated_point(page, kind: str, candidates: set[str] | None = None) -> dict:
    """The point of ``kind`` farthest from every other clickable point: a click there is
    unambiguous (plotly picks the closest point to the cursor)."""
    points = clickable_points(page)

    def clearance(p: dict) -> float:
        return min(
            ((p["x"] - q["x"]) ** 2 + (p["y"] - q["y"]) ** 2) ** 0.5 for q in points if q is not p
        )

    mine = [
        p for p in points if p["kind"] == kind and (candidates is None or p["id"] in candidates)
    ]
    assert mine, f"no clickable {kind} point"
    return max(mine, key=clearance)


def click_plotly_point(page, kind: str, ident: str) -> None:
    """Click the plotly point whose customdata is [kind, ident]."""
    (target,) = [p for p in clickable_points(page) if p["kind"] == kind and p["id"] == ident]
    page.mouse.move(target["x"], target["y"])
    page.wait_for_timeout(150)
    page.mouse.click(target["x"], target["y"])
