"""The facilitator console through AppTest: stepping, voting, timer, agenda, notes, proposals.

Every action is checked in the database (a real SQLite file), not only on screen.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.ui.state import GRANTS
from tests.apptest import PAGE_SCRIPT, TIMEOUT
from tests.helpers import env_store, grant_for


def console(code: str) -> AppTest:
    """The console of ``code``, already unlocked in this (test) browser session."""
    at = AppTest.from_string(
        PAGE_SCRIPT.format(name="facilitate"),
        default_timeout=TIMEOUT,
    )
    at.query_params["code"] = code
    at.query_params["lang"] = "en"
    at.session_state[GRANTS] = {code: grant_for(code, env_store())}
    return at.run()


@pytest.fixture
def workshop(database) -> ws.Workshop:
    created = ws.create_workshop("stockholm", store=env_store())
    return ws.open_workshop(grant_for(created.workshop.code, env_store()), store=env_store())


def jump_box(at: AppTest):
    """The step bar's select box (its key follows the stored step and revision)."""
    (box,) = [s for s in at.selectbox if str(s.key).startswith("step_jump_")]
    return box


def current(code: str) -> int | None:
    return ws.get_workshop(code, store=env_store()).current_item_id


def test_next_previous_overview_and_jump(workshop) -> None:
    code, items = workshop.code, workshop.items
    at = console(code)
    assert not at.exception
    assert at.button(key="step_prev").disabled
    at.button(key="step_next").click().run()
    assert current(code) == items[0].id
    at.button(key="step_next").click().run()
    at.button(key="step_next").click().run()
    assert current(code) == items[2].id
    assert any("Step 3 of" in c.value for c in at.caption)
    at.button(key="step_prev").click().run()
    assert current(code) == items[1].id
    jump_box(at).set_value(items[5].id).run()
    assert current(code) == items[5].id
    at.button(key="step_overview").click().run()
    assert current(code) is None
    assert not at.exception
    assert any(t("fac.no_step", "en") in i.value for i in at.info)


def test_the_step_bar_follows_a_change_made_on_another_device(workshop) -> None:
    code, items = workshop.code, workshop.items
    at = console(code)
    ws.step(grant_for(code, env_store()), 1, store=env_store())  # the facilitator's tablet moves on
    ws.step(grant_for(code, env_store()), 1, store=env_store())
    at.run()
    assert jump_box(at).value == items[1].id
    assert any("Step 2 of" in c.value for c in at.caption)


def test_open_and_close_voting_with_one_action(workshop) -> None:
    code = workshop.code
    at = console(code)
    assert at.button(key="step_toggle").disabled  # nothing shown yet
    at.button(key="step_next").click().run()
    at.button(key="step_toggle").click().run()
    item = ws.get_workshop(code, store=env_store()).current_item
    assert item.voting == "open"
    assert at.button(key="step_toggle").label == t("fac.close_voting", "en")
    at.button(key="step_toggle").click().run()
    assert ws.get_workshop(code, store=env_store()).current_item.voting == "closed"


def test_timer_start_pause_extend_resume_reset(workshop) -> None:
    code = workshop.code
    ws.step(grant_for(code, env_store()), 1, store=env_store())
    at = console(code)
    at.number_input(key="timer_minutes").set_value(3).run()
    at.button(key="timer_start").click().run()
    state = ws.timer_state(ws.get_workshop(code, store=env_store()))
    assert state is not None and state.duration_s == 180 and not state.paused
    at.button(key="timer_pause").click().run()
    assert ws.timer_state(ws.get_workshop(code, store=env_store())).paused
    at.button(key="timer_extend").click().run()
    state = ws.timer_state(ws.get_workshop(code, store=env_store()))
    assert state.duration_s == 240 and 230 <= state.remaining_s <= 240
    at.button(key="timer_resume").click().run()
    assert not ws.timer_state(ws.get_workshop(code, store=env_store())).paused
    assert any("left" in m.value for m in at.markdown)
    at.button(key="timer_reset").click().run()
    assert ws.timer_state(ws.get_workshop(code, store=env_store())) is None


