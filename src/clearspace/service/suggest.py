"""What to label next: recent stored events without a label, picked by active learning
(:mod:`clearspace.model.active`: uncertainty under the active model, and diversity)."""

from __future__ import annotations

from typing import Final

from clearspace.errors import InputError
from clearspace.model.active import select
from clearspace.model.adapt import scores_for
from clearspace.service.models import ModelRegistry, active_version
from clearspace.service.results_learning import Suggestion, Suggestions
from clearspace.store import Op, Store

MAX_N: Final = 500
DEFAULT_POOL: Final = 5000


def suggest(store: Store, registry: ModelRegistry, n: int, pool: int = DEFAULT_POOL,
            seed: int = 0) -> Suggestions:
    """Up to ``n`` unlabelled events among the ``pool`` most recent, most informative first.

    Answers ``{"items": [{"event_id", "text", "score", "threshold", "uncertainty", "reason", "lang",
    "received_at"}], "model_version", "pool"}``.
    """
    if not 1 <= n <= MAX_N:
        raise InputError(f"n must be between 1 and {MAX_N}, got {n}")
    if not n <= pool <= 50_000:
        raise InputError(f"pool must be between n and 50000, got {pool}")
    with store.read() as tx:
        version = active_version(tx)
        events = tx.select("events", order_by=["-received_at"], limit=pool,
                           columns=["id", "text", "lang", "received_at"])
        labelled = {r["event_id"] for r in tx.select(
            "training_labels", {"event_id": Op("in", [e["id"] for e in events])}, columns=["event_id"])}
    free = [e for e in events if e["id"] not in labelled and e["text"].strip()]
    if not free:
        return {"items": [], "model_version": version, "pool": 0}
    model = registry.model(version)
    normalize = registry.normalizer()
    texts = [normalize(e["text"]) for e in free]
    probs, cuts = scores_for(model, texts)
    picks = select(probs, cuts, model.hasher.transform(texts), n, seed=seed)
    items: list[Suggestion] = []
    for pick in picks:
        event = free[pick.index]
        p, t = float(probs[pick.index]), float(cuts[pick.index])
        items.append({"event_id": event["id"], "text": event["text"], "score": round(p, 4), "threshold": round(t, 3),
                      "uncertainty": round(pick.uncertainty, 4), "reason": pick.reason(p, t),
                      "lang": event["lang"], "received_at": event["received_at"]})
    return {"items": items, "model_version": version, "pool": len(free)}
