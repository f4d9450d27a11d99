"""The room pages (projector, phone) for facilitation: warm-ups, the timer, the agenda overview,
proposals and who is in the room. Streamlit AppTest against a real SQLite file; the state is built
with the real domain API."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.store import utcnow
from conflicts.ui.widgets import md_escape
from tests.apptest import TIMEOUT, page
from tests.helpers import env_store, grant_for

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "workshop_small.yaml"  # goals housing, nature, transport, climate
WARMUP_EN = "Which goal matters most to your organisation?"


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def texts(at: AppTest) -> str:
    """Every Markdown, caption, info, success and error text, Markdown escapes undone."""
    parts = [e.value for kind in ("markdown", "caption", "info", "success", "error")
             for e in getattr(at, kind)]  # fmt: skip
    return "\n".join(parts).replace("\\", "")


def _open_workshop(method: str = "rating") -> ws.Workshop:
    created = ws.create_workshop(str(SMALL), method=method, store=env_store())
    ws.open_workshop(grant_for(created.workshop.code, env_store()), store=env_store())
    return ws.get_workshop(created.workshop.code, store=env_store())


def _warmup_step(method: str = "rating") -> tuple[str, ws.AgendaItem]:
    w = _open_workshop(method)
    item = ws.add_warmup(
        grant_for(w.code, env_store()),
        {"sv": "Vilket mål är viktigast?", "en": WARMUP_EN},
        store=env_store(),
    )
    ws.step(
        grant_for(w.code, env_store()), +1, store=env_store()
    )  # the warm-up is first on the agenda
    ws.toggle_voting(grant_for(w.code, env_store()), item.id, store=env_store())
    assert ws.get_workshop(w.code, store=env_store()).current_item_id == item.id
    return w.code, item


def _voter(code: str, name: str, **self_description: str) -> str:
    voter = f"voter-{name}-{'x' * 24}"
    ws.join(code, voter, display_name=name, **self_description, store=env_store())
    return voter


# --------------------------------------------------------------------------------------------
# Projector
# --------------------------------------------------------------------------------------------
def ballots_attribute(at) -> int | None:
    """The projector's ``data-ballots`` attribute (what tests and load tools read)."""
    import re

    found = [re.search(r'data-ballots="(\d+)"', h.proto.body) for h in at.get("html")]
    return next((int(m.group(1)) for m in found if m), None)


def test_projector_shows_the_warmup_question_goals_and_tally(database) -> None:
    code, item = _warmup_step()
    at = page("projector", code=code, lang="en").run()
    assert not at.exception
    assert f"## {WARMUP_EN}" in markdown(at)
    shown = texts(at)
    for goal in ("Housing", "Nature", "Transport", "Climate"):
        assert goal in shown
    assert code in [m.value for m in at.markdown]  # voting is open: the join code is up
    assert ballots_attribute(at) == 0
    assert not any("ballots=" in c.value for c in at.caption)  # no test hook for the room

    ws.cast_ballot(code, _voter(code, "a"), item.id, value=2, store=env_store())  # Transport
    ws.cast_ballot(code, _voter(code, "b"), item.id, value=2, store=env_store())
    ws.cast_ballot(code, _voter(code, "c"), item.id, value=0, store=env_store())  # Housing
    at.run()
    shown = texts(at)
    assert "★ **3.** Transport — **2** (67%)" in shown
    assert "**1.** Housing — **1** (33%)" in shown
    assert any(t("ws.ballots_in", "en", n=3) in m.value for m in at.markdown)
    assert ballots_attribute(at) == 3

    # Hidden until closed: the count stays, the distribution goes.
    ws.set_hide_results(grant_for(code, env_store()), True, store=env_store())
    at.run()
    assert "(67%)" not in texts(at)
    assert any(t("ws.hidden", "en") in i.value for i in at.info)