def test_agenda_move_order_remove_choose_and_add(workshop) -> None:
    code, items = workshop.code, workshop.items
    at = console(code)
    at.button(key=f"down_{items[0].id}").click().run()
    order = [i.id for i in ws.get_workshop(code, store=env_store()).items]
    assert order[:2] == [items[1].id, items[0].id]
    at.button(key=f"up_{items[0].id}").click().run()
    assert [i.id for i in ws.get_workshop(code, store=env_store()).items][:2] == [
        items[0].id,
        items[1].id,
    ]

    at.button(key="order_strength").click().run()
    cat = ws.get_workshop(code, store=env_store()).catalogue()
    strengths = [
        abs(cat.interactions_by_id[i.interaction_id].score)
        for i in ws.get_workshop(code, store=env_store()).items
    ]
    assert strengths == sorted(strengths, reverse=True)

    last = ws.get_workshop(code, store=env_store()).items[-1]
    at.button(key=f"remove_{last.id}").click().run()
    assert last.id not in {i.id for i in ws.get_workshop(code, store=env_store()).items}

    # Choose exactly three interactions.
    chosen = [i.interaction_id for i in ws.get_workshop(code, store=env_store()).items[:3]]
    at.multiselect(key="agenda_choose").set_value(chosen).run()
    at.button(key="agenda_save").click().run()
    assert [i.interaction_id for i in ws.get_workshop(code, store=env_store()).items] == chosen

    # Add a conflict the catalogue lacks, on the spot; it joins the agenda and the catalogue.
    goals = [g.id for g in cat.goals]
    at.selectbox(key="add_from").set_value(goals[0])
    at.selectbox(key="add_to").set_value(goals[2])
    at.select_slider(key="add_score").set_value(-3)
    at.text_input(key="add_title").input("Night trains vs. freight capacity")
    at.text_area(key="add_questions").input("Who decides?\nWho pays?")
    at.button(key="add_submit").click().run()
    assert not at.exception, at.exception
    w = ws.get_workshop(code, store=env_store())
    added = w.catalogue().interactions_by_id[w.items[-1].interaction_id]
    assert (added.from_, added.to, added.score) == (goals[0], goals[2], -3)
    assert [w.catalogue().text(q, "en") for q in added.questions] == ["Who decides?", "Who pays?"]

    at.button(key="warmup_submit").click().run()
    first = ws.get_workshop(code, store=env_store()).items[0]
    assert first.is_warmup
    assert first.question_text("en") == t("fac.warmup_default", "en")
    assert not at.exception


def test_adding_a_conflict_with_the_same_goal_twice_is_refused(workshop) -> None:
    code = workshop.code
    at = console(code)
    before = len(ws.get_workshop(code, store=env_store()).items)
    goal = ws.get_workshop(code, store=env_store()).catalogue().goals[0].id
    at.selectbox(key="add_from").set_value(goal)
    at.selectbox(key="add_to").set_value(goal)
    at.text_input(key="add_title").input("Loop")
    at.button(key="add_submit").click().run()
    assert at.error, "a self-loop must be refused with a message"
    assert len(ws.get_workshop(code, store=env_store()).items) == before


def test_outcome_and_date_are_saved_and_shown_after_a_reload(workshop) -> None:
    code = workshop.code
    ws.step(grant_for(code, env_store()), 1, store=env_store())
    item_id = current(code)
    at = console(code)
    outcome = next(s for s in at.selectbox if s.key.startswith(f"outcome_{item_id}_"))
    outcome.set_value("escalate").run()
    stored = ws.get_outcomes(code, store=env_store())[item_id]
    assert stored.outcome == "escalate"
    due = next(d for d in at.date_input if d.key.startswith(f"due_{item_id}_"))
    due.set_value("2027-03-01").run()
    assert str(ws.get_outcomes(code, store=env_store())[item_id].due_date) == "2027-03-01"
    assert (
        ws.get_outcomes(code, store=env_store())[item_id].outcome == "escalate"
    )  # the other field stays

    again = console(code)  # a reload (new session)
    outcome = next(s for s in again.selectbox if s.key.startswith(f"outcome_{item_id}_"))
    assert outcome.value == "escalate"
    assert any(c.value.startswith(t("fac.saved_at", "en", time="")) for c in again.caption)


def test_proposals_accept_decline_merge(workshop) -> None:
    code = workshop.code
    cat = workshop.catalogue()
    a, b = cat.goals[0].id, cat.goals[1].id
    voters = []
    for n in range(3):
        voter = f"voter-{n}-abcdefgh"
        ws.join(code, voter, display_name=f"Person {n}", store=env_store())
        voters.append(voter)
    p1 = ws.propose(
        code,
        voters[0],
        title="**Airport** <b>noise</b>",
        text="Runway vs. housing",
        from_node=a,
        to_node=b,
        store=env_store(),
    )
    p2 = ws.propose(
        code,
        voters[1],
        title="Airport noise again",
        text="",
        from_node=a,
        to_node=b,
        store=env_store(),
    )
    p3 = ws.propose(
        code, voters[2], title="Off topic", text="", from_node=b, to_node=a, store=env_store()
    )

    at = console(code)
    assert t("fac.tab_proposals", "en", n=3) in [tab.label for tab in at.tabs]
    shown = " ".join(m.value for m in at.markdown)
    assert "\\*\\*Airport\\*\\* \\<b\\>noise\\</b\\>" in shown  # as text, not Markdown/HTML

    at.selectbox(key=f"merge_into_{p2.id}").set_value(p1.id).run()
    at.button(key=f"merge_{p2.id}").click().run()
    at.button(key=f"decline_{p3.id}").click().run()
    at.select_slider(key=f"accept_score_{p1.id}").set_value(-2).run()
    at.button(key=f"accept_{p1.id}").click().run()
    assert not at.exception

    status = {
        p.id: p.status for p in ws.list_proposals(grant_for(code, env_store()), store=env_store())
    }
    assert status == {p1.id: "accepted", p2.id: "merged", p3.id: "declined"}
    w = ws.get_workshop(code, store=env_store())
    added = w.catalogue().interactions_by_id[w.items[-1].interaction_id]
    assert added.score == -2 and "proposed" in added.tags
    assert t("fac.tab_proposals", "en", n=0) in [tab.label for tab in at.tabs]


