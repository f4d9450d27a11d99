"""Cleaning of user text and small value checks shared by every workshop action."""

from __future__ import annotations

import unicodedata
from typing import Any

from conflicts.workshops.errors import InvalidText, InvalidValue, TextTooLong

#: What a multi-line text may hold besides printable characters.
_MULTILINE_OK = {"\n", "\t", "\r"}


def _clean_text(
    value: str | None,
    field_name: str,
    max_len: int,
    *,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    """User text stripped and checked: no control characters (``multiline`` allows line breaks
    and tabs, and turns ``\\r\\n``/``\\r`` into ``\\n``), at most ``max_len`` characters;
    ``''`` or only spaces -> None, or :class:`InvalidText` (``text_required``) when ``required``.

    >>> _clean_text("  a  ", "title", 10), _clean_text(" ", "title", 10)
    ('a', None)
    >>> _clean_text("a\\r\\nb", "summary", 10, multiline=True)
    'a\\nb'
    """
    if value is None:
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None
    if not isinstance(value, str):
        raise InvalidText(f"{field_name} must be text", field=field_name)
    allowed = _MULTILINE_OK if multiline else set()
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in value):
        raise InvalidText(f"{field_name} contains control characters", field=field_name)
    if len(value) > max_len:
        raise TextTooLong(
            f"{field_name} is longer than {max_len} characters", field=field_name, max=max_len
        )
    if not value:
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _texts(
    value: dict[str, str] | str | None,
    field_name: str,
    languages: list[str],
    max_len: int,
    *,
    required: bool,
    multiline: bool = False,
) -> dict[str, str] | None:
    """A multilingual text as ``{lang: text}`` for every catalogue language (see module doc).
    ``multiline`` allows line breaks and tabs (descriptions; titles stay one line)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None

    def clean(text: Any) -> str | None:
        return _clean_text(text, field_name, max_len, multiline=multiline)

    if isinstance(value, str):
        text = clean(value)
        return {lang: text for lang in languages}
    if not isinstance(value, dict):
        raise InvalidText(f"{field_name} must be text", field=field_name)
    given: dict[str, str] = {}
    for lang, text in value.items():
        if lang not in languages:
            raise InvalidValue(
                f"language {lang!r} is not one of the catalogue's ({', '.join(languages)})",
                field=field_name,
                language=str(lang),
            )
        cleaned = clean(text)
        if cleaned:
            given[lang] = cleaned
    if not given:
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None
    first = next(iter(given.values()))
    return {lang: given.get(lang, first) for lang in languages}