def test_projector_shows_the_timer_running_paused_and_up(database) -> None:
    w = _open_workshop()
    first = w.items[0]
    ws.set_current_item(grant_for(w.code, env_store()), first.id, store=env_store())
    ws.timer_start(grant_for(w.code, env_store()), 300, store=env_store())
    at = page("projector", code=w.code, lang="en").run()
    assert not at.exception
    assert re.search(r"\*\*(5:00|4:5\d) left\*\*", markdown(at))

    ws.timer_pause(grant_for(w.code, env_store()), store=env_store())
    at.run()
    assert re.search(r"\*\*(5:00|4:5\d) left · paused\*\*", markdown(at))

    ws.timer_start(
        grant_for(w.code, env_store()), 5, now=utcnow() - timedelta(seconds=60), store=env_store()
    )
    at.run()
    assert "**Time is up**" in markdown(at)

    ws.timer_reset(grant_for(w.code, env_store()), store=env_store())
    at.run()
    assert "left" not in markdown(at) and t("ws.timer_up", "en") not in markdown(at)


def test_projector_overview_lists_states_and_outcomes(database) -> None:
    w = _open_workshop()
    first, second = w.items[0], w.items[1]
    warm = ws.add_warmup(
        grant_for(w.code, env_store()), {"sv": "Uppvärmning?", "en": "Warm up?"}, store=env_store()
    )
    ws.toggle_voting(grant_for(w.code, env_store()), first.id, store=env_store())
    ws.toggle_voting(grant_for(w.code, env_store()), first.id, store=env_store())  # closed
    ws.save_outcome(
        grant_for(w.code, env_store()),
        first.id,
        outcome="needs_analysis",
        owner="Region *Stockholm*",
        store=env_store(),
    )
    ws.toggle_voting(grant_for(w.code, env_store()), second.id, store=env_store())  # open
    at = page("projector", code=w.code, lang="en").run()
    assert not at.exception
    assert "## Agenda" in markdown(at)
    shown = texts(at)
    assert "1. Warm-up: Warm up? — ○ *Not started*" in shown
    assert "2. Housing versus green space — ✓ *Voting closed*" in shown
    assert "Outcome: **Needs analysis** · owner: Region *Stockholm*" in shown
    assert "3. Roads versus climate — ● *Voting open*" in shown
    owner = "Region \\*Stockholm\\*"  # the owner's Markdown is escaped
    assert t("room.owner", "en", owner=owner) in markdown(at)
    assert w.code in [m.value for m in at.markdown]  # no current step, workshop open: the code
    assert warm.id not in {o for o in ws.get_outcomes(w.code, store=env_store())}


def test_projector_escapes_a_proposed_interaction(database) -> None:
    w = _open_workshop()
    voter = _voter(w.code, "p")
    title = "**bold** <b>x</b>"
    p = ws.propose(
        w.code, voter, title=title, text="Line *one* <i>two</i>", from_node="housing",
        to_node="climate", store=env_store()
    )  # fmt: skip
    item = ws.accept_proposal(grant_for(w.code, env_store()), p.id, score=-2, store=env_store())
    ws.set_current_item(grant_for(w.code, env_store()), item.id, store=env_store())
    at = page("projector", code=w.code, lang="en").run()
    assert not at.exception
    md = markdown(at)
    assert f"## {md_escape(title)}" in md
    assert "## \\*\\*bold\\*\\* \\<b\\>x\\</b\\>" in md
    assert "**bold**" not in md.replace(md_escape(title), "")
    assert "Line \\*one\\* \\<i\\>two\\</i\\>" in md  # the description
    assert t("prop.proposed", "en") in md


