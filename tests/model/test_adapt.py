"""Adapting the shipped model to a community's labels, and picking what to label next."""

from __future__ import annotations

import numpy as np
import pytest

from clearspace.errors import InputError, ModelError
from clearspace.model.abuse import load_model, load_model_bytes, model_bytes
from clearspace.model.active import select, uncertainty
from clearspace.model.adapt import AdaptConfig, adapt, evaluate, holdout_split, metrics
from tests.learning_data import community


@pytest.fixture(scope="module")
def base():  # type: ignore[no-untyped-def]
    return load_model()


def test_adapting_to_community_slang_beats_the_shipped_model_on_held_out_texts(base) -> None:  # type: ignore[no-untyped-def]
    data = community(400, seed=3)
    texts, y = [t for t, _ in data], np.array([int(a) for _, a in data])
    train, test = holdout_split(len(texts), 0.25, seed=1)
    model, report = adapt(base, [texts[i] for i in train], y[train])
    before = evaluate(base, [texts[i] for i in test], y[test])
    after = evaluate(model, [texts[i] for i in test], y[test])
    assert report["columns"]["en"]["adapted"] and not report["columns"]["zh"]["adapted"]
    assert after.f1 > before.f1 + 0.2 and after.f1 > 0.9
    # the adapted model is an ordinary model file: it survives a round trip through bytes
    again = load_model_bytes(model_bytes(model))
    assert evaluate(again, [texts[i] for i in test], y[test]).f1 == pytest.approx(after.f1, abs=0.02)
    assert again.thresholds["fast"]["zh"] == base.thresholds["fast"]["zh"]


def test_too_few_labels_leave_the_model_as_it_was(base) -> None:  # type: ignore[no-untyped-def]
    model, report = adapt(base, ["you glorbo", "nice day"], [1, 0], AdaptConfig(min_labels=30))
    assert report["columns"]["en"] == {"labels": 2, "adapted": False}
    np.testing.assert_array_equal(model.coef[:, model.heads.index("abuse_en")],
                                  base.coef[:, base.heads.index("abuse_en")])
    with pytest.raises(InputError):
        adapt(base, ["a", "b"], [1])


def test_metrics_count_the_abusive_class() -> None:
    m = metrics(np.array([1, 1, 0, 0]), np.array([1, 0, 1, 0]))
    assert (m.precision, m.recall, m.f1, m.n, m.positives) == (0.5, 0.5, 0.5, 4, 2)


@pytest.mark.parametrize("data", [b"", b"not a model", b"PK\x03\x04broken zip", model_bytes.__doc__.encode()])
def test_malformed_model_files_are_model_errors(data: bytes) -> None:
    with pytest.raises(ModelError, match="cannot read model|malformed"):
        load_model_bytes(data, "upload")


def test_a_model_with_missing_thresholds_is_refused(base) -> None:  # type: ignore[no-untyped-def]
    import copy

    broken = copy.deepcopy(base)
    broken.thresholds = {"fast": {"zh": 0.5}}
    with pytest.raises(ModelError, match="thresholds"):
        load_model_bytes(model_bytes(broken), "broken")


def test_selection_prefers_uncertain_texts_and_skips_near_duplicates(base) -> None:  # type: ignore[no-untyped-def]
    copies = [f"is this one borderline {i % 3}" for i in range(30)]  # three groups of near-identical texts
    others = [f"distinct topic number {w} about {w}{w}" for w in ("apples", "trains", "rivers", "chess", "opera")]
    texts = copies + others
    probs = np.array([0.5] * len(copies) + [0.45, 0.44, 0.43, 0.42, 0.41])
    cuts = np.full(len(texts), 0.5)
    picks = select(probs, cuts, base.hasher.transform(texts), 5, min_pool=10, pool_factor=10)
    chosen = [texts[p.index] for p in picks]
    assert len(chosen) == 5
    assert sum(t.startswith("is this one") for t in chosen) <= 3  # not five copies of the most uncertain text
    assert picks[0].uncertainty == pytest.approx(1.0)
    assert uncertainty(np.array([0.5, 0.0, 1.0]), np.array([0.5, 0.5, 0.5])).tolist() == [1.0, 0.0, 0.0]


class _Encoder:
    name = "stub"

    def encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - never called here
        return np.zeros((len(texts), 4), dtype=np.float32)


def test_the_engine_swaps_models_between_batches_and_refuses_unfit_ones(base) -> None:  # type: ignore[no-untyped-def]
    from clearspace.engine import Engine

    data = community(200, seed=4)
    model, _ = adapt(base, [t for t, _ in data], [int(a) for _, a in data])
    model.meta["version"] = "v7"
    engine = Engine()
    before = engine.score("only a blemkin would say that")
    engine.swap_model(model)
    after = engine.score("only a blemkin would say that")
    assert before.detectors[-1] == "abuse-model@1" and after.detectors[-1] == "abuse-model@v7"
    assert {s.detector for s in after.signals[:3]} == {"abuse-model@v7"}
    assert after.scores["abuse"] > before.scores["abuse"]
    with pytest.raises(ModelError, match="embedding head"):
        Engine(encoder=_Encoder()).swap_model(model)
