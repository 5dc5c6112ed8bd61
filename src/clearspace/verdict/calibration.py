"""Platt scaling of the category heads after the verdict has bounded and weighed them.

The verdict bounds each category head by its ``abuse`` score and weighs it by the target, which
changes how often a given score is right. ``tools/fit_head_calibration.py`` refits one
``sigmoid(a * logit(score) + b)`` per head on the calibration data the model was calibrated on
(OLID's seeded calibration 10%, SWSR's held-out part for ``sexism``) and writes
``data/verdict/heads.json``; :func:`load_head_calibration` reads it. A head without parameters is
left as it is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

from clearspace.errors import ModelError
from clearspace.text.tables import data_path

HeadCalibration = Mapping[str, tuple[float, float]]
DEFAULT_FILE = "verdict/heads.json"


def load_head_calibration(path: str | Path | None = None) -> dict[str, tuple[float, float]]:
    """``head -> (a, b)`` from a JSON file (the shipped one by default); a missing file means none."""
    source = Path(path) if path is not None else data_path(DEFAULT_FILE)
    if not source.exists():
        return {}
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
        return {str(head): (float(ab[0]), float(ab[1])) for head, ab in raw["heads"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ModelError(f"{source}: not a head calibration file ({exc})") from exc


def platt(score: float, a: float, b: float) -> float:
    """``sigmoid(a * logit(score) + b)``."""
    p = min(max(score, 1e-6), 1 - 1e-6)
    z = a * math.log(p / (1 - p)) + b
    return 1.0 / (1.0 + math.exp(-z))
