"""Reading debunk files: ClaimReview JSON-LD or JSON Lines, with per-line errors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from clearspace.errors import InputError
from clearspace.rumors.claimreview import from_claimreview, iter_claimreviews, to_claimreview
from clearspace.rumors.model import Debunk


@dataclass
class ImportResult:
    """Debunks read from a file, and ``(line, message)`` for every record that was skipped."""

    debunks: list[Debunk] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_jsonl(lines: Iterable[str | bytes]) -> ImportResult:
    """Debunks from JSON Lines: one object per line with ``id`` and ``claim`` (or a ClaimReview)."""
    result = ImportResult()
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
            debunk = from_claimreview(data) if isinstance(data, dict) and data.get("@type") == "ClaimReview" \
                else Debunk.from_dict(data)
        except orjson.JSONDecodeError as exc:
            result.errors.append((number, f"invalid JSON: {exc}"))
            continue
        except InputError as exc:
            result.errors.append((number, str(exc)))
            continue
        if debunk.id in seen:
            result.errors.append((number, f"duplicate id {debunk.id!r}: ids must be unique in a file"))
            continue
        seen.add(debunk.id)
        result.debunks.append(debunk)
    return result


def parse_claimreview(document: Any) -> ImportResult:
    """Debunks from a parsed ClaimReview JSON-LD document; errors are numbered by review."""
    result = ImportResult()
    for number, review in enumerate(iter_claimreviews(document), start=1):
        try:
            result.debunks.append(from_claimreview(review))
        except InputError as exc:
            result.errors.append((number, str(exc)))
    return result


def read_debunks(path: Path) -> ImportResult:
    """Debunks from ``path``: ``.jsonl`` is JSON Lines; ``.json``/``.jsonld`` is ClaimReview JSON-LD."""
    raw = Path(path).read_bytes()
    if Path(path).suffix.lower() in {".json", ".jsonld"}:
        try:
            document = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"{path}: invalid JSON ({exc}); JSON Lines files should end in .jsonl") from exc
        return parse_claimreview(document)
    return parse_jsonl(raw.splitlines())


def export_claimreview(debunks: Iterable[Debunk]) -> bytes:
    """A JSON-LD document (a list of ClaimReviews) for ``debunks``."""
    return orjson.dumps([to_claimreview(d) for d in debunks], option=orjson.OPT_INDENT_2)


def export_jsonl(debunks: Iterable[Debunk]) -> bytes:
    return b"".join(orjson.dumps(d.to_dict()) + b"\n" for d in debunks)
