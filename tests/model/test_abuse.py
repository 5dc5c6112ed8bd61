from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clearspace.errors import ModelError
from clearspace.model.abuse import AbuseModel, load_model, save_model
from clearspace.model.features import NgramHasher


def tiny_model() -> AbuseModel:
    hasher = NgramHasher((1, 2), 2**10)
    hasher.idf_ = np.ones(2**10, dtype=np.float32)
    coef = np.zeros((2**10, 2), dtype=np.float32)
    bad_zh = hasher.hashes(["坏"])[1]
    bad_en = hasher.hashes(["z"])[1]
    coef[bad_zh, 0] = 5.0
    coef[bad_en, 1] = 5.0
    return AbuseModel(
        heads=["abuse", "abuse_en"], hasher=hasher, coef=coef, intercept=np.array([-1.0, -1.0], np.float32),
        stack_fast=np.array([[1.0, 0.0], [1.0, 0.0]], np.float32),
        thresholds={"fast": {"zh": 0.5, "en": 0.5}, "embed": {"zh": 0.5, "en": 0.5}},
        routes={"abuse": "abuse_en"}, meta={"version": "t"},
    )


def test_routes_latin_text_to_its_own_column() -> None:
    m = tiny_model()
    assert m.public_heads == ["abuse"]
    p = m.predict(["坏坏坏", "zzz", "好", "abc"])[:, 0]
    assert p[0] > 0.5 and p[1] > 0.5 and p[2] < 0.5 and p[3] < 0.5
    # the Chinese column does not score Latin text and vice versa
    assert m.predict(["坏 zzzzzzzzzzzzzzzz"])[0, 0] > 0.5


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    m = tiny_model()
    path = tmp_path / "m.npz"
    save_model(m, path)
    loaded = load_model(path)
    texts = ["坏人", "zz top", "hello"]
    assert np.allclose(loaded.predict(texts), m.predict(texts), atol=0.02)
    assert loaded.routes == {"abuse": "abuse_en"}
    assert loaded.thresholds == m.thresholds


def test_corrupt_model_files_raise_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="cannot read model"):
        load_model(bad)


def test_embedding_mode_needs_an_embedding_head() -> None:
    with pytest.raises(ModelError, match="no embedding head"):
        tiny_model().predict(["x"], embeddings=np.zeros((1, 4), np.float32))


def test_shipped_model_loads_with_the_documented_heads() -> None:
    m = load_model()
    assert {"abuse", "insult", "identity_attack", "sexism", "targeted_individual", "targeted_group"} <= set(
        m.public_heads
    )
    assert set(m.thresholds["fast"]) == {"zh", "en"}


@pytest.mark.parametrize("content", [b"PK\x03\x04 a zip header and then nothing", b"", b"\x93NUMPY garbage",
                                     b"plain text, not a model"])
def test_a_malformed_model_file_is_a_model_error(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "model.npz"
    bad.write_bytes(content)
    with pytest.raises(ModelError, match="cannot read model"):
        load_model(bad)
