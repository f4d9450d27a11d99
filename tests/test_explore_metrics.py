"""Explore's node detail panel shows influence, influenced by, two-step and our second-order."""

from __future__ import annotations

from conflicts.ui.pages.explore import SELECTED
from tests.apptest import page


def test_node_panel_shows_the_new_metrics_and_names_our_variant() -> None:
    for lang, labels, note in (
        (
            "en",
            ("Influence", "Influenced by", "Two-step influence", "Second-order influence"),
            "own variant",
        ),
        (
            "sv",
            ("Påverkan", "Påverkas av", "Påverkan i två steg", "Andra ordningens påverkan"),
            "egen variant",
        ),
    ):
        at = page("explore", lang=lang)
        at.session_state[SELECTED] = ("node", "g3")
        at.run()
        assert not at.exception
        shown = {m.label for m in at.metric}
        assert set(labels) <= shown, shown
        assert any(note in c.value for c in at.caption)
