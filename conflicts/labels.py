"""Where a room's labels go: estimated text boxes and a side for each highlighted sub-goal's
label that keeps it clear of the goal labels, of the highlighted nodes and of the highlighted
lines, for the plot a projector gives the map (``ROOM_PLOT_EMS`` label ems wide).

Plotly places text at a fixed pixel size while the plot scales with the screen, so a placement
that is clear on that plot stays clear on a larger one (the points move apart, the text does not
grow); the projector scales its labels with the screen to keep that ratio. Text widths are estimated from the character count (Source Sans, the theme's
font, is about 0.46 em a character, 0.51 em in bold; the estimate is a little wider).

Pure functions on ``(x, y)`` tuples in data units (y up), no plotting library.

Examples
--------
>>> e = text_extent(["abcd", "ab"], 10)
>>> e.width, e.height
(20.0, 26.0)
>>> text_box((0, 0), "middle right", e, 5, 1.0)
(5.0, -12.0, 25.0, 14.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1

#: plotly's line spacing, in em (a block of n lines is about (1.3 * n) em high).
LINE_HEIGHT = 1.3
#: Estimated width of a character, in em (regular, bold).
CHAR_EM = {False: 0.5, True: 0.56}
#: The square the projector gives the map, in ems of its goal labels: 978 px for 25 px labels at
#: 1920x1080; the projector scales its labels with the screen (646 px, 16 px at 1280x720).
ROOM_PLOT_EMS = 37
#: Clearance kept between a label and anything else (px).
CLEARANCE_PX = 4

_DIRECTIONS = {
    "middle right": (1.0, 0.0),
    "top right": (1.0, 1.0),
    "top center": (0.0, 1.0),
    "top left": (-1.0, 1.0),
    "middle left": (-1.0, 0.0),
    "bottom left": (-1.0, -1.0),
    "bottom center": (0.0, -1.0),
    "bottom right": (1.0, -1.0),
}


@dataclass(frozen=True)
class Extent:
    """A block of text: its estimated width (px), its number of lines and its font size (px)."""

    width: float
    lines: int
    font_px: float

    @property
    def height(self) -> float:
        return LINE_HEIGHT * self.lines * self.font_px


def text_extent(lines: Sequence[str], font_px: float, *, bold: bool = False) -> Extent:
    """The estimated extent of a block of ``lines`` (plain text) at ``font_px``."""
    width = max((len(line) for line in lines), default=0) * CHAR_EM[bold] * font_px
    return Extent(round(width, 2), max(len(lines), 1), font_px)


def text_box(point: Point, position: str, extent: Extent, gap_px: float, unit: float) -> Box:
    """The box of text at ``point`` with plotly's ``position`` (``"top left"``...), ``gap_px``
    between the point and the text (plotly: marker radius / 0.8 + 1), ``unit`` data units per px.

    As plotly draws it (``Drawing.textPointPosition``): the first baseline sits
    ``0.75 em + s * gap + (s - 1) * k em / 2`` below the point, where ``s`` is -1 above, 0 in the
    middle, 1 below and ``k = 1.3 (n - 1) + 1`` for n lines; a line's box reaches 1 em above its
    baseline. Text below a point thus starts a quarter em above ``gap``.
    """
    vertical, horizontal = position.split()
    em, w, h = extent.font_px, extent.width, extent.height
    s = {"top": -1, "middle": 0, "bottom": 1}[vertical]
    k = LINE_HEIGHT * (extent.lines - 1) + 1
    top_px = 0.75 * em + s * gap_px + (s - 1) * k * em / 2 - em  # below the point, screen px
    x, y = point
    x0 = {"left": x - (gap_px + w) * unit, "center": x - w / 2 * unit, "right": x + gap_px * unit}
    return (x0[horizontal], y - (top_px + h) * unit, x0[horizontal] + w * unit, y - top_px * unit)


def point_box(point: Point, size_px: float, unit: float) -> Box:
    """The square of side ``size_px`` around ``point``."""
    half = size_px / 2 * unit
    return (point[0] - half, point[1] - half, point[0] + half, point[1] + half)


def segment_boxes(a: Point, b: Point, width_px: float, unit: float) -> list[Box]:
    """Small squares along the line ``a``-``b``, one every ``width_px``."""
    n = max(1, math.ceil(math.dist(a, b) / (width_px * unit)))
    return [
        point_box((a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n), width_px, unit)
        for i in range(n + 1)
    ]


def overlap(a: Box, b: Box) -> float:
    """The area the boxes share (0 when apart)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def outside(box: Box, bounds: Box) -> float:
    """The area of ``box`` outside ``bounds``."""
    return (box[2] - box[0]) * (box[3] - box[1]) - overlap(box, bounds)


def positions_towards(dx: float, dy: float, first: str) -> list[str]:
    """Every label position, ``first`` first, then by closeness to the direction (dx, dy).

    Examples
    --------
    >>> positions_towards(-1, 0, "middle left")[:3]
    ['middle left', 'top left', 'bottom left']
    """
    angle = math.atan2(dy, dx) if dx or dy else math.pi / 2

    def distance(position: str) -> float:
        ux, uy = _DIRECTIONS[position]
        d = abs(math.atan2(uy, ux) - angle) % (2 * math.pi)
        return min(d, 2 * math.pi - d)

    return [first, *sorted((p for p in _DIRECTIONS if p != first), key=distance)]


def crowding(box: Box, obstacles: Sequence[tuple[Box, float]], bounds: Box, unit: float) -> float:
    """The weighted overlap of ``box``, grown by ``CLEARANCE_PX``, with the obstacles (box,
    weight), plus its area outside ``bounds`` weighed as the heaviest obstacle (0: clear)."""
    pad = CLEARANCE_PX * unit
    heaviest = max((w for _, w in obstacles), default=1.0)
    grown = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
    return sum(w * overlap(grown, o) for o, w in obstacles) + heaviest * outside(box, bounds)


def place(
    point: Point,
    choices: Iterable[tuple[str, str, Extent]],
    obstacles: Sequence[tuple[Box, float]],
    bounds: Box,
    gap_px: float,
    unit: float,
) -> tuple[str, str, Box]:
    """The first of ``choices`` (text, position, extent in px) whose box keeps ``CLEARANCE_PX``
    from every obstacle (box, weight) and stays within ``bounds``; else the one whose weighted
    overlap is least (the area outside ``bounds`` weighs as much as the heaviest obstacle).

    Examples
    --------
    >>> e = Extent(10, 1, 8)
    >>> choices = [("a", "middle left", e), ("a", "middle right", e)]
    >>> place((0, 0), choices, [((-20, -5, -2, 5), 1.0)], (-50, -50, 50, 50), 1, 1.0)[1]
    'middle right'
    """
    best: tuple[float, tuple[str, str, Box]] | None = None
    for text, position, extent in choices:
        box = text_box(point, position, extent, gap_px, unit)
        cost = crowding(box, obstacles, bounds, unit)
        if cost <= 0:
            return (text, position, box)
        if best is None or cost < best[0]:
            best = (cost, (text, position, box))
    if best is None:
        raise ValueError("no choices")
    return best[1]
