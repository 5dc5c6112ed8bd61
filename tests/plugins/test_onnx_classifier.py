"""The ONNX classifier plug-in: a tiny model the test exports itself, as a signal policies can use."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_models import write_model

from clearspace.engine import Engine
from clearspace.errors import ModelError
from clearspace.plugins import apply_plugins
from clearspace.plugins.config import build_plugins, onnx_model_entries
from clearspace.plugins.onnx_classifier import OnnxClassifier
from clearspace.policy import parse_policy
from clearspace.service.settings import Settings
from clearspace.signals import BUILTIN_SIGNAL_KINDS
from clearspace.text.document import Document
from clearspace.types import Signal

DEFAULT_POLICY = (Path(__file__).resolve().parents[2] / "src/clearspace/data/policy/default.yaml").read_text("utf-8")
HOLD_ON_ONNX = DEFAULT_POLICY + """
  - name: onnx-review
    version: 1
    when: {signal: onnx.tiny, min: 0.8}
    action: hold
    category: abuse
    priority: 40
    reason: "The community's own classifier flags this ({signals}, score {score})."
"""


def test_scores_abusive_texts_higher_in_both_languages(tiny_model: Path) -> None:
    clf = OnnxClassifier(tiny_model, name="tiny")
    clf.load()
    texts = ["you are an idiot", "have a nice day", "你是傻逼", "今天天气好"]
    abusive, benign, zh_abusive, zh_benign = clf.scores(texts)
    assert abusive > 0.75 and zh_abusive > 0.9
    assert benign < 0.3 and zh_benign < 0.3
    assert len(clf.version) == 12 and clf.kinds == ("onnx.tiny",)


def test_plain_vocab_and_attention_mask(tmp_path: Path) -> None:
    folder = write_model(tmp_path / "wp", tokenizer="vocab", with_mask=True)
    clf = OnnxClassifier(folder, name="wp")
    clf.load()
    assert set(clf.feeds_) == {"input_ids", "attention_mask"}
    abusive, benign = clf.scores(["You are an IDIOT", "have a nice day"])
    assert abusive > 0.8 > 0.3 > benign


def test_engine_signal_feeds_a_policy_rule(tiny_model: Path) -> None:
    clf = OnnxClassifier(tiny_model, name="tiny")
    known = Engine(plugins=[clf]).signal_kinds()
    assert known is not None and {"onnx.tiny", "guard.*", "abuse"} <= set(known)
    policy = parse_policy(HOLD_ON_ONNX, "policy.yaml", known_signals=known)
    engine = Engine(policy=policy, plugins=[OnnxClassifier(tiny_model, name="tiny")])
    flagged, calm = engine.score_many(["you are an idiot loser", "have a nice day"])
    assert not isinstance(flagged, Exception) and not isinstance(calm, Exception)
    onnx_signal = [s for s in flagged.signals if s.kind == "onnx.tiny"]
    assert onnx_signal and onnx_signal[0].score > 0.8 and onnx_signal[0].detector.startswith("tiny@")
    assert "onnx-review@1" in flagged.rules and flagged.action in ("hold", "limit", "remove")
    assert "onnx-review@1" not in calm.rules
    assert onnx_signal[0].detector in flagged.detectors


def test_unknown_kind_is_refused_when_kinds_are_checked() -> None:
    from clearspace.errors import PolicyError

    with pytest.raises(PolicyError, match=r"^policy.yaml:\d+:\d+: unknown signal kind 'onnx.tiny'$"):
        parse_policy(HOLD_ON_ONNX, "policy.yaml", known_signals=BUILTIN_SIGNAL_KINDS)


@pytest.mark.parametrize(("damage", "message"), [
    ("wrong_shape", r"first output has shape \[1, \d+, 2\]"),
    ("missing_model", "no model.onnx"),
    ("missing_tokenizer", "no tokenizer.json or vocab.txt"),
    ("malformed_model", "is not a valid ONNX model"),
    ("malformed_tokenizer", "cannot read the tokenizer"),
    ("not_a_folder", "no model.onnx"),
])
def test_bad_models_are_a_clear_model_error_at_load(tmp_path: Path, damage: str, message: str) -> None:
    folder = write_model(tmp_path / "m", pool=damage != "wrong_shape")
    if damage == "missing_model":
        (folder / "model.onnx").unlink()
    elif damage == "missing_tokenizer":
        (folder / "tokenizer.json").unlink()
    elif damage == "malformed_model":
        (folder / "model.onnx").write_bytes(b"\x08\x07garbage, not protobuf")
    elif damage == "malformed_tokenizer":
        (folder / "tokenizer.json").write_text("{not json", encoding="utf-8")
    elif damage == "not_a_folder":
        folder = tmp_path / "nowhere"
    with pytest.raises(ModelError, match=message):
        OnnxClassifier(folder, name="m").load()
    with pytest.raises(ModelError, match=message):
        Engine(plugins=[OnnxClassifier(folder, name="m")]).score("hello")


def test_a_positive_class_the_model_does_not_have_is_refused(tiny_model: Path) -> None:
    with pytest.raises(ModelError, match="class 5"):
        OnnxClassifier(tiny_model, name="tiny", positive=5).load()


def test_a_failure_while_scoring_loses_only_its_signal(tiny_model: Path) -> None:
    class Exploding(OnnxClassifier):
        def scores(self, texts):  # type: ignore[no-untyped-def]
            raise RuntimeError("onnxruntime fell over")

    clf = Exploding(tiny_model, name="tiny")
    engine = Engine(plugins=[clf])
    result = engine.score("you are an idiot")
    assert result.scores["abuse"] > 0 and not any(s.kind == "onnx.tiny" for s in result.signals)
    assert clf.stats()["errors"] == 1


def test_apply_plugins_survives_a_plugin_that_raises() -> None:
    class Broken:
        name, version, advisory, kinds = "broken", "1", False, ("x.y",)

        def load(self) -> None: ...
        def stats(self) -> dict[str, object]: return {}
        def detect_batch(self, docs, contexts, signals):  # type: ignore[no-untyped-def]
            raise ValueError("boom")

    signals = [[Signal("abuse", 0.4)]]
    apply_plugins([Broken()], [Document("hi", "hi")], [{}], signals)  # type: ignore[list-item]
    assert signals == [[Signal("abuse", 0.4)]]


def test_settings_entries_are_checked() -> None:
    assert onnx_model_entries('[{"name": "zh", "path": "/m"}]', "env") == ({"name": "zh", "path": "/m"},)
    cases = [('[{"name": "zh"}]', "needs 'path'"), ('[{"name": "a", "path": "/m", "size": 1}]', "unknown key 'size'"),
             ("{", "JSON list"), ('[{"name": 3, "path": "/m"}]', "must be a str"),
             ('[{"name": "a", "path": "/m"}, {"name": "a", "path": "/n"}]', "unique")]
    for bad, message in cases:
        with pytest.raises(Exception, match=message):
            Settings.from_env({"CLEARSPACE_ONNX_MODELS": bad})


def test_a_broken_configured_model_is_left_out_and_scoring_goes_on(tmp_path: Path, tiny_model: Path) -> None:
    broken = write_model(tmp_path / "broken", pool=False)
    settings = Settings.from_env({}, onnx_models=({"name": "good", "path": str(tiny_model)},
                                                  {"name": "bad", "path": str(broken)}))
    found = build_plugins(settings)
    assert [p.name for p in found.plugins] == ["good"]
    assert found.problems[0]["plugin"] == "onnx_models.bad" and "shape" in found.problems[0]["error"]
    engine = Engine(plugins=found.plugins)
    result = engine.score("you are an idiot")
    assert any(s.kind == "onnx.good" for s in result.signals) and result.action


def test_toml_config_tables(tmp_path: Path, tiny_model: Path) -> None:
    config = tmp_path / "clearspace.toml"
    config.write_text(f'[clearspace]\nguard_url = "http://127.0.0.1:8000/v1"\n\n[[clearspace.onnx_models]]\n'
                      f'name = "zh"\npath = "{tiny_model}"\nmax_length = 64\n', encoding="utf-8")
    settings = Settings.from_env({}, config=config)
    assert settings.onnx_models == ({"name": "zh", "path": str(tiny_model), "max_length": 64},)
    found = build_plugins(settings)
    assert [p.kinds for p in found.plugins] == [("onnx.zh",), ("guard.llm",)] and found.problems == []


def test_huge_and_empty_texts(tiny_model: Path) -> None:
    clf = OnnxClassifier(tiny_model, name="tiny", max_length=8)
    clf.load()
    huge, empty = clf.scores(["you are an idiot " * 200_000, ""])
    assert huge > 0.75 and 0 <= empty <= 1


def test_reload_and_policy_check_know_the_configured_plugin_kinds(tmp_path: Path, tiny_model: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from clearspace.cli.main import cli
    from clearspace.errors import PolicyError
    from clearspace.service.core import Service
    from clearspace.store import open_store

    policy = tmp_path / "onnx.yaml"
    policy.write_text(HOLD_ON_ONNX, encoding="utf-8")
    served = Service(open_store(tmp_path / "r.db"), engine=Engine(plugins=[OnnxClassifier(tiny_model, name="tiny")]))
    assert served.admin.reload_policy("admin:ops", str(policy))["new"]["policy"].startswith("default@")
    plain = Service(open_store(tmp_path / "p.db"), engine=Engine())
    with pytest.raises(PolicyError, match="unknown signal kind 'onnx.tiny'"):
        plain.admin.reload_policy("admin:ops", str(policy))
    monkeypatch.delenv("CLEARSPACE_CONFIG", raising=False)
    monkeypatch.delenv("CLEARSPACE_ONNX_MODELS", raising=False)
    assert CliRunner().invoke(cli, ["policy", "check", str(policy)]).exit_code == 1
    monkeypatch.setenv("CLEARSPACE_ONNX_MODELS", f'[{{"name": "tiny", "path": "{tiny_model}"}}]')
    checked = CliRunner().invoke(cli, ["policy", "check", str(policy)])
    assert checked.exit_code == 0 and "OK" in checked.output


def test_without_onnxruntime_the_error_says_what_to_install(tiny_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # an import of it now fails
    with pytest.raises(ModelError, match=r"pip install 'clearspace\[plugins\]'"):
        OnnxClassifier(tiny_model, name="tiny").load()
