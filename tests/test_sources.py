"""Pin the corrected sources and texts of the bundled Stockholm catalogues (issue 12, items 1-7).

A domain review found RUFS 2010 text cited as RUFS 2050, home-page links given as evidence, a
passenger figure that no source states and a wrongly titled SMHI report. These tests keep those
mistakes from coming back.
"""

from __future__ import annotations

import re

import pytest

from conflicts.catalogue import SCALE, bundled_catalogues, load_catalogue
from conflicts.i18n import t

STOCKHOLM_FILES = ["stockholm", "rufs2060"]


def _cat(name: str):
    return load_catalogue(bundled_catalogues()[name])


def _evidence(cat):
    for x in cat.interactions:
        for ev in x.evidence:
            yield x, ev


@pytest.mark.parametrize("name", STOCKHOLM_FILES)
def test_no_rufs2050_source_on_rufs2010_text(name: str) -> None:
    # Evidence that quotes or paraphrases RUFS 2010 must cite a RUFS 2010 source, never rufs2050.
    for x, ev in _evidence(_cat(name)):
        text = ev.text.get("sv") + " " + ev.text.get("en")
        if "RUFS 2010" in text:
            assert ev.source and ev.source.startswith("rufs2010"), (x.id, ev.source)
        if ev.source == "rufs2050":
            raise AssertionError(
                f"{x.id}: no evidence left that cites only the RUFS 2050 home page"
            )


@pytest.mark.parametrize("name", STOCKHOLM_FILES)
def test_evidence_sources_exist_and_links_are_deep(name: str) -> None:
    cat = _cat(name)
    source_ids = {s.id for s in cat.meta.sources}
    for x, ev in _evidence(cat):
        assert ev.source in source_ids, (x.id, ev.source)
        if ev.url:
            # A bare home page ("https://www.rufs.se/") does not say anything: link the page.
            assert re.match(r"^https?://[^/]+/.+", ev.url), (x.id, ev.url)


@pytest.mark.parametrize("name", STOCKHOLM_FILES)
def test_no_goal_numbers_of_rufs2050_attributed_to_rufs2010(name: str) -> None:
    # RUFS 2010 had other goals: its conflicts must not be described as "mål 3 och mål 4".
    for x, ev in _evidence(_cat(name)):
        sv = ev.text.get("sv")
        assert not re.search(r"mål \d och mål \d", sv), (x.id, sv)


@pytest.mark.parametrize("name", STOCKHOLM_FILES)
def test_air_travel_facts(name: str) -> None:
    cat = _cat(name)
    everything = " ".join(
        [s.title for s in cat.meta.sources]
        + [ev.text.get(lang) for _, ev in _evidence(cat) for lang in ("sv", "en")]
        + [
            x.description.get(lang)
            for x in cat.interactions
            if x.description
            for lang in ("sv", "en")
        ]
    )
    # No source found states 44 million passengers; Sundström's report says "nearly double".
    assert "44 milj" not in everything and "44 million" not in everything
    assert "Mer flyg och bostäder" in everything
    assert "nearly double" in everything
    # Larsson & Kamb 2016: about as large as all car travel, counting high-altitude effects.
    assert "high-altitude" in everything
    assert "emit about as much as all car travel" not in everything
    # Sweden's net-zero target for 2045 is named beside the air-vs-climate conflict.
    air = next(x for x in cat.interactions if x.id == "air-vs-climate")
    assert "2045" in air.description.get("sv") and "2045" in air.description.get("en")
    assert any(ev.source == "prop-2016-17-146" for ev in air.evidence)


@pytest.mark.parametrize("name", STOCKHOLM_FILES)
def test_smhi_and_housing_sources(name: str) -> None:
    cat = _cat(name)
    sources = {s.id: s for s in cat.meta.sources}
    assert "Klimatanpassa nordiska städer med grön infrastruktur" in sources["smhi-50"].title
    assert "laget-2022" not in sources
    assert (
        "Efterfrågan på nya bostäder i Stockholmsregionen" in sources["efterfragan-bostader"].title
    )
    housing = next(x for x in cat.interactions if x.id == "market-housing-vs-equality")
    assert "efterfråga (har betalningsförmåga för)" in housing.description.get("sv")


def test_twenty_thousand_vs_twenty_two_thousand_is_explained() -> None:
    housing = next(
        x for x in _cat("stockholm").interactions if x.id == "market-housing-vs-equality"
    )
    assert "22 000" in housing.description.get("sv") and "22,000" in housing.description.get("en")


def test_road_capacity_claim_cites_the_rufs2010_impact_assessment() -> None:
    road = next(x for x in _cat("stockholm").interactions if x.id == "road-vs-induced")
    claim = next(ev for ev in road.evidence if "2–4" in ev.text.get("sv"))
    assert claim.source == "rufs2010-mkb"
    assert "3.3-rufs-innehall-och-effekter" in claim.url


def test_bromma_interaction_exists_and_validates() -> None:
    cat = _cat("stockholm")  # load_catalogue raises on any schema or cross-reference problem
    bromma = next(x for x in cat.interactions if x.id == "bromma-vs-homes")
    assert bromma.score < 0
    assert "30 000" in bromma.title.get("sv") and "30,000" in bromma.title.get("en")
    assert 2 <= len(bromma.questions) <= 3
    assert all(q.get("sv") and q.get("en") for q in bromma.questions)
    assert {"local", "national"} <= {str(level) for level in bromma.levels}
    assert {"stockholm-city", "government", "swedavia"} <= set(bromma.actors)
    assert all(ev.source == "sundstrom-2016" and ev.url for ev in bromma.evidence)


def test_english_goal_titles_say_equitable() -> None:
    assert _cat("stockholm").nodes["g2"].title.get("en") == (
        "An open, gender-equal, equitable and inclusive region"
    )
    assert _cat("rufs2060").nodes["r1"].title.get("en").startswith("An equitable,")


def test_scale_names_in_swedish_questions_match_the_scale() -> None:
    # The vote question names the ends of the scale exactly as the scale does.
    question = t("ws.question_score", "sv")
    assert f"−3 {SCALE[-3][0]}" in question and f"+3 {SCALE[3][0]}" in question
    assert f"+3 ({SCALE[3][0]})" in t("res.method_score", "sv")
