"""Labels and model versions on every backend: train from the shipped model and the labels, promote,
hot-swap in another service over the same database, roll back, refuse malformed versions (issue 13)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from clearspace.engine import Engine
from clearspace.errors import Conflict, ModelError, NotFound
from clearspace.service.clock import ManualClock
from clearspace.service.core import Service
from clearspace.service.ids import IdFactory, counter_token
from clearspace.store import open_store
from tests.learning_data import community


def _service(url: str, clock: ManualClock, start: int) -> Service:
    return Service(open_store(url), engine=Engine(), clock=clock, ids=IdFactory(counter_token(start)))


def _detector(service: Service) -> str:
    return str(service.engine.model_.model.meta["version"])  # type: ignore[union-attr]


def test_train_promote_swap_and_roll_back_across_two_services(store_url: str, clock: ManualClock) -> None:
    a, b = _service(store_url, clock, 0), _service(store_url, clock, 10**6)
    data = community(160, seed=5)
    a.ingest.events([{"id": f"c{i}", "author": f"u{i % 7}", "text": text} for i, (text, _) in enumerate(data)])
    stored = a.learning.add_labels([{"event_id": f"c{i}", "abusive": abusive} for i, (_, abusive) in
                                    enumerate(data)], "moderator:carol")
    assert stored["stored"] == 160
    assert a.learning.model_tick() == "shipped" and b.learning.model_tick() == "shipped"
    record = a.learning.train_model("cli", holdout=0.25, seed=3)
    assert record["version"] == "v1" and record["training"]["trained_on"] == 120
    assert record["training"]["labels"] == 160
    evaluation = record["evaluation"]
    assert evaluation["held_out"]["n"] == 40 and evaluation["active"]["version"] == "shipped"
    assert evaluation["new"]["f1"] > evaluation["active"]["f1"]
    assert {"precision", "recall", "f1", "n"} <= set(evaluation["new"])
    listing = b.learning.list_models()
    assert listing["active"]["version"] == "shipped"
    assert [v["version"] for v in listing["versions"]] == ["v1", "shipped"]
    assert "weights" not in listing["versions"][0]

    a.learning.promote_model("v1", "admin:root", "better on held-out labels")
    assert b.learning.list_models()["active"]["version"] == "v1"
    assert b.learning.model_tick() == "v1" and _detector(b) == "v1"  # the other service swaps on its next tick
    [answer] = b.ingest.events({"id": "after", "author": "z", "text": "shut up glorbo, nobody asked"})
    decision = b.ingest.decision(answer["decision_id"])
    assert decision["model_version"] == "v1"
    assert any(s["detector"] == "abuse-model@v1" for s in decision["signals"])
    with pytest.raises(Conflict, match="already active"):
        a.learning.promote_model("v1", "admin:root")
    with pytest.raises(NotFound):
        a.learning.promote_model("v9", "admin:root")

    a.learning.rollback_model("admin:root", "too many false positives")
    assert b.learning.model_tick() == "shipped" and _detector(b) == "1"
    with pytest.raises(Conflict, match="nothing to roll back"):
        a.learning.rollback_model("admin:root")
    kinds = [(e["kind"], e["subject"]) for e in a.admin.export_audit() if e["kind"].startswith("model.")]
    assert kinds == [("model.trained", "v1"), ("model.promoted", "v1"), ("model.rolled_back", "shipped")]
    assert a.learning.export_model("v1")[:2] == b"PK"


def test_a_malformed_version_is_refused_and_never_stops_scoring(store_url: str, clock: ManualClock) -> None:
    service = _service(store_url, clock, 0)
    garbage = b"PK\x03\x04 this is not a model"
    with service.store.transaction() as tx:
        tx.insert("model_versions", {"id": "v1", "seq": 1, "parent": "shipped", "created_at": "t", "created_by": "x",
                                     "sha256": hashlib.sha256(garbage).hexdigest(), "size": len(garbage),
                                     "weights": base64.b64encode(garbage).decode(), "training": {},
                                     "evaluation": {}})
    assert service.learning.model_tick() == "shipped"
    with pytest.raises(ModelError, match="version v1"):
        service.learning.promote_model("v1", "admin:root")
    assert service.learning.list_models()["active"]["version"] == "shipped"
    # a process that meets a broken active version (written by hand) keeps serving its model
    with service.store.transaction() as tx:
        tx.insert("active_model", {"seq": 1, "version": "v1", "previous": "shipped", "change": "promote",
                                   "actor": "x", "reason": "", "created_at": "t"})
    assert service.learning.model_tick() == "shipped"
    [answer] = service.ingest.events({"id": "still", "author": "z", "text": "你就是个傻逼"})
    assert service.ingest.decision(answer["decision_id"])["model_version"] == "1"
