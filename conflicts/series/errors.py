"""The errors of a series (stable machine codes, as every workshop error)."""

from __future__ import annotations

from conflicts.workshops import WorkshopError


class SeriesNotFound(WorkshopError):
    """No series with that id (params ``series``)."""

    code = "unknown_series"


class SeriesCatalogueMismatch(WorkshopError):
    """The workshop runs on another catalogue than the series (params ``code``)."""

    code = "series_catalogue_mismatch"


class SeriesRoomNotFound(WorkshopError):
    """The workshop is not in the series (params ``series``, ``code_value``)."""

    code = "not_in_series"
