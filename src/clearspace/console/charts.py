"""Charts as inline SVG, drawn on the server: no script, no CDN, readable by screen readers.

Each chart is a ``<figure>`` with a titled ``role="img"`` SVG and, under it, the numbers in a
``<details>`` table, so nothing is shown only as a picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#c0392b", "#2c7fb8", "#7fbc41", "#8e6bbf", "#f39c12", "#16a085", "#7f8c8d", "#d35400")


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values, one per label."""

    name: str
    values: Sequence[float]


def nice_scale(value: float, ticks: int = 4) -> tuple[float, float]:
    """``(top, step)``: a 1/2/5 × 10^k step giving at most ``ticks`` grid steps up to ``value``; counts get
    whole-number steps."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / ticks
    exp = 10 ** math.floor(math.log10(raw))
    step = next(m * exp for m in (1, 2, 5, 10) if m * exp >= raw)
    if value >= 1:
        step = max(1.0, step)
    return step * math.ceil(value / step - 1e-9), float(step)


def short_label(label: str) -> str:
    """``2026-11-24`` as ``11-24``; other labels unchanged."""
    return label[5:] if len(label) == 10 and label[4] == "-" and label[7] == "-" else label


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _table(title: str, labels: Sequence[str], series: Sequence[Series], data_label: str) -> str:
    head = "".join(f"<th scope='col'>{escape(s.name)}</th>" for s in series)
    rows = "".join(
        f"<tr><th scope='row'>{escape(label)}</th>"
        + "".join(f"<td>{_fmt(s.values[i])}</td>" for s in series) + "</tr>"
        for i, label in enumerate(labels))
    return (f"<details><summary>{escape(data_label)}</summary><table class='data'><caption>{escape(title)}"
            f"</caption><thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table></details>")


def _legend(series: Sequence[Series], x: float, y: float) -> str:
    parts = []
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f"<rect x='{x + i * 140:.0f}' y='{y:.0f}' width='12' height='12' fill='{colour}'/>"
                     f"<text x='{x + i * 140 + 16:.0f}' y='{y + 10:.0f}'>{escape(s.name[:18])}</text>")
    return "".join(parts)


def _frame(title: str, chart_id: str, width: int, height: int) -> list[str]:
    return [f"<svg class='chart' viewBox='0 0 {width} {height}' role='img' aria-labelledby='{chart_id}-t' "
            f"data-chart='{chart_id}'><title id='{chart_id}-t'>{escape(title)}</title>"]


def _axes(parts: list[str], top_value: float, step: float, box: tuple[int, int, int, int],
          y_label: str, x_label: str) -> None:
    """Grid lines with their values, and the axes' names (with their units) as visible text."""
    left, top, right, bottom = box
    for k in range(round(top_value / step) + 1):
        y = bottom - (bottom - top) * step * k / top_value
        parts.append(f"<line class='grid' x1='{left}' x2='{right}' y1='{y:.1f}' y2='{y:.1f}'/>"
                     f"<text class='tick' x='{left - 6}' y='{y + 4:.1f}' text-anchor='end'>{_fmt(step * k)}</text>")
    if y_label:
        parts.append(f"<text class='axis-label' data-axis='y' x='{left - 40}' y='{top - 10}'>{escape(y_label)}</text>")
    if x_label:
        parts.append(f"<text class='axis-label' data-axis='x' x='{right}' y='{bottom + 32}' "
                     f"text-anchor='end'>{escape(x_label)}</text>")


def _caption(title: str) -> str:
    return f"<figcaption class='chart-title'>{escape(title)}</figcaption>"


def bars(title: str, labels: Sequence[str], series: Sequence[Series], *, chart_id: str, data_label: str = "Data",
         grouped: bool = False, y_label: str = "", x_label: str = "", width: int = 1000, height: int = 300) -> str:
    """Vertical bars per label, for counts over time: the series stacked (parts of one whole) or, with
    ``grouped``, side by side from the same baseline (for a series that is a subset of another, such
    as appeals reversed among appeals filed, which stacking would add up)."""
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series needs one value per label")
    left, right, top, bottom = 52, width - 10, 30, height - 56
    plot_h = bottom - top
    if grouped:
        highest = max((v for s in series for v in s.values), default=0)
    else:
        highest = max((sum(s.values[i] for s in series) for i in range(len(labels))), default=0)
    top_value, step = nice_scale(highest)
    parts = _frame(title, chart_id, width, height)
    _axes(parts, top_value, step, (left, top, right, bottom), y_label, x_label)
    slot = (right - left) / max(1, len(labels))
    every = max(1, math.ceil(len(labels) / 10))
    bar_w = slot * 0.7 / (len(series) if grouped and series else 1)
    for i, label in enumerate(labels):
        x = left + i * slot + slot * 0.15
        base = float(bottom)
        for j, s in enumerate(series):
            h = plot_h * s.values[i] / top_value
            if h <= 0:
                continue
            if grouped:
                bx, by = x + j * bar_w, bottom - h
            else:
                base -= h
                bx, by = x, base
            parts.append(f"<rect class='bar' data-series='{escape(s.name)}' x='{bx:.1f}' y='{by:.1f}' "
                         f"width='{bar_w:.1f}' height='{h:.1f}' fill='{PALETTE[j % len(PALETTE)]}'><title>"
                         f"{escape(label)} · {escape(s.name)}: {_fmt(s.values[i])}</title></rect>")
        if i % every == 0:
            parts.append(f"<text class='tick' x='{x + slot * 0.35:.1f}' y='{bottom + 16}' "
                         f"text-anchor='middle'>{escape(short_label(label))}</text>")
    parts.append(_legend(series, left, height - 14))
    parts.append("</svg>")
    table = _table(title, labels, series, data_label)
    return f"<figure class='chart'>{_caption(title)}{''.join(parts)}{table}</figure>"


def stacked_bars(title: str, labels: Sequence[str], series: Sequence[Series], *, chart_id: str,
                 data_label: str = "Data", y_label: str = "", x_label: str = "", width: int = 1000,
                 height: int = 300) -> str:
    """Vertical bars per label, the series stacked; for counts over time."""
    return bars(title, labels, series, chart_id=chart_id, data_label=data_label, y_label=y_label, x_label=x_label,
                width=width, height=height)


def hbars(title: str, items: Sequence[tuple[str, float]], *, chart_id: str, data_label: str = "Data",
          width: int = 1000, unit: str = "", value_label: str = "") -> str:
    """Horizontal bars, one per item; for shares and totals. ``unit`` follows each value (`` h``);
    ``value_label`` names the values (with their unit) in the table's column."""
    row_h, left = 26, 170
    height = 20 + row_h * max(1, len(items))
    top_value, _ = nice_scale(max((v for _, v in items), default=0))
    parts = _frame(title, chart_id, width, height)
    for i, (label, value) in enumerate(items):
        y = 10 + i * row_h
        w = (width - left - 90) * value / top_value
        parts.append(f"<text class='tick' x='{left - 8}' y='{y + 16}' text-anchor='end'>{escape(label[:24])}</text>"
                     f"<rect class='bar' x='{left}' y='{y + 3}' width='{w:.1f}' height='{row_h - 8}' "
                     f"fill='{PALETTE[i % len(PALETTE)]}'/><text class='tick' x='{left + w + 6:.1f}' y='{y + 16}'>"
                     f"{_fmt(value)}{escape(unit)}</text>")
    parts.append("</svg>")
    table = _table(title, [label for label, _ in items], [Series(value_label or title, [v for _, v in items])],
                   data_label)
    return f"<figure class='chart'>{_caption(title)}{''.join(parts)}{table}</figure>"
