"""Loading the small TSV data files that ship in ``clearspace/data``."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from clearspace.errors import LexiconError


def data_path(name: str) -> Path:
    """Path of a file shipped in the package's ``data`` folder."""
    return Path(str(files("clearspace") / "data" / name))


def read_tsv(path: str | Path, min_columns: int) -> list[tuple[int, list[str]]]:
    """Rows of a tab-separated file as ``(line_number, columns)``; ``#`` starts a comment."""
    rows: list[tuple[int, list[str]]] = []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read ({exc})") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < min_columns or not all(cols[:min_columns]):
            raise LexiconError(f"{path}:{number}: expected {min_columns} tab-separated columns, got {line!r}")
        rows.append((number, cols))
    return rows


def read_mapping(path: str | Path) -> dict[str, str]:
    """A two-column TSV file as a dict (first column to second)."""
    return {cols[0]: cols[1] for _, cols in read_tsv(path, 2)}
