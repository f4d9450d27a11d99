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


CLICK_PLOTLY_POINT = """
([kind, ident]) => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    for (const trace of gd._fullData) {
      const data = trace.customdata || [];
      for (let i = 0; i < data.length; i++) {
        if (data[i] && data[i][0] === kind && (ident === null || data[i][1] === ident)) {
          const xa = gd._fullLayout[trace.xaxis === 'x' ? 'xaxis' : 'xaxis' + trace.xaxis.slice(1)];
          const ya = gd._fullLayout[trace.yaxis === 'y' ? 'yaxis' : 'yaxis' + trace.yaxis.slice(1)];
          const box = gd.getBoundingClientRect();
          return {x: box.left + xa._offset + xa.l2p(trace.x[i]),
                  y: box.top + ya._offset + ya.l2p(trace.y[i]), id: data[i][1]};
        }
      }
    }
  }
  return null;
}
"""


def click_plotly_point(page, kind: str, ident: str | None = None) -> str:
    """Click the plotly point whose customdata is [kind, ident] (the first of kind if None)."""
    page.wait_for_function("() => document.querySelector('.js-plotly-plot')?._fullLayout")
    target = page.evaluate(CLICK_PLOTLY_POINT, [kind, ident])
    assert target, f"no plotly point with customdata [{kind}, {ident}]"
    page.mouse.move(target["x"], target["y"])
    page.wait_for_timeout(150)
    page.mouse.click(target["x"], target["y"])
    return target["id"]
