"""The engine's verdicts on the shipped functional suite: the goals of the plain-case issue.

The suite was written by hand for this purpose and the verdict's rules were tuned with it, so
this is a regression guard; the blind suite in ``benchmarks/data/functional_holdout`` (never
tuned on) measures how far the behaviour generalises (see MODEL_CARD.md).
"""

from __future__ import annotations

from clearspace.engine import Engine
from clearspace.evaluation.functional import load_shipped
from clearspace.evaluation.functional_run import run_suite

OVERALL_GOAL = 0.95
PER_FUNCTIONALITY_GOAL = 0.85


def test_shipped_suite_meets_the_goals_in_each_language(engine: Engine) -> None:
    report = run_suite(engine, load_shipped())
    for lang, cell in report.languages.items():
        assert cell.correct / cell.n >= OVERALL_GOAL, (lang, cell)
    weak = {key: round(c.correct / c.n, 2) for key, c in report.cells.items()
            if c.correct / c.n < PER_FUNCTIONALITY_GOAL}
    assert weak == {}, [f"{o.case.id}: {o.case.text}" for o in report.failures]


def test_target_and_stance_agree_with_the_annotations_mostly(engine: Engine) -> None:
    report = run_suite(engine, load_shipped())
    assert report.overall.target_agree / report.overall.target_n >= 0.55
    assert report.overall.stance_agree / report.overall.stance_n >= 0.75
