"""Functional suites: the loader's validation, the runner on a stub engine, the shipped suites' shape."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.errors import DatasetError
from clearspace.evaluation import datasets as ds
from clearspace.evaluation.functional import EXPECTED, STANCES, TARGETS, load_shipped, load_suite, load_suites
from clearspace.evaluation.functional_run import render_report, run_suite
from clearspace.result import ItemError
from clearspace.text.tables import data_path

HEADER = "id\tfunctionality\tlang\texpected\ttarget\tstance\ttext"
ATTACKS = ("direct_insult", "threat_explicit", "threat_implied", "death_or_self_harm_wish", "dehumanise_group",
           "slur", "sexual_harassment", "incitement_pileon", "evasion_spelling")
NOT_ATTACKS = ("counter_speech_quoting", "anti_discrimination", "criticism_of_conduct", "negation_and_praise",
               "untargeted_profanity", "neutral_identity_mention", "news_reporting_abuse", "self_deprecation",
               "reclaimed_in_group")


def write(tmp_path: Path, body: str, name: str = "suite.tsv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def row(cid: str, func: str, lang: str, expected: str, text: str, target: str = "addressee",
        stance: str = "attacking") -> str:
    return "\t".join([cid, func, lang, expected, target, stance, text])


# --- loader -------------------------------------------------------------------------------------

def test_loader_reads_header_comments_and_extra_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "# a comment\n\ntext\tid\tlang\tfunctionality\texpected\ttarget\tstance\tpair\n"
                           "you fool\ta1\ten\tdirect_insult\tattack\taddressee\tattacking\tp1\n")
    (case,) = load_suite(path)
    assert (case.id, case.text, case.functionality, case.attack) == ("a1", "you fool", "direct_insult", True)
    assert case.extra == {"pair": "p1"}
    assert case.source == f"{path}:4"


def test_loader_reads_json_lines(tmp_path: Path) -> None:
    obj = {"id": "j1", "functionality": "untargeted_profanity", "lang": "zh", "text": "卧槽", "expected": "ok",
           "target": "none", "stance": "neutral"}
    path = write(tmp_path, "\n" + json.dumps(obj, ensure_ascii=False) + "\n", "suite.jsonl")
    (case,) = load_suite(path)
    assert (case.text, case.attack, case.source) == ("卧槽", False, f"{path}:2")


@pytest.mark.parametrize(("body", "line", "message"), [
    ("id\tlang\ttext\n", 1, "header lacks column(s) functionality, expected, target, stance"),
    (HEADER + "\n" + row("a", "x", "en", "attack", "t") + "\textra\n", 2, "expected 7 tab-separated columns, got 8"),
    (HEADER + "\n" + row("a", "x", "en", "abusive", "t") + "\n", 2, "bad expected 'abusive'"),
    (HEADER + "\n" + row("a", "x", "fr", "ok", "t") + "\n", 2, "bad lang 'fr'"),
    (HEADER + "\n" + row("a", "x", "en", "ok", "t", target="everyone") + "\n", 2, "bad target 'everyone'"),
    (HEADER + "\n" + row("a", "x", "en", "ok", "t", stance="angry") + "\n", 2, "bad stance 'angry'"),
    (HEADER + "\n" + row("a", "Direct Insult", "en", "ok", "t") + "\n", 2, "bad functionality"),
    (HEADER + "\n" + row("a b", "x", "en", "ok", "t") + "\n", 2, "bad id"),
    (HEADER + "\n\n" + row("a", "x", "en", "ok", " ") + "\n", 3, "empty or missing 'text'"),
    (HEADER + "\n" + row("a", "x", "en", "ok", "t") + "\n" + row("a", "x", "en", "ok", "u") + "\n", 3,
     "duplicate id 'a' (first on line 2)"),
])
def test_malformed_tsv_names_file_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(DatasetError) as err:
        load_suite(path)
    assert f"{path}:{line}: " in str(err.value)
    assert message in str(err.value)


@pytest.mark.parametrize(("body", "line", "message"), [
    ('{"id": "a"\n', 1, "invalid JSON"),
    ("\n[1, 2]\n", 2, "expected a JSON object, got list"),
    ('{"id": 3, "text": "x"}\n', 1, "field 'id' must be a string"),
    ('{"id": "a", "text": "x"}\n', 1, "empty or missing 'functionality'"),
])
def test_malformed_jsonl_names_file_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = write(tmp_path, body, "suite.jsonl")
    with pytest.raises(DatasetError, match=rf"suite\.jsonl:{line}: {message}"):
        load_suite(path)


def test_invalid_utf8_empty_and_missing_files_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_bytes((HEADER + "\n").encode() + b"a\tx\ten\tok\tnone\tneutral\t\xff\xfe\n")
    with pytest.raises(DatasetError, match=r"bad\.tsv:2: not valid UTF-8"):
        load_suite(bad)
    with pytest.raises(DatasetError, match=r"empty\.tsv: no cases"):
        load_suite(write(tmp_path, "# only a comment\n", "empty.tsv"))
    with pytest.raises(DatasetError, match=r"header\.tsv: no cases"):
        load_suite(write(tmp_path, HEADER + "\n", "header.tsv"))
    with pytest.raises(DatasetError, match=r"missing\.tsv: cannot read"):
        load_suite(tmp_path / "missing.tsv")


def test_duplicate_ids_across_files_are_rejected(tmp_path: Path) -> None:
    a = write(tmp_path, HEADER + "\n" + row("x1", "f", "en", "ok", "one") + "\n", "a.tsv")
    b = write(tmp_path, HEADER + "\n" + row("x1", "f", "zh", "ok", "二") + "\n", "b.tsv")
    with pytest.raises(DatasetError, match=r"b\.tsv:2: duplicate id 'x1' \(first at .*a\.tsv:2\)"):
        load_suites([a, b])


# --- runner on a stub engine --------------------------------------------------------------------

@dataclass
class FakeResult:
    abusive: bool
    scores: dict[str, float]


@dataclass
class FakeResultWithStance(FakeResult):
    target: str
    stance: str


class StubEngine:
    """Says 'abusive' for texts containing 'bad'; cannot score texts containing 'boom'."""

    def __init__(self, with_stance: bool = False) -> None:
        self.with_stance = with_stance

    def score_many(self, items: Iterable[Any]) -> Iterator[Any]:
        for index, item in enumerate(items):
            text = item["text"]
            if "boom" in text:
                yield ItemError(index, item["id"], "cannot score")
                continue
            bad = "bad" in text
            if self.with_stance:
                yield FakeResultWithStance(bad, {"abuse": 0.9 if bad else 0.1}, "addressee", "attacking")
            else:
                yield FakeResult(bad, {"abuse": 0.9 if bad else 0.1})


def tiny_suite(tmp_path: Path) -> Path:
    rows = [
        row("z1", "insult", "zh", "attack", "bad 你"),
        row("z2", "insult", "zh", "attack", "plain 你"),
        row("z3", "praise", "zh", "ok", "nice 你", stance="neutral"),
        row("e1", "insult", "en", "attack", "bad you"),
        row("e2", "praise", "en", "ok", "bad but fine", target="none", stance="neutral"),
        row("e3", "praise", "en", "ok", "boom"),
    ]
    return write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")


def test_runner_scores_per_functionality_language_and_overall(tmp_path: Path) -> None:
    report = run_suite(StubEngine(), load_suite(tiny_suite(tmp_path)))
    cells = {key: (c.correct, c.n) for key, c in report.cells.items()}
    assert cells == {("zh", "insult"): (1, 2), ("zh", "praise"): (1, 1), ("en", "insult"): (1, 1),
                     ("en", "praise"): (0, 2)}
    assert (report.languages["zh"].correct, report.languages["zh"].n) == (2, 3)
    assert (report.languages["en"].correct, report.languages["en"].n) == (1, 3)
    assert (report.overall.correct, report.overall.n) == (3, 6)
    assert [o.case.id for o in report.failures] == ["z2", "e2", "e3"]
    assert report.failures[2].predicted is None and report.failures[2].error == "cannot score"
    out = report.to_dict()
    assert out["functionalities"]["zh"]["insult"] == {"n": 2, "correct": 1, "accuracy": 0.5, "expected": "attack"}
    assert out["languages"]["en"]["accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert [f["got"] for f in out["failures"]] == ["ok", "attack", "error"]
    assert out["failures"][1]["abuse"] == 0.9
    assert "target_agreement" not in out["overall"] and "stance_agreement" not in out["overall"]


def test_runner_reports_target_and_stance_agreement_when_results_carry_them(tmp_path: Path) -> None:
    report = run_suite(StubEngine(with_stance=True), load_suite(tiny_suite(tmp_path)))
    zh = report.languages["zh"]
    assert (zh.target_agree, zh.target_n) == (3, 3)  # every zh case is annotated addressee
    assert (zh.stance_agree, zh.stance_n) == (2, 3)  # z3 is neutral, the stub says attacking
    en = report.languages["en"]
    assert (en.target_agree, en.target_n) == (1, 2)  # e3 errored: not counted
    assert report.to_dict()["overall"]["stance_agreement"] == pytest.approx(3 / 5)
    assert "zh: agreement on target 1.00 (3/3), stance 0.67 (2/3)" in render_report(report)


def test_render_report_lists_functionalities_zh_and_en_apart_and_failures(tmp_path: Path) -> None:
    text = render_report(run_suite(StubEngine(), load_suite(tiny_suite(tmp_path))), max_failures=1)
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("functionality"))
    assert header.index("zh") < header.index("en")
    insult = next(line for line in lines if line.startswith("insult"))
    assert "attack" in insult and "0.50 (1/2)" in insult and "1.00 (1/1)" in insult
    assert "overall: 0.50 (3/6)" in text
    assert "failures: 3 (first 1; all of them in the JSON output)" in text
    assert "z2 [insult] expected attack, got ok: plain 你" in text


def test_cli_eval_functional_file_writes_table_and_json(tmp_path: Path) -> None:
    suite = tiny_suite(tmp_path)
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["eval", "--functional", str(suite), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "accuracy per functionality" in result.output and "overall:" in result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["sets"] == [] and payload["functional"]["suites"] == [str(suite)]
    report = payload["functional"]["systems"]["clearspace-fast"]
    assert report["overall"]["n"] == 6
    assert set(report["functionalities"]) == {"zh", "en"}


def test_cli_eval_without_data_runs_the_shipped_suites(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["eval", "--json", str(out)])
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["functional"]["suites"] == ["zh.tsv", "en.tsv"]
    report = payload["functional"]["systems"]["clearspace-fast"]
    assert report["overall"]["n"] == len(load_shipped())
    assert len(report["functionalities"]["zh"]) >= 15 and len(report["functionalities"]["en"]) >= 15
    assert len(report["failures"]) == report["overall"]["n"] - report["overall"]["correct"]


def test_cli_eval_reports_a_malformed_suite_with_file_and_line(tmp_path: Path) -> None:
    suite = write(tmp_path, HEADER + "\n" + row("a", "x", "en", "maybe", "t") + "\n")
    result = CliRunner().invoke(cli, ["eval", "--functional", str(suite)])
    assert isinstance(result.exception, DatasetError)
    assert f"{suite}:2: bad expected 'maybe'" in str(result.exception)


# --- the shipped suites -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped() -> list[Any]:
    return load_shipped()


def test_shipped_suites_are_large_enough(shipped: list[Any]) -> None:
    assert len(shipped) >= 400
    per_lang = Counter(c.lang for c in shipped)
    assert per_lang["zh"] >= 200 and per_lang["en"] >= 200


def test_shipped_functionalities_cover_both_languages(shipped: list[Any]) -> None:
    counts = Counter((c.lang, c.functionality) for c in shipped)
    for lang in ("zh", "en"):
        names = {f for (lg, f) in counts if lg == lang}
        assert len(names) >= 15
        assert names >= set(ATTACKS) | set(NOT_ATTACKS)
        for name in names:
            assert counts[(lang, name)] >= 12, f"{lang}/{name} has only {counts[(lang, name)]} cases"


def test_shipped_labels_are_valid_and_consistent(shipped: list[Any]) -> None:
    for c in shipped:
        assert c.expected in EXPECTED and c.target in TARGETS and c.stance in STANCES
        assert c.expected == ("attack" if c.functionality in ATTACKS else "ok"), c.id
        assert c.id.startswith(f"{c.lang}.{c.functionality}."), c.id
        # the annotation rule of the README: attack exactly when someone else is attacked
        assert c.attack == (c.stance == "attacking" and c.target not in ("self", "none")), c.id
    for lang in ("zh", "en"):
        share = sum(c.attack for c in shipped if c.lang == lang) / sum(c.lang == lang for c in shipped)
        assert 0.4 <= share <= 0.6


def test_shipped_texts_are_unique_and_not_training_data(shipped: list[Any]) -> None:
    def key(text: str) -> str:
        return "".join(text.casefold().split())

    seen = Counter(key(c.text) for c in shipped)
    assert [t for t, n in seen.items() if n > 1] == []
    training = {key(t) for t in ds.stance().texts}
    assert [c.id for c in shipped if key(c.text) in training] == []


def test_shipped_texts_are_not_near_copies_of_training_texts(shipped: list[Any]) -> None:
    """Character-bigram Jaccard similarity with every text of the shipped stance (training) set stays below 0.5."""
    def grams(text: str) -> set[str]:
        t = "".join(text.casefold().split())
        return {t[i:i + 2] for i in range(len(t) - 1)}

    training = [grams(t) for t in ds.stance().texts]
    close = [c.id for c in shipped
             if any(len(g & h) >= 0.5 * len(g | h) for g in [grams(c.text)] for h in training if g | h)]
    assert close == []


def test_shipped_contrast_pairs_cross_the_verdict(shipped: list[Any]) -> None:
    pairs: dict[str, set[str]] = {}
    for c in shipped:
        if c.extra.get("pair", "-") != "-":
            pairs.setdefault(c.extra["pair"], set()).add(c.expected)
    assert len(pairs) >= 20
    assert [p for p, verdicts in pairs.items() if verdicts != {"attack", "ok"}] == []


def test_every_shipped_functionality_is_documented(shipped: list[Any]) -> None:
    readme = data_path("functional/README.md").read_text(encoding="utf-8")
    for name in {c.functionality for c in shipped}:
        assert f"`{name}`" in readme
