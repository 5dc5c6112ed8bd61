"""Statement-of-reasons templates offered in the case view (``data/console/statements.tsv``)."""

from __future__ import annotations

from pathlib import Path

from clearspace.text.tables import data_path, read_tsv


def statement_templates(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """``category -> {"en": text, "zh": text}``, in file order."""
    rows = read_tsv(path or data_path("console/statements.tsv"), 3)
    return {cols[0]: {"en": cols[1], "zh": cols[2]} for _, cols in rows}