def _one_ballot(code: str) -> ws.AgendaItem:
    item = ws.step(grant_for(code, env_store()), 1, store=env_store()).current_item
    ws.toggle_voting(grant_for(code, env_store()), item.id, store=env_store())
    ws.join(code, "voter-0-abcdefgh", store=env_store())
    ws.cast_ballot(code, "voter-0-abcdefgh", item.id, 3, store=env_store())
    return item


def test_a_refused_method_change_says_why_and_shows_the_stored_setting(workshop) -> None:
    """Issue 10.1: no rerun loop, the reason in words, the control back on the stored value."""
    code = workshop.code
    _one_ballot(code)
    at = console(code)
    (method,) = [c for c in at.button_group if str(c.key).startswith(f"method_{code}")]
    method.set_value("score").run()  # a loop would time out here
    assert not at.exception
    assert ws.get_workshop(code, store=env_store()).method == "rating"
    assert t("err.method_locked", "en") in [e.value for e in at.error]
    (method,) = [c for c in at.button_group if str(c.key).startswith(f"method_{code}")]
    assert method.value == "rating"
    at.run()  # the refusal is not retried: the error is gone, the setting stays
    assert not at.error and ws.get_workshop(code, store=env_store()).method == "rating"


def test_every_refusal_code_of_the_domain_is_translated() -> None:
    import re
    from pathlib import Path

    from conflicts.i18n import TRANSLATIONS

    root = Path(ws.__file__).parent
    codes = {c for f in root.glob("*.py") for c in re.findall(r'code="([a-z_]+)"', f.read_text())}
    assert codes and not sorted(c for c in codes if f"err.{c}" not in TRANSLATIONS)


def test_moving_on_closes_the_open_vote_and_says_so(workshop) -> None:
    """Issue 10.5: N while voting is open closes that vote first (the default), with a notice;
    with the toggle off the vote stays open and the console says phones cannot reach it."""
    code = workshop.code
    item = _one_ballot(code)
    at = console(code)
    at.button(key="step_next").click().run()
    w = ws.get_workshop(code, store=env_store())
    assert w.item(item.id).voting == "closed" and w.current_item_id != item.id
    assert any("was closed" in i.value for i in at.info)
    second = w.current_item
    at.button(key="step_toggle").click().run()
    at.toggle(key="close_on_move").set_value(False).run()
    at.button(key="step_next").click().run()
    assert ws.get_workshop(code, store=env_store()).item(second.id).voting == "open"
    assert any("still open" in i.value for i in at.info)


def test_ending_the_workshop_asks_first_and_stops_the_timer(workshop) -> None:
    """Issue 10.6: one click does not end it; the confirmation does; the timer stops."""
    code = workshop.code
    ws.step(grant_for(code, env_store()), 1, store=env_store())
    ws.timer_start(grant_for(code, env_store()), 300, store=env_store())
    at = console(code)
    assert not [b for b in at.button if b.key == "close_ws"]  # a popover, not a button
    at.button(key="close_ws_confirm").click().run()
    w = ws.get_workshop(code, store=env_store())
    assert w.status == "closed"
    assert ws.timer_state(w) is None


