"""Catalogue loading and validation: every kind of error names its file, line, column and field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conflicts.catalogue import (
    TEMPLATE_PATH,
    Catalogue,
    CatalogueError,
    bundled_catalogues,
    json_schema,
    load_catalogue,
    parse_catalogue,
    parse_catalogue_bytes,
    validate_file,
)
from conflicts.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).parent / "fixtures" / "bad"
EXPECT = re.compile(r"^# expect (\d+):(\d+) (.+)$", re.M)


def _expectations(path: Path) -> list[tuple[int, int, str]]:
    found = [(int(a), int(b), c) for a, b, c in EXPECT.findall(path.read_text(encoding="utf-8"))]
    assert found, f"{path} has no '# expect LINE:COL message' header"
    return found


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_catalogue_reports_position_and_field(path: Path) -> None:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    reported = [str(p) for p in info.value.problems]
    for line, col, message in _expectations(path):
        wanted = f"{path}:{line}:{col}: {message}"
        assert any(r.startswith(wanted) for r in reported), f"{wanted!r} not in {reported}"


def test_several_problems_are_reported_at_once() -> None:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(BAD / "several.yaml")
    assert len(info.value.problems) == 3
    assert [p.line for p in info.value.problems] == sorted(p.line for p in info.value.problems)


def test_bundled_catalogues_and_template_are_valid() -> None:
    files = [*bundled_catalogues().values(), TEMPLATE_PATH]
    assert {"stockholm", "sdg"} <= set(bundled_catalogues())
    for path in files:
        result = validate_file(path)
        assert result.valid, "\n".join(str(p) for p in result.problems)


def test_stockholm_catalogue_content() -> None:
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    assert len(cat.goals) == 4
    assert all(len(g.subgoals) == 4 for g in cat.goals)
    assert len(cat.interactions) >= 12
    assert cat.conflicts and cat.synergies
    titles = [cat.text(g.title, "sv") for g in cat.goals]
    assert "En tillgänglig region med god livsmiljö" in titles
    for i in cat.interactions:
        assert 2 <= len(i.questions) <= 4, i.id
        assert i.evidence, i.id


def test_sdg_catalogue_is_large() -> None:
    cat = load_catalogue(bundled_catalogues()["sdg"])
    assert len(cat.goals) == 17
    assert len(cat.interactions) >= 100
    assert all(i.illustrative for i in cat.interactions)


def test_plain_strings_allowed_with_one_language() -> None:
    cat = parse_catalogue(
        "meta: {title: T, languages: [sv]}\n"
        "goals: [{id: a, title: A, colour: '#000000'}, {id: b, title: B, colour: '#ffffff'}]\n"
        "interactions: [{id: x, from: a, to: b, score: -3, title: X, direction: mutual}]\n"
    )
    assert cat.text(cat.interactions[0].title, "en") == "X"
    assert cat.counts() == {
        "goals": 2,
        "subgoals": 0,
        "actors": 0,
        "interactions": 1,
        "conflicts": 1,
        "synergies": 0,
    }


def test_version_number_is_read_as_text() -> None:
    cat = parse_catalogue(
        "meta: {title: T, version: 2.1}\ngoals: [{id: a, title: A, colour: '#000000'}]\n"
    )
    assert cat.meta.version == "2.1"


def test_bool_is_not_a_score() -> None:
    with pytest.raises(CatalogueError, match="score"):
        parse_catalogue(
            "meta: {title: T}\ngoals: [{id: a, title: A, colour: '#000000'},"
            " {id: b, title: B, colour: '#000000'}]\n"
            "interactions: [{id: x, from: a, to: b, score: true, title: X}]\n"
        )


def test_non_utf8_upload_is_a_clear_error() -> None:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue_bytes(b"meta:\n  title: caf\xe9\n", "upload.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 13)
    assert "UTF-8" in problem.message


def test_top_level_must_be_mapping() -> None:
    with pytest.raises(CatalogueError, match="top level must be a mapping"):
        parse_catalogue("- just\n- a list\n", "list.yaml")


def test_missing_file() -> None:
    result = validate_file(ROOT / "does-not-exist.yaml")
    assert not result.valid
    assert "cannot read file" in result.problems[0].message


def test_json_schema_describes_the_format() -> None:
    schema = json_schema()
    props = schema["properties"]
    assert {"meta", "goals", "actors", "interactions", "positions"} <= set(props)
    interaction = schema["$defs"]["Interaction"]
    assert "from" in interaction["properties"] and "from_" not in interaction["properties"]
    assert interaction["properties"]["score"]["minimum"] == -3
    assert interaction["properties"]["score"]["maximum"] == 3
    assert set(Catalogue.model_fields) == set(props)


def test_cli_validate_json(capsys: pytest.CaptureFixture[str]) -> None:
    good = bundled_catalogues()["stockholm"]
    bad = BAD / "score_range.yaml"
    assert main(["validate", str(good), str(bad), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [r["valid"] for r in out] == [True, False]
    keys = {
        "file",
        "valid",
        "errors",
        "goals",
        "subgoals",
        "actors",
        "interactions",
        "conflicts",
        "synergies",
    }
    assert all(set(r) == keys for r in out)
    cat = load_catalogue(good)
    assert out[0]["conflicts"] == sum(1 for i in cat.interactions if i.score < 0)
    assert out[0]["synergies"] == sum(1 for i in cat.interactions if i.score > 0)
    assert out[1]["errors"][0]["line"] == 21


def test_cli_validate_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    # In-process: the one subprocess smoke test of ``python -m conflicts`` is in
    # tests/test_workshop_cli.py (a subprocess costs seconds of imports).
    assert main(["validate", *map(str, bundled_catalogues().values())]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["validate", str(BAD / "several.yaml")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "several.yaml:10:12: interactions[0].score" in err


def test_cli_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Målkonflikt catalogue"