def test_projector_shows_who_is_in_the_room(database) -> None:
    w = _open_workshop()
    item = ws.add_interaction(
        grant_for(w.code, env_store()), from_node="transport", to_node="climate", score=-2, title="Trafik",
        levels=["regional", "national"], actors=["kommun"], store=env_store()
    )  # fmt: skip
    _voter(w.code, "r", level="regional", actor_type="region")
    _voter(w.code, "s", level="regional")
    ws.set_current_item(grant_for(w.code, env_store()), item.id, store=env_store())
    at = page("projector", code=w.code, lang="en").run()
    assert not at.exception
    md = markdown(at)
    assert t("room.title", "en") in md
    assert "✓ Regional · present (2)" in md
    assert "✗ National · missing" in md
    assert "✗ Municipality · missing" in md

    # While voting is open the room panel gives way to the join code and the tally.
    ws.toggle_voting(grant_for(w.code, env_store()), item.id, store=env_store())
    at.run()
    assert t("room.title", "en") not in markdown(at)


# --------------------------------------------------------------------------------------------
# The shared widget
# --------------------------------------------------------------------------------------------
def _panel_script(code: str, interaction_id: str) -> None:
    from conflicts import workshops as ws
    from conflicts.ui.room import representation_panel
    from tests.helpers import env_store

    w = ws.get_workshop(code, store=env_store())
    representation_panel(
        w.catalogue(), interaction_id, ws.list_participants(code, store=env_store()), "en"
    )


def test_representation_panel_lists_missing_and_none_given(database) -> None:
    w = _open_workshop()
    item = ws.add_interaction(
        grant_for(w.code, env_store()), from_node="nature", to_node="housing", score=-1, title="X",
        levels=["local", "eu"], actors=["kommun"], store=env_store()
    )  # fmt: skip
    _voter(w.code, "m", level="local", actor_type="municipality")
    at = AppTest.from_function(
        _panel_script, args=(w.code, item.interaction_id), default_timeout=TIMEOUT
    ).run()
    assert not at.exception
    md = markdown(at)
    assert "✓ Local · present (1)" in md
    assert "✗ EU · missing" in md
    assert "✓ Municipality · present (1)" in md
    captions = " ".join(c.value for c in at.caption)
    assert t("room.needed_actors", "en", names="The municipality") in captions
    assert t("room.summary", "en", n=1, missing=1) in captions

    # c2 names no levels and no actors: "None given." for both, no summary.
    at = AppTest.from_function(_panel_script, args=(w.code, "c2"), default_timeout=TIMEOUT).run()
    assert markdown(at).count(t("room.none_needed", "en")) == 2
    # A warm-up key is not an interaction: nothing is drawn, no error.
    at = AppTest.from_function(
        _panel_script, args=(w.code, "warmup-1"), default_timeout=TIMEOUT
    ).run()
    assert not at.exception and not at.markdown


def test_projector_shows_the_question_and_scale_then_voting_closed_then_ended(database) -> None:
    """Issue 10.11 and 10.6: the question and scale while voting; "closed" after; the end."""
    created = ws.create_workshop("stockholm", title="Rådslag <Söder>", store=env_store())
    code = created.workshop.code
    grant = grant_for(code, env_store())
    ws.open_workshop(grant, store=env_store())
    item = ws.step(grant, 1, store=env_store()).current_item
    ws.toggle_voting(grant, item.id, store=env_store())
    at = page("projector", code=code, lang="sv").run()
    shown = " ".join(m.value for m in at.markdown)
    assert "Hur viktigt är det att vi hanterar den här konflikten nu?" in shown
    assert "1 = inte alls · 5 = mycket" in shown
    assert any("Rådslag \\<Söder\\>" in c.value for c in at.caption)  # the title, escaped
    ws.toggle_voting(grant, item.id, store=env_store())
    at.run()
    assert "Röstningen är stängd" in " ".join(m.value for m in at.markdown)
    ws.timer_start(grant, 300, store=env_store())
    ws.close_workshop(grant, store=env_store())
    at.run()
    shown = " ".join(m.value for m in at.markdown)
    assert t("projector.ended", "sv") in shown
    assert "kvar" not in shown  # no timer after the end
