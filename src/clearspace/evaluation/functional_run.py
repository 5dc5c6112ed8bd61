"""Score a functional suite with an engine: accuracy per functionality, zh and en apart.

A case passes when the engine's final decision (``result.abusive``) equals ``expected ==
"attack"``. Where the results carry ``target`` and ``stance`` attributes, agreement with the
cases' annotations is reported too (results without them are simply not counted there).

::

    report = run_suite(Engine(), load_shipped())
    print(render_report(report))
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from clearspace.evaluation.functional import LANGS, Case

Progress = Callable[[int], None]
# the engine's stances that the suites' annotation folds into another: criticism of what someone did is
# annotated ``neutral`` (data/functional/README.md); the engine calls it ``criticizing``
SUITE_STANCE = {"criticizing": "neutral"}


class Scorer(Protocol):
    """What the suite needs of an engine: :meth:`clearspace.engine.Engine.score_many`."""

    def score_many(self, items: Iterable[Any]) -> Iterator[Any]: ...


@dataclass
class Outcome:
    """What the engine said on one case."""

    case: Case
    predicted: bool | None  # None: the engine returned an error for this item
    target: str | None = None
    stance: str | None = None
    abuse: float | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.predicted is not None and self.predicted == self.case.attack


@dataclass
class Cell:
    """Counts for one group of cases (a functionality in one language, a language, everything)."""

    n: int = 0
    correct: int = 0
    target_n: int = 0
    target_agree: int = 0
    stance_n: int = 0
    stance_agree: int = 0

    def add(self, o: Outcome) -> None:
        self.n += 1
        self.correct += int(o.passed)
        if o.target is not None:
            self.target_n += 1
            self.target_agree += int(o.target == o.case.target)
        if o.stance is not None:
            self.stance_n += 1
            self.stance_agree += int(o.stance == o.case.stance)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"n": self.n, "correct": self.correct, "accuracy": _ratio(self.correct, self.n)}
        if self.target_n:
            out["target_agreement"] = _ratio(self.target_agree, self.target_n)
        if self.stance_n:
            out["stance_agreement"] = _ratio(self.stance_agree, self.stance_n)
        return out


@dataclass
class FunctionalReport:
    """Per-functionality cells keyed ``(lang, functionality)``, per-language cells, the total, failures."""

    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    languages: dict[str, Cell] = field(default_factory=dict)
    overall: Cell = field(default_factory=Cell)
    expected_of: dict[str, str] = field(default_factory=dict)  # functionality -> attack/ok
    failures: list[Outcome] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        per: dict[str, dict[str, Any]] = {}
        for (lang, name), cell in sorted(self.cells.items()):
            per.setdefault(lang, {})[name] = cell.to_dict() | {"expected": self.expected_of.get(name, "mixed")}
        return {
            "overall": self.overall.to_dict(),
            "languages": {lang: cell.to_dict() for lang, cell in sorted(self.languages.items())},
            "functionalities": per,
            "failures": [_failure_dict(o) for o in self.failures],
        }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _failure_dict(o: Outcome) -> dict[str, Any]:
    out: dict[str, Any] = {"id": o.case.id, "lang": o.case.lang, "functionality": o.case.functionality,
                           "expected": o.case.expected, "text": o.case.text,
                           "got": "error" if o.predicted is None else ("attack" if o.predicted else "ok")}
    for key in ("abuse", "target", "stance", "error"):
        if getattr(o, key) is not None:
            out[key] = getattr(o, key)
    return out


def score_cases(engine: Scorer, cases: Sequence[Case], progress: Progress | None = None) -> list[Outcome]:
    """One :class:`Outcome` per case, in order (``progress`` is told how many were scored)."""
    items = ({"id": c.id, "text": c.text} for c in cases)
    outcomes: list[Outcome] = []
    for case, result in zip(cases, engine.score_many(items), strict=True):
        outcomes.append(_outcome(case, result))
        if progress is not None:
            progress(1)
    return outcomes


def _outcome(case: Case, result: Any) -> Outcome:
    if not hasattr(result, "abusive"):
        return Outcome(case, None, error=str(getattr(result, "error", result)))
    target = getattr(result, "target", None)
    stance = getattr(result, "stance", None)
    scores = getattr(result, "scores", None)
    abuse = scores.get("abuse") if isinstance(scores, dict) else None
    return Outcome(case, bool(result.abusive), target=None if target is None else str(target),
                   stance=None if stance is None else SUITE_STANCE.get(str(stance), str(stance)),
                   abuse=None if abuse is None else round(float(abuse), 4))


def summarize(outcomes: Sequence[Outcome]) -> FunctionalReport:
    """Group outcomes into per-functionality, per-language and overall counts."""
    report = FunctionalReport()
    for o in outcomes:
        c = o.case
        report.cells.setdefault((c.lang, c.functionality), Cell()).add(o)
        report.languages.setdefault(c.lang, Cell()).add(o)
        report.overall.add(o)
        previous = report.expected_of.setdefault(c.functionality, c.expected)
        if previous != c.expected:
            report.expected_of[c.functionality] = "mixed"
        if not o.passed:
            report.failures.append(o)
    return report


def run_suite(engine: Scorer, cases: Sequence[Case], progress: Progress | None = None) -> FunctionalReport:
    """Score every case and summarize."""
    return summarize(score_cases(engine, cases, progress))


def _pct(cell: Cell | None) -> str:
    if cell is None or not cell.n:
        return "-"
    return f"{cell.correct / cell.n:.2f} ({cell.correct}/{cell.n})"


def _agreement_line(name: str, cell: Cell) -> str | None:
    parts = []
    if cell.target_n:
        parts.append(f"target {cell.target_agree / cell.target_n:.2f} ({cell.target_agree}/{cell.target_n})")
    if cell.stance_n:
        parts.append(f"stance {cell.stance_agree / cell.stance_n:.2f} ({cell.stance_agree}/{cell.stance_n})")
    return f"{name}: agreement on " + ", ".join(parts) if parts else None


def render_report(report: FunctionalReport, *, max_failures: int = 20, title: str = "functional suite") -> str:
    """A plain-text table: accuracy per functionality, zh and en apart, then totals and some failures."""
    langs = sorted(report.languages, key=lambda lang: (LANGS.index(lang) if lang in LANGS else len(LANGS), lang))
    names = sorted({n for _, n in report.cells}, key=lambda n: (report.expected_of.get(n) != "attack", n))
    width = 16
    head = f"{'functionality':<26}{'expect':<8}" + "".join(f"{lang:>{width}}" for lang in langs)
    lines = [f"{title}: accuracy per functionality (correct/n)", head, "-" * len(head)]
    for name in names:
        cells = "".join(f"{_pct(report.cells.get((lang, name))):>{width}}" for lang in langs)
        lines.append(f"{name:<26}{report.expected_of.get(name, ''):<8}{cells}")
    lines.append("-" * len(head))
    lines.append(f"{'all':<34}" + "".join(f"{_pct(report.languages[lang]):>{width}}" for lang in langs))
    lines.append(f"overall: {_pct(report.overall)}")
    for lang in langs:
        line = _agreement_line(lang, report.languages[lang])
        if line:
            lines.append(line)
    if report.failures:
        shown = report.failures[:max_failures]
        which = f"first {len(shown)}; all" if shown else "all"
        lines.append(f"failures: {len(report.failures)} ({which} of them in the JSON output)")
        for o in shown:
            got = "error" if o.predicted is None else ("attack" if o.predicted else "ok")
            lines.append(f"  {o.case.id} [{o.case.functionality}] expected {o.case.expected}, got {got}: "
                         f"{_clip(o.case.text)}")
    return "\n".join(lines)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_report(reports: dict[str, FunctionalReport], path: Path, *, suites: Sequence[str]) -> None:
    """Write ``{"suites": [...], "systems": {name: report}}`` as JSON."""
    payload = {"suites": list(suites), "systems": {k: r.to_dict() for k, r in reports.items()}}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
