"""Hostile catalogues (issue 11): each is refused with a positioned error, fast and in bounded memory.

The memory bound is checked with tracemalloc: the billion-laughs file below used to take the server
to 4.6 GB while the catalogue was indexed and validated.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from conflicts.catalogue import (
    MAX_CATALOGUE_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT_LENGTH,
    parse_catalogue,
    parse_catalogue_bytes,
    validate_file,
)
from conflicts.errors import CatalogueError

BILLION_LAUGHS = "a0: &a0 [lol]\n" + "".join(
    f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 8)
)
MEMORY_BOUND = 64 * 1024 * 1024  # bytes traced while refusing one hostile file


def refused(text: str) -> CatalogueError:
    tracemalloc.start()
    try:
        with pytest.raises(CatalogueError) as info:
            parse_catalogue(text, "hostile.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"refusing took {peak:,} bytes"
    return info.value


@pytest.mark.timeout(20)
def test_billion_laughs_is_refused_at_the_first_alias() -> None:
    assert len(BILLION_LAUGHS.encode()) < 700
    error = refused(BILLION_LAUGHS)
    first = error.problems[0]
    assert (first.file, first.line, first.column) == ("hostile.yaml", 2, 10)
    assert "aliases (*a0) are not allowed" in first.message


@pytest.mark.timeout(20)
def test_billion_laughs_file_through_the_cli_path(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    result = validate_file(path)
    assert not result.valid
    assert str(result.problems[0]).startswith(f"{path}:2:10: YAML aliases")


@pytest.mark.timeout(20)
def test_recursive_alias_and_merge_keys_are_refused() -> None:
    assert "aliases (*a)" in refused("a: &a [*a]\n").problems[0].message
    merge = "base: &b {x: 1}\nmeta:\n  <<: *b\n"
    problem = refused(merge).problems[0]
    assert (problem.line, problem.column) == (3, 7)


@pytest.mark.timeout(20)
def test_deep_nesting_is_refused() -> None:
    text = "x: " + "[" * 100 + "]" * 100 + "\n"
    problem = refused(text).problems[0]
    assert f"more than {MAX_DEPTH} levels" in problem.message
    assert (problem.line, problem.column) == (1, 3 + MAX_DEPTH)
    # Deeper still, libyaml's own limit answers first: refused all the same, with a position.
    problem = refused("x: " + "[" * 10_000 + "]" * 10_000 + "\n").problems[0]
    assert problem.line == 1 and problem.column > 1


@pytest.mark.timeout(20)
def test_a_hundred_thousand_items_are_refused() -> None:
    text = "meta: {}\ngoals:\n" + "- x\n" * 100_000
    problem = refused(text).problems[0]
    assert f"more than {MAX_NODES:,} values" in problem.message
    assert problem.line > 2


@pytest.mark.timeout(20)
def test_a_huge_string_is_refused() -> None:
    text = "meta:\n  title: " + "x" * (MAX_TEXT_LENGTH + 1) + "\n"
    problem = refused(text).problems[0]
    assert "too long" in problem.message
    assert (problem.line, problem.column) == (2, 10)


@pytest.mark.timeout(20)
def test_an_oversized_upload_is_refused_before_decoding() -> None:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue_bytes(b"#" * (MAX_CATALOGUE_BYTES + 1), "big.yaml")
    assert "too large" in str(info.value)
    assert str(info.value).startswith("big.yaml:1:1:")


def test_anchors_without_aliases_stay_legal(tmp_path: Path) -> None:
    """An anchor alone repeats nothing; only its use (an alias) is refused."""
    from conflicts.catalogue import TEMPLATE_PATH

    text = TEMPLATE_PATH.read_text(encoding="utf-8").replace("meta:", "meta: &m", 1)
    assert parse_catalogue(text, "anchored.yaml").meta is not None
