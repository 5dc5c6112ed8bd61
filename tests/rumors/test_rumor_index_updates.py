"""Debunks replaced and removed without a rebuild: the matcher, the exact matrix and the HNSW index."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from clearspace.errors import InputError
from clearspace.rumors.ann import VectorIndex
from clearspace.rumors.cards import DebunkRegistry
from clearspace.rumors.matcher import ClaimMatcher
from clearspace.rumors.model import Debunk

DEBUNKS = [
    Debunk(id="water", claim="自来水里检测出新冠病毒，千万别喝", variants=("Tap water contains the coronavirus",)),
    Debunk(id="salt", claim="多吃盐可以预防病毒感染"),
    Debunk(id="bridge", claim="The old bridge on River Road collapsed last night"),
    Debunk(id="p1", claim="x", text="经查，某地发生地震不实。被举报人言论构成发布不实信息，现依规处理。"),
]


@pytest.mark.parametrize("exact_below", [20000, 1])
def test_vector_index_delete(exact_below: int) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(8, exact_below=exact_below)
    index.add(vectors[:30])
    index.delete([3, 3, 99])
    assert len(index) == 29
    ids, sims = index.search(vectors[3], 5)
    assert 3 not in ids.tolist() and len(ids) == 5
    index.add(vectors[30:])  # the deletion survives growth (and the switch to HNSW)
    index.delete(np.arange(10, 50))
    assert len(index) == 9
    ids, _ = index.search(vectors[20], 20)
    assert sorted(ids.tolist()) == [0, 1, 2, 4, 5, 6, 7, 8, 9]
    assert index.search(vectors[20], 0)[0].size == 0


@pytest.mark.parametrize("embed", [False, True])
@pytest.mark.parametrize("exact_below", [20000, 1])
def test_replace_and_remove(embed: bool, exact_below: int, hash_encoder: Any) -> None:
    matcher = ClaimMatcher(encoder=hash_encoder if embed else None, ann_exact_below=exact_below, ann_candidates=5)
    matcher.add(DEBUNKS)
    assert matcher.match(["多吃盐能预防病毒感染吗"])[0][0].debunk_id == "salt"
    matcher.replace([Debunk(id="salt", claim="喝醋可以杀灭新冠病毒")])
    assert len(matcher) == 4 and "salt" in matcher
    assert [m.debunk_id for m in matcher.match(["多吃盐能预防病毒感染吗"])[0]] != ["salt"]
    assert matcher.match(["喝醋能杀灭新冠病毒"])[0][0].debunk_id == "salt"
    assert matcher.get("salt").claim == "喝醋可以杀灭新冠病毒"
    matcher.remove(["water"])
    assert "water" not in matcher and len(matcher) == 3
    assert all(m.debunk_id != "water" for m in matcher.match(["自来水里检测出新冠病毒"])[0])
    with pytest.raises(InputError):
        matcher.remove(["water"])
    with pytest.raises(InputError):
        matcher.get("water")
    matcher.add([Debunk(id="water", claim="自来水里检测出新冠病毒，千万别喝")])  # the id can come back
    assert matcher.match(["自来水里检测出新冠病毒"])[0][0].debunk_id == "water"
    matcher.remove(["water", "salt", "bridge", "p1"])
    assert matcher.match(["自来水里检测出新冠病毒"]) == [[]]


def test_a_removed_debunks_boilerplate_stops_being_shared() -> None:
    """Text shared word for word by two debunks weighs 0 for both; once one is gone, a new copy counts."""
    first = Debunk(id="a", claim="a", text="经查，某地发生地震不实。被举报人言论构成发布不实信息，现依规处理。")
    matcher = ClaimMatcher(encoder=None, w_embed=0.0, w_lexical=1.0)
    matcher.add([first])
    matcher.remove(["a"])
    matcher.add([Debunk(id="b", claim="b", text=first.text)])
    assert matcher.match(["某地发生地震"])[0][0].debunk_id == "b"


def test_registry_replace_and_remove_ignore_unknown_ids() -> None:
    registry = DebunkRegistry(ClaimMatcher(encoder=None, w_embed=0.0, w_lexical=1.0))
    registry.add(DEBUNKS[:2])
    registry.remove(["nope", "water"])
    registry.replace([Debunk(id="new", claim="新的谣言内容")])
    assert len(registry) == 2 and "new" in registry and "water" not in registry
    assert registry.label_many([]) == [] and registry.label_many(["新的谣言内容"])[0][0]["debunk_id"] == "new"