def test_the_new_key_is_shown_once_with_copy_and_download(database) -> None:
    """Issue 10.7: after creating, the key with a download button; the next action hides it."""
    at = AppTest.from_string(PAGE_SCRIPT.format(name="facilitate"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    at.text_input(key="create_title").set_value("Rådslag")
    at.button(key="create_submit").click().run()
    assert not at.exception
    key = at.code[0].value
    (w,) = ws.list_workshops(store=env_store())
    assert ws.check_facilitator(w.code, key, store=env_store())
    assert [d for d in at.get("download_button") if d.proto.label == "Download the key"]
    assert any(s.value == "Rådslag" for s in at.subheader)  # the title on the console
    at.button(key="step_next").click().run()  # any next action
    assert key not in [c.value for c in at.code]


def test_v_acts_on_the_step_the_room_sees_even_from_a_stale_page(workshop) -> None:
    """Issue 10.16: a V pressed before the page redrew after a step (here: a step taken on
    another device) opens voting on the stored step, not on the one the page was drawn for."""
    code, items = workshop.code, workshop.items
    ws.step(grant_for(code, env_store()), 1, store=env_store())
    at = console(code)  # drawn on step 1
    ws.step(grant_for(code, env_store()), 1, store=env_store())  # the room is on step 2 now
    at.button(key="step_toggle").click().run()
    w = ws.get_workshop(code, store=env_store())
    assert w.item(items[1].id).voting == "open"
    assert w.item(items[0].id).voting == "not_started"


def _stale_rerun(at: AppTest, old_state) -> None:
    """Rerun as a browser does whose page still holds an old widget (drawn before a redraw it
    has not received yet): its widget states carry ``old_state``, that widget's old value
    (``widget._widget_state`` read before the redraw), beside the new ones.
    Streamlit forgets a widget's state when a run no longer draws it, so the old value arrives
    as a change and fires the old widget's callback (issue 10, item 16)."""
    states = at._tree.get_widget_states()
    states.widgets.append(old_state)
    at._run(states)


def test_a_stale_jump_box_does_not_move_the_room_back_or_close_its_vote(workshop) -> None:
    code, items = workshop.code, workshop.items
    at = console(code)
    at.button(key="step_next").click().run()
    at.button(key="step_toggle").click().run()  # voting open on the first step
    assert jump_box(at).value == items[0].id
    old_box = jump_box(at)._widget_state
    # A remote clicker moves on and opens the next vote; the console redraws ...
    ws.step(grant_for(code, env_store()), 1, store=env_store())
    ws.open_voting(grant_for(code, env_store()), items[1].id, store=env_store())
    at.run()
    assert jump_box(at).value == items[1].id
    # ... while the browser, still showing the old box, sends its next rerun.
    _stale_rerun(at, old_box)
    w = ws.get_workshop(code, store=env_store())
    assert w.current_item_id == items[1].id
    assert w.current_item.voting == "open"
    assert not at.exception


def test_a_stale_outcome_box_does_not_undo_a_newer_outcome(workshop) -> None:
    code, items = workshop.code, workshop.items
    ws.step(grant_for(code, env_store()), 1, store=env_store())
    ws.save_outcome(grant_for(code, env_store()), items[0].id, outcome="parked", store=env_store())
    at = console(code)
    (box,) = [s for s in at.selectbox if str(s.key).startswith(f"outcome_{items[0].id}_")]
    old_box = box._widget_state
    # The facilitator's tablet records an outcome; the console redraws with it ...
    ws.save_outcome(
        grant_for(code, env_store()), items[0].id, outcome="resolved", store=env_store()
    )
    at.run()
    # ... and a rerun from the browser still carrying the old box (parked) changes nothing.
    _stale_rerun(at, old_box)
    assert ws.get_outcomes(code, store=env_store())[items[0].id].outcome == "resolved"
    assert not at.exception


def test_console_choices_follow_the_language(workshop) -> None:
    """Issue 10.13: a select box or multiselect whose options are translated kept showing its
    choice in the old language after a switch (the browser keeps the text of a choice unless
    the page sets the value again, as for Explore's "Focus on"): after the switch each carries
    its choice in the new language (``set_value`` with ``raw_value(s)``)."""
    at = console(workshop.code)
    cat = workshop.catalogue()
    nodes = list(cat.nodes)
    # In the add form the first two nodes are chosen from the start (a form commits a choice
    # only on submit).
    assert at.selectbox(key="add_from").value == nodes[0]
    at.session_state["lang"] = "sv"  # the switch, as a click sets it
    at.run()
    for key, node in (("add_from", nodes[0]), ("add_to", nodes[1])):
        box = at.selectbox(key=key)
        assert box.proto.set_value, key
        assert box.proto.raw_value == cat.text(cat.nodes[node].title, "sv"), key
    chosen = at.multiselect(key="agenda_choose")
    titles = {cat.text(x.title, "sv") for x in cat.interactions}
    assert chosen.proto.set_value and chosen.proto.raw_values
    assert all(v.rsplit(" (", 1)[0] in titles for v in chosen.proto.raw_values)
    # Without a switch the boxes are left alone (a form's choice not yet submitted stays).
    at.run()
    assert not at.selectbox(key="add_from").proto.set_value
