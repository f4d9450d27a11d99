"""Cleaning of user text and small value checks shared by every workshop action."""

from __future__ import annotations

import unicodedata
from typing import Any

from conflicts.workshops.errors import InvalidText, InvalidValue, TextTooLong


def _clean_text(value: str | None, field_name: str, max_len: int, *, required: bool = False):
    if value is None:
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None
    if not isinstance(value, str):
        raise InvalidText(f"{field_name} must be text", field=field_name)
    value = value.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
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


_MULTILINE_OK = {"\n", "\t", "\r"}


def _clean_multiline(value: str | None, field_name: str, max_len: int) -> str | None:
    """Plain text that may contain line breaks and tabs; '' or only spaces -> None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidText(f"{field_name} must be text", field=field_name)
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in _MULTILINE_OK for ch in value):
        raise InvalidText(f"{field_name} contains control characters", field=field_name)
    if len(value) > max_len:
        raise TextTooLong(
            f"{field_name} is longer than {max_len} characters", field=field_name, max=max_len
        )
    return value or None


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
        if multiline:
            return _clean_multiline(text, field_name, max_len)
        return _clean_text(text, field_name, max_len)

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
