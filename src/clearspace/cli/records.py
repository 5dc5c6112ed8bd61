"""Reading scan input (JSONL or CSV) one record at a time, turning bad lines into errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson


@dataclass(frozen=True, slots=True)
class Record:
    """One input line: either an item to score or the reason it cannot be read."""

    line: int
    item: dict[str, Any] | None = None
    error: str | None = None


def _check_item(obj: Any, line: int, text_field: str, id_field: str) -> Record:
    if not isinstance(obj, dict):
        return Record(line, error=f"expected a JSON object, got {type(obj).__name__}")
    if id_field not in obj or obj[id_field] is None:
        return Record(line, error=f"missing field '{id_field}'")
    if text_field not in obj:
        return Record(line, error=f"missing field '{text_field}'")
    text = obj[text_field]
    if not isinstance(text, str):
        return Record(line, error=f"field '{text_field}' must be a string, got {type(text).__name__}")
    item = {k: v for k, v in obj.items() if k not in (text_field, id_field)}
    item["id"] = obj[id_field]
    item["text"] = text
    return Record(line, item=item)


def read_jsonl(stream: IO[bytes], text_field: str = "text", id_field: str = "id") -> Iterator[Record]:
    """Records from a JSON Lines byte stream; invalid UTF-8 or JSON becomes a per-line error."""
    for number, raw in enumerate(stream, start=1):
        stripped = raw.strip()
        if not stripped:
            yield Record(number, error="empty line")
            continue
        try:
            decoded = stripped.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(number, error=f"invalid UTF-8 at byte {exc.start}")
            continue
        try:
            obj = orjson.loads(decoded)
        except orjson.JSONDecodeError as exc:
            yield Record(number, error=f"invalid JSON: {exc}")
            continue
        yield _check_item(obj, number, text_field, id_field)


def read_csv(stream: IO[bytes], text_field: str = "text", id_field: str = "id") -> Iterator[Record]:
    """Records from a CSV byte stream with a header row; the line number counts the header."""
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    reader = csv.DictReader(text)
    try:
        fields = reader.fieldnames or []
    except csv.Error as exc:
        yield Record(1, error=f"unreadable CSV header: {exc}")
        return
    missing = [f for f in (text_field, id_field) if f not in fields]
    if missing:
        yield Record(1, error=f"CSV header has no column {', '.join(repr(m) for m in missing)} (columns: {fields})")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(reader.line_num, error=f"unreadable CSV row: {exc}")
            continue
        if any(isinstance(v, str) and _has_surrogate(v) for v in row.values()):
            yield Record(reader.line_num, error="invalid UTF-8")
            continue
        yield _check_item(dict(row), reader.line_num, text_field, id_field)


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
