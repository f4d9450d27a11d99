"""Optional ICSU context per interaction: schema, validation with positions, rows, detail panel."""

from __future__ import annotations

import pytest

from conflicts.catalogue import CatalogueError, bundled_catalogues, load_catalogue, parse_catalogue
from conflicts.context import context_rows
from conflicts.ui.pages.explore import SELECTED
from tests.apptest import page

HEAD = (
    "meta: {title: {sv: T, en: T}, languages: [sv, en]}\n"
    "goals: [{id: a, title: {sv: A, en: A}, colour: '#000000'},"
    " {id: b, title: {sv: B, en: B}, colour: '#ffffff'}]\n"
    "interactions:\n"
    "  - id: x\n"
    "    from: a\n"
    "    to: b\n"
    "    score: -1\n"
    "    title: {sv: X, en: X}\n"
)


def test_context_parses_and_gives_rows_in_both_languages() -> None:
    cat = parse_catalogue(
        HEAD + "    context:\n"
        "      time_horizon: short\n"
        "      geography: {sv: Kärnan, en: The core}\n"
        "      governance: {sv: Kommunen, en: The municipality}\n"
        "      confidence: high\n"
    )
    x = cat.interactions[0]
    assert context_rows(cat, x, "en") == [
        ("Time horizon", "Short term (a few years)"),
        ("Geography", "The core"),
        ("Governance", "The municipality"),
        ("Confidence", "High"),
    ]
    assert context_rows(cat, x, "sv")[0] == ("Tidshorisont", "Kort sikt (några år)")


def test_context_is_optional_and_partial() -> None:
    cat = parse_catalogue(HEAD + "    context: {confidence: low}\n")
    assert context_rows(cat, cat.interactions[0], "en") == [("Confidence", "Low")]
    cat = parse_catalogue(HEAD)
    assert (
        cat.interactions[0].context is None and context_rows(cat, cat.interactions[0], "en") == []
    )


def test_context_errors_name_file_line_and_column() -> None:
    text = (
        HEAD + "    context:\n"
        "      time_horizon: soon\n"  # line 10: not short/medium/long
        "      geography: {sv: Kärnan}\n"  # line 11: en missing
        "      confidnce: high\n"  # line 12: a typo is an unknown field
    )
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(text, "ctx.yaml")
    found = {(p.line, p.column) for p in info.value.problems}
    messages = " | ".join(str(p) for p in info.value.problems)
    assert "ctx.yaml:10:21:" in messages and "time_horizon" in messages
    assert "ctx.yaml:11:" in messages and "missing translation 'en'" in messages
    assert "ctx.yaml:12:" in messages and "unknown field" in messages
    assert all(line >= 10 for line, _ in found)


def test_detail_panel_shows_the_context() -> None:
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    bromma = cat.interactions_by_id["bromma-vs-homes"]
    assert bromma.context is not None
    at = page("explore", lang="en")
    at.session_state[SELECTED] = ("edge", "bromma-vs-homes")
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Context (ICSU)" in text
    assert "Time horizon: Long term (decades)" in text
    assert "Confidence: Medium" in text
    assert cat.text(bromma.context.governance, "en")[:40] in text
