"""Charts of achievement over the periods (matplotlib): one indicator's capaian per
quarter, or a sheet's mean capaian per quarter, as bars against the 100% line, each bar
coloured by its predikat on the rules' rating scale (the best band green, the worst red).

Figures are drawn with matplotlib's object API on the Agg canvas: no pyplot, no global
state, safe in a web server's threads. The result is the image's bytes (PNG or SVG).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from iki_core import messages
from iki_core.engine import Achievement, Rollup
from iki_core.errors import InvalidValueError
from iki_core.periods import Period
from iki_core.rules import RatingScale

__all__ = ["PALETTE", "chart_indicator", "chart_sheet", "rating_colour"]

ImageFormat = Literal["png", "svg"]

PALETTE = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027", "#a50026")
"""Colours from the best band of a scale to the worst."""
NO_RATING = "#bdbdbd"


def rating_colour(scale: RatingScale, rating: str | None) -> str:
    """The colour of ``rating`` on ``scale``: its band's rank, best first."""
    labels = [b.label for b in scale.bands]
    if rating is None or rating not in labels:
        return NO_RATING
    rank = labels.index(rating)
    return PALETTE[min(rank * (len(PALETTE) - 1) // max(len(labels) - 1, 1), len(PALETTE) - 1)]


def _draw(
    title: str,
    points: Sequence[tuple[Period, Decimal | None, str | None]],
    scale: RatingScale,
    lang: str,
    fmt: ImageFormat,
    size: tuple[int, int],
) -> bytes:
    if fmt not in ("png", "svg"):
        raise InvalidValueError(field="format", expected="'png' or 'svg'", value=fmt)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    dpi = 100
    fig = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [p.label(lang, short=True) for p, _, _ in points]
    # the bar heights are drawn from the published (rounded) Decimal percents
    heights = [0 if v is None else float(v) for _, v, _ in points]
    colours = [rating_colour(scale, r) for _, _, r in points]
    bars = ax.bar(range(len(points)), heights, color=colours, edgecolor="#444444", linewidth=0.5)
    for bar, (_, value, _) in zip(bars, points, strict=True):
        text = "-" if value is None else _percent(value, lang)
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 3),
            textcoords="offset points",
            zorder=3,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
        )
    ax.axhline(100, color="#333333", linestyle="--", linewidth=1, zorder=0)
    ax.set_xticks(range(len(points)), labels)
    ax.set_ylabel(messages.text("lkjip.chart_axis", lang))
    top = max([110.0, *heights]) * 1.12
    ax.set_ylim(0, top)
    ax.set_title(title, fontsize=10, wrap=True)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    import matplotlib

    # a fixed salt makes the SVG's element ids, and so the file, the same on every run
    with matplotlib.rc_context({"svg.hashsalt": "iki_core"}):
        fig.savefig(buf, format=fmt, metadata=metadata)
    return buf.getvalue()


def _percent(value: Decimal, lang: str) -> str:
    from iki_core.numbers import format_number

    return format_number(value, places=2, lang="en" if lang == "en" else "id", percent=True)


def chart_indicator(
    achievements: Sequence[Achievement],
    scale: RatingScale,
    *,
    lang: str = "id",
    format: ImageFormat = "png",
    size: tuple[int, int] = (800, 450),
    reference: str | None = None,
) -> bytes:
    """One indicator's capaian per period (its achievements in period order); the title
    names the indicator, after its ``reference`` ("2:1.1") when given."""
    if not achievements:
        raise InvalidValueError(field="achievements", expected="at least one", value=[])
    name = achievements[0].indicator.name
    if reference is not None:
        name = f"{reference} {name}"
    title = messages.text("lkjip.chart_title", lang, name=name)
    points = [(a.period, a.percent, a.rating) for a in achievements]
    return _draw(title, points, scale, lang, format, size)


def chart_sheet(
    rollups: Sequence[Rollup],
    scale: RatingScale,
    *,
    lang: str = "id",
    format: ImageFormat = "png",
    size: tuple[int, int] = (800, 450),
) -> bytes:
    """A sheet's mean capaian per period (its sheet-level roll-ups in period order)."""
    if not rollups:
        raise InvalidValueError(field="rollups", expected="at least one", value=[])
    title = messages.text("lkjip.chart_sheet_title", lang, number=rollups[0].reference)
    points = [(r.period, r.percent, r.rating) for r in rollups]
    return _draw(title, points, scale, lang, format, size)
