"""Functional test suites (HateCheck / CheckList style): reading and validating suite files.

A suite is a list of hand-written :class:`Case` s, each one exercising one *functionality*
(``direct_insult``, ``counter_speech_quoting`` ...) with the verdict a careful moderator would
give (``attack`` or ``ok``) and who is attacked (``target``) from which ``stance``. The suites
that ship with clearspace live in ``data/functional/`` (one file per language; format in the
README there). Any user file in the same format can be read with :func:`load_suite`:

* TSV (``.tsv`` or any other name): the first line that is not blank and not a ``#`` comment
  is the header naming the columns; at least ``id``, ``functionality``, ``lang``, ``text``,
  ``expected``, ``target`` and ``stance``; other columns (``pair``, ``note``) are kept.
* JSON Lines (``.jsonl``): one object per line with the same keys (string values).

Every problem is reported as ``file:line: message`` in a :class:`~clearspace.errors.DatasetError`.
:mod:`clearspace.evaluation.functional_run` scores a suite with an engine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clearspace.errors import DatasetError
from clearspace.text.tables import data_path

SHIPPED_DIR = "functional"
SHIPPED_FILES = ("zh.tsv", "en.tsv")
REQUIRED = ("id", "functionality", "lang", "text", "expected", "target", "stance")
EXPECTED = ("attack", "ok")
TARGETS = ("addressee", "third_person", "group", "self", "none")
STANCES = ("attacking", "quoting_to_condemn", "reporting", "defending", "neutral")
LANGS = ("zh", "en")
MAX_TEXT_CHARS = 5000
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")


@dataclass(frozen=True)
class Case:
    """One functional test case; ``source`` is ``file:line`` where it was read."""

    id: str
    functionality: str
    lang: str
    text: str
    expected: str
    target: str
    stance: str
    source: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def attack(self) -> bool:
        """Whether a moderator should treat the text as abusive."""
        return self.expected == "attack"


def shipped_paths() -> list[Path]:
    """The suite files that ship in the package (Chinese, then English)."""
    return [data_path(f"{SHIPPED_DIR}/{name}") for name in SHIPPED_FILES]


def load_shipped() -> list[Case]:
    """Every shipped case, Chinese then English; duplicate ids across files are an error."""
    return load_suites(shipped_paths())


def load_suites(paths: Sequence[Path]) -> list[Case]:
    """Cases of several suite files, in order; an id may appear only once over all of them."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in paths:
        for case in load_suite(path):
            if case.id in seen:
                raise DatasetError(f"{case.source}: duplicate id {case.id!r} (first at {seen[case.id]})")
            seen[case.id] = case.source
            cases.append(case)
    return cases


def load_suite(path: str | Path) -> list[Case]:
    """Read and validate one suite file (TSV, or JSON Lines when it ends in ``.jsonl``)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DatasetError(f"{path}:{line}: not valid UTF-8") from exc
    rows = _jsonl_rows(path, text) if path.suffix.lower() == ".jsonl" else _tsv_rows(path, text)
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        case = _case(path, number, row)
        if case.id in seen:
            raise DatasetError(f"{path}:{number}: duplicate id {case.id!r} (first on line {seen[case.id]})")
        seen[case.id] = number
        cases.append(case)
    if not cases:
        raise DatasetError(f"{path}: no cases")
    return cases


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line


def _tsv_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, str]]]:
    lines = _content_lines(text)
    header_line = next(lines, None)
    if header_line is None:
        raise DatasetError(f"{path}: no cases")
    header_no, header_text = header_line
    header = [h.strip() for h in header_text.split("\t")]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DatasetError(f"{path}:{header_no}: header lacks column(s) {', '.join(missing)}"
                           f" (need {', '.join(REQUIRED)}, tab-separated)")
    if len(set(header)) != len(header):
        raise DatasetError(f"{path}:{header_no}: a column name appears twice in the header")
    for number, line in lines:
        cells = line.split("\t")
        if len(cells) != len(header):
            raise DatasetError(f"{path}:{number}: expected {len(header)} tab-separated columns, got {len(cells)}")
        yield number, {name: cell.strip() for name, cell in zip(header, cells, strict=True)}


def _jsonl_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in _content_lines(text):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise DatasetError(f"{path}:{number}: expected a JSON object, got {type(obj).__name__}")
        bad = [k for k, v in obj.items() if not isinstance(v, str)]
        if bad:
            raise DatasetError(f"{path}:{number}: field {bad[0]!r} must be a string")
        yield number, {k: v.strip() for k, v in obj.items()}


def _case(path: Path, number: int, row: dict[str, str]) -> Case:
    where = f"{path}:{number}"
    for column in REQUIRED:
        if not row.get(column):
            raise DatasetError(f"{where}: empty or missing {column!r}")
    _check(where, "id", row["id"], _ID.fullmatch(row["id"]) is not None, "letters, digits, _ . : - (max 128)")
    _check(where, "functionality", row["functionality"], _NAME.fullmatch(row["functionality"]) is not None,
           "snake_case")
    _check(where, "lang", row["lang"], row["lang"] in LANGS, "/".join(LANGS))
    _check(where, "expected", row["expected"], row["expected"] in EXPECTED, "/".join(EXPECTED))
    _check(where, "target", row["target"], row["target"] in TARGETS, "/".join(TARGETS))
    _check(where, "stance", row["stance"], row["stance"] in STANCES, "/".join(STANCES))
    if len(row["text"]) > MAX_TEXT_CHARS:
        raise DatasetError(f"{where}: text longer than {MAX_TEXT_CHARS} characters")
    extra = {k: v for k, v in row.items() if k not in REQUIRED}
    return Case(row["id"], row["functionality"], row["lang"], row["text"], row["expected"], row["target"],
                row["stance"], where, extra)


def _check(where: str, column: str, value: str, ok: bool, allowed: str) -> None:
    if not ok:
        raise DatasetError(f"{where}: bad {column} {value[:80]!r} (expected {allowed})")
