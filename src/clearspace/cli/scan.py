"""``clearspace scan``: score a JSONL or CSV file, writing one JSON line per input line."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

import orjson
from tqdm import tqdm

from clearspace.cli.records import Record, read_csv, read_jsonl
from clearspace.engine import Engine
from clearspace.result import ItemError, ScoreResult

EXIT_OK = 0
EXIT_SOME_FAILED = 3


def scan_stream(
    engine: Engine,
    records: Iterable[Record],
    out: IO[bytes],
    *,
    batch_size: int = 512,
    progress: Any = None,
) -> Counter[str]:
    """Score records in order and write one JSON line each; returns summary counts."""
    counts: Counter[str] = Counter()
    iterator = iter(records)
    while batch := list(islice(iterator, batch_size)):
        for line in _score_batch(engine, batch):
            out.write(orjson.dumps(line) + b"\n")
            if "error" in line:
                counts["errors"] += 1
            else:
                counts["scored"] += 1
                counts["abusive"] += int(line["abusive"])
                counts[f"action:{line['action']}"] += 1
        if progress is not None:
            progress.update(len(batch))
    return counts


def _score_batch(engine: Engine, batch: list[Record]) -> Iterator[dict[str, Any]]:
    items = [r.item for r in batch if r.item is not None]
    results = iter(engine.score_many(items))
    for record in batch:
        if record.item is None:
            yield {"line": record.line, "error": record.error}
            continue
        result: ScoreResult | ItemError = next(results)
        if isinstance(result, ItemError):
            yield {"line": record.line, "id": record.item.get("id"), "error": result.error}
        else:
            yield result.to_dict()


def count_lines(path: str) -> int | None:
    """Number of lines in a file (for the progress bar), or ``None`` for a stream."""
    if path == "-":
        return None
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def run_scan(
    engine: Engine, source: IO[bytes], out: IO[bytes], *, fmt: str, text_field: str, id_field: str,
    total: int | None, batch_size: int,
) -> Counter[str]:
    reader = read_csv if fmt == "csv" else read_jsonl
    records = reader(source, text_field=text_field, id_field=id_field)
    with tqdm(total=total, unit="post", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
        return scan_stream(engine, records, out, batch_size=batch_size, progress=bar)


def summary(counts: Counter[str]) -> str:
    actions = ", ".join(f"{k.split(':', 1)[1]} {v}" for k, v in sorted(counts.items()) if k.startswith("action:"))
    return (
        f"scanned {counts['scored'] + counts['errors']} lines: {counts['scored']} scored, "
        f"{counts['errors']} errors, {counts['abusive']} abusive" + (f"; actions: {actions}" if actions else "")
    )
