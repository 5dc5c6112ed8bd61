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


def stacked_bars(title: str, labels: Sequence[str], series: Sequence[Series], *, chart_id: str,
                 data_label: str = "Data", width: int = 1000, height: int = 280) -> str:
    """Vertical bars per label, the series stacked; for counts over time."""
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series needs one value per label")
    left, right, top, bottom = 44, 10, 28, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value, step = nice_scale(max(totals, default=0))
    parts = [f"<svg class='chart' viewBox='0 0 {width} {height}' role='img' aria-labelledby='{chart_id}-t' "
             f"data-chart='{chart_id}'><title id='{chart_id}-t'>{escape(title)}</title>"]
    for k in range(round(top_value / step) + 1):
        value = step * k
        y = top + plot_h - plot_h * value / top_value
        parts.append(f"<line class='grid' x1='{left}' x2='{width - right}' y1='{y:.1f}' y2='{y:.1f}'/>"
                     f"<text class='tick' x='{left - 6}' y='{y + 4:.1f}' text-anchor='end'>{_fmt(value)}</text>")
    slot = plot_w / max(1, len(labels))
    every = max(1, math.ceil(len(labels) / 10))
    for i, label in enumerate(labels):
        x = left + i * slot + slot * 0.15
        base = float(top + plot_h)
        for j, s in enumerate(series):
            h = plot_h * s.values[i] / top_value
            if h > 0:
                base -= h
                parts.append(f"<rect class='bar' x='{x:.1f}' y='{base:.1f}' width='{slot * 0.7:.1f}' "
                             f"height='{h:.1f}' fill='{PALETTE[j % len(PALETTE)]}'><title>{escape(label)} · "
                             f"{escape(s.name)}: {_fmt(s.values[i])}</title></rect>")
        if i % every == 0:
            parts.append(f"<text class='tick' x='{x + slot * 0.35:.1f}' y='{top + plot_h + 16}' "
                         f"text-anchor='middle'>{escape(short_label(label))}</text>")
    parts.append(_legend(series, left, height - 18))
    parts.append("</svg>")
    return f"<figure class='chart'>{''.join(parts)}{_table(title, labels, series, data_label)}</figure>"


def hbars(title: str, items: Sequence[tuple[str, float]], *, chart_id: str, data_label: str = "Data",
          width: int = 1000, unit: str = "") -> str:
    """Horizontal bars, one per item; for shares and totals."""
    row_h, left = 26, 170
    height = 20 + row_h * max(1, len(items))
    top_value, _ = nice_scale(max((v for _, v in items), default=0))
    parts = [f"<svg class='chart' viewBox='0 0 {width} {height}' role='img' aria-labelledby='{chart_id}-t' "
             f"data-chart='{chart_id}'><title id='{chart_id}-t'>{escape(title)}</title>"]
    for i, (label, value) in enumerate(items):
        y = 10 + i * row_h
        w = (width - left - 70) * value / top_value
        parts.append(f"<text class='tick' x='{left - 8}' y='{y + 16}' text-anchor='end'>{escape(label[:24])}</text>"
                     f"<rect class='bar' x='{left}' y='{y + 3}' width='{w:.1f}' height='{row_h - 8}' "
                     f"fill='{PALETTE[i % len(PALETTE)]}'/><text class='tick' x='{left + w + 6:.1f}' y='{y + 16}'>"
                     f"{_fmt(value)}{escape(unit)}</text>")
    parts.append("</svg>")
    table = _table(title, [label for label, _ in items], [Series(title, [v for _, v in items])], data_label)
    return f"<figure class='chart'>{''.join(parts)}{table}</figure>"
