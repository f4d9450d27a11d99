"""How long the projector and the phones take to follow the facilitator, in real browsers.

    python benchmarks/follow.py [--steps 8] [--phones 3]

Starts the app (``conflicts.testing.AppServer``, fresh SQLite file), creates a workshop in follow
mode, opens ``--phones`` phone pages (``/join?code=CODE``, the light participant page, each in a
mobile Chromium context) and joins them, and drives the facilitator console in Debian's Chromium
with its keyboard shortcuts: for each step ``N`` (next) then ``V`` (open voting). It measures,
from the key press:

* ``console``: ``N`` until the console itself shows the new step (the facilitator's round trip);
* ``projector``: ``N`` until the projector shows the new item's title;
* ``phone``: ``V`` until every phone shows the voting card of the new step (its vote buttons).

The projector polls one row every second; the phone page long-polls the state API
(``GET /api/workshops/CODE/state?after=REV``), so it should follow in well under a second. The
last line is one JSON object with all figures. Needs Chromium at /usr/bin/chromium
(``apt-get install -y chromium``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from conflicts import workshops as ws  # noqa: E402
from conflicts.i18n import t  # noqa: E402
from conflicts.store import Store  # noqa: E402
from conflicts.testing import AppServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000),
        "max_ms": round(ordered[-1] * 1000),
        "mean_ms": round(statistics.fmean(ordered) * 1000),
    }


def _wait_text(page, selector: str, text: str, timeout_ms: int = 15_000) -> None:
    page.wait_for_function(
        "([sel, text]) => [...document.querySelectorAll(sel)]"
        ".some(e => e.innerText.includes(text))",
        arg=[selector, text],
        timeout=timeout_ms,
        polling=20,
    )


def _item_title(cat, item) -> str:
    """What the projector shows for an item: the question of a warm-up, else the title."""
    if item.kind == "warmup":
        return item.question_text("en")
    return cat.text(cat.interactions_by_id[item.interaction_id].title, "en")


def _open_phones(browser, url: str, n: int) -> list:
    """``n`` phones on the participant page, joined (anonymously) and showing the live card."""
    pages = []
    for _ in range(n):
        page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        page.goto(url)
        page.click("#join-submit")
        page.locator("#live").wait_for()
        pages.append(page)
    return pages


def run(steps: int, phones: int) -> dict:
    """Drive ``steps`` facilitator steps; the measured seconds per figure, summarised."""
    from playwright.sync_api import sync_playwright

    with AppServer() as server, sync_playwright() as p:
        store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
        created = ws.create_workshop("stockholm", title="Follow benchmark", store=store)
        code = created.workshop.code
        ws.open_workshop(created.grant, store=store)
        cat = created.workshop.catalogue()
        items = created.workshop.items[:steps]
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        fac = browser.new_context(viewport=PROJECTOR).new_page()
        fac.goto(f"{server.url}/facilitate?code={code}&lang=en")
        fac.wait_for_selector(IDLE)
        fac.locator(".st-key-unlock_key input").fill(created.facilitator_key)
        fac.get_by_role("button", name="Unlock").click()
        fac.locator(".st-key-step_next").wait_for()
        fac.wait_for_selector(IDLE)

        projector = browser.new_context(viewport=PROJECTOR).new_page()
        projector.goto(f"{server.url}/projector?code={code}&lang=en")
        projector.wait_for_selector(IDLE)
        pages = _open_phones(browser, f"{server.url}/join?code={code}&lang=en", phones)
        time.sleep(2)

        figures: dict[str, list[float]] = {"projector": [], "phone": [], "console": []}
        for n, item in enumerate(items, 1):
            step_caption = t("fac.step_of", "en", n=n, total=len(created.workshop.items))
            fac.locator("h1").first.click()  # focus the page, not a field
            start = time.monotonic()
            fac.keyboard.press("n")
            _wait_text(fac, "[data-testid='stCaptionContainer']", step_caption)
            figures["console"].append(time.monotonic() - start)
            _wait_text(projector, ".st-key-projector_side", _item_title(cat, item))
            figures["projector"].append(time.monotonic() - start)
            fac.wait_for_selector(IDLE)
            fac.locator("h1").first.click()  # a rerun may have moved the focus
            start = time.monotonic()
            fac.keyboard.press("v")
            for page in pages:  # the card's vote buttons are #vote-ITEM-VALUE
                page.locator(f"[id^='vote-{item.id}-']").first.wait_for(timeout=15_000)
            figures["phone"].append(time.monotonic() - start)
            fac.wait_for_selector(IDLE)
            stored = ws.get_workshop(code, store=store)
            assert stored.current_item_id == item.id and stored.current_item.voting == "open"
            ws.close_voting(created.grant, item.id, store=store)  # close before moving on
        browser.close()
    return {
        "steps": len(items),
        "phones": phones,
        **{f"{k}_{m}": v for k, vals in figures.items() for m, v in _summary(vals).items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--phones", type=int, default=3)
    args = parser.parse_args()
    result = run(args.steps, args.phones)
    for key in ("console", "projector", "phone"):
        print(
            f"{key:>9}: p50 {result[key + '_p50_ms']:>5} ms   "
            f"mean {result[key + '_mean_ms']:>5} ms   max {result[key + '_max_ms']:>5} ms"
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
