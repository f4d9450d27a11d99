"""The translation table is complete, and every key the code uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from conflicts.catalogue import ActorType, DecisionLevel
from conflicts.i18n import LANGUAGES, TRANSLATIONS, normalise_language, t

PACKAGE = Path(__file__).resolve().parent.parent / "conflicts"
# A whole literal key: t("a.b", ...) or t("a.b") — not a prefix such as t("ws.state_" + x).
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']\s*[,)]""")


def test_every_key_has_every_language_with_the_same_placeholders() -> None:
    for key, entry in TRANSLATIONS.items():
        assert set(entry) == set(LANGUAGES), key
        fields = {
            lang: {f for _, f, _, _ in string.Formatter().parse(text) if f}
            for lang, text in entry.items()
        }
        assert len({frozenset(f) for f in fields.values()}) == 1, (key, fields)


def test_every_literal_key_used_in_the_code_exists() -> None:
    used = {
        key
        for path in PACKAGE.rglob("*.py")
        for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no t('...') calls: the pattern is broken"
    missing = sorted(used - set(TRANSLATIONS))
    assert not missing, missing


@pytest.mark.parametrize("prefix,enum", [("level.", DecisionLevel), ("actor_type.", ActorType)])
def test_enumerations_are_translated(prefix: str, enum: type) -> None:
    for member in enum:
        assert prefix + member.value in TRANSLATIONS


def test_workshop_states_methods_and_errors_are_translated() -> None:
    from conflicts import workshops as ws
    from conflicts.store import METHODS, MODES

    keys = [f"ws.state_{s}" for s in ("not_started", "open", "closed")]
    keys += [f"ws.status_{s}" for s in ("draft", "open", "closed")]
    keys += [f"fac.method_{m}" for m in METHODS] + [f"fac.mode_{m}" for m in MODES]
    errors = [
        cls.code
        for cls in vars(ws).values()
        if isinstance(cls, type)
        and issubclass(cls, ws.WorkshopError)
        and cls.code != "rejected"
        and cls is not ws.WorkshopError
    ]
    keys += [f"err.{code}" for code in errors]
    assert not [k for k in keys if k not in TRANSLATIONS]


def test_language_fallbacks() -> None:
    assert normalise_language("en-GB") == "en"
    assert normalise_language("de") == "sv"
    assert normalise_language(None) == "sv"
    assert t("nav.explore", "de") == "Utforska"
