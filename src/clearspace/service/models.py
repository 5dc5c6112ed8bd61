"""Model versions: train from the shipped model and the community's labels, promote, roll back, hot-swap.

Versions live in ``model_versions`` (``v1``, ``v2``, ...: the model file's bytes, what trained it and
its held-out evaluation); ``shipped`` is the model inside the package. ``active_model`` keeps every
promotion and rollback in order; its last row names the version in service (none: ``shipped``).
Promotions stack: a rollback returns to the version that was active before the current one was
promoted. Every process over the database runs :meth:`ModelRegistry.sync` every few seconds
(``model_check_seconds``) and swaps its engine's model between batches when the active version
changed, so a promotion serves everywhere within seconds, without a restart. A version that cannot
be loaded (a malformed file) is refused at promotion; a process that meets one keeps its model.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np

from clearspace.errors import Conflict, InputError, ModelError, NotFound
from clearspace.model.abuse import AbuseModel, load_model, load_model_bytes, model_bytes
from clearspace.model.adapt import AdaptConfig, adapt, evaluate, holdout_split
from clearspace.service import training
from clearspace.service.results_learning import ModelChange, ModelListing, ModelVersion, TrainedModel, VersionName
from clearspace.service.unit import Unit
from clearspace.store import Row, Store, Tx

log = logging.getLogger(__name__)

SHIPPED: Final = "shipped"
LISTED: Final = ("id", "seq", "parent", "created_at", "created_by", "sha256", "size", "training", "evaluation")
MIN_LABELS: Final = 40
IDF_SAMPLE: Final = 20_000
Normalize = Callable[[str], str]


def active_version(tx: Tx) -> str:
    """The version in service: the last promotion or rollback, else ``shipped``."""
    row = tx.last("active_model", "seq")
    return str(row["version"]) if row else SHIPPED


def promotion_stack(tx: Tx) -> list[str]:
    """The versions promoted and not rolled back, oldest first (``shipped`` at the bottom)."""
    stack = [SHIPPED]
    for row in tx.select("active_model", order_by=["seq"]):
        if row["change"] == "rollback" and len(stack) > 1:
            stack.pop()
        elif row["change"] == "promote":
            stack.append(row["version"])
    return stack


def public(row: Row, active: str) -> ModelVersion:
    """A version as listed (never its weights): its ``LISTED`` columns, then ``version`` and ``active``."""
    return {"id": row["id"], "seq": row["seq"], "parent": row["parent"], "created_at": row["created_at"],
            "created_by": row["created_by"], "sha256": row["sha256"], "size": row["size"],
            "training": row["training"], "evaluation": row["evaluation"], "version": row["id"],
            "active": row["id"] == active}


def shipped_entry(base: AbuseModel, active: str) -> ModelVersion:
    """The package's model as a listed version."""
    return {"version": SHIPPED, "id": SHIPPED, "seq": 0, "parent": None, "created_at": None,
            "created_by": "clearspace", "training": {"model_version": base.meta.get("version"),
                                                     "trained_on": base.meta.get("trained_on", [])},
            "evaluation": {}, "active": active == SHIPPED}


def model_change(row: Row) -> ModelChange:
    """A promotion or rollback (an ``active_model`` row), its columns in table order."""
    return {"seq": row["seq"], "version": row["version"], "previous": row["previous"], "change": row["change"],
            "actor": row["actor"], "reason": row["reason"], "created_at": row["created_at"]}


class ModelRegistry:
    """The versions of one database, and which one this process's engine serves."""

    def __init__(self, store: Store, normalize: Callable[[], Normalize] | None = None) -> None:
        self.store = store
        self.normalize_factory = normalize
        self.served: str | None = None
        self._models: dict[str, AbuseModel] = {}
        self._lock = threading.Lock()
        self._normalize: Normalize | None = None

    # ------------------------------------------------------------------ reading
    def normalizer(self) -> Normalize:
        if self._normalize is None:
            if self.normalize_factory is not None:
                self._normalize = self.normalize_factory()
            else:
                from clearspace.detectors.lexicon import lexicon_normalizer

                normalizer = lexicon_normalizer()
                self._normalize = lambda text: normalizer.normalize(text).text
        return self._normalize

    def weights(self, version: str) -> bytes:
        """The model file of ``version`` (NotFound when there is none; ModelError when its bytes are damaged)."""
        if version == SHIPPED:
            from clearspace.model.abuse import DEFAULT_MODEL
            from clearspace.text.tables import data_path

            return data_path(DEFAULT_MODEL).read_bytes()
        with self.store.read() as tx:
            rows = tx.select("model_versions", {"id": version}, columns=["weights", "sha256"], limit=1)
        if not rows:
            raise NotFound(f"no model version {version!r} (see 'clearspace model list')")
        try:
            data = base64.b64decode(rows[0]["weights"], validate=True)
        except ValueError as exc:
            raise ModelError(f"model version {version}: stored weights are not base64 ({exc})") from exc
        if hashlib.sha256(data).hexdigest() != rows[0]["sha256"]:
            raise ModelError(f"model version {version}: stored weights do not match their SHA-256")
        return data

    def model(self, version: str) -> AbuseModel:
        """The loaded model of ``version`` (the last two used stay in memory)."""
        with self._lock:
            found = self._models.get(version)
        if found is not None:
            return found
        model = load_model() if version == SHIPPED else load_model_bytes(self.weights(version), f"version {version}")
        model.meta["version"] = model.meta.get("version", "1") if version == SHIPPED else version
        with self._lock:
            for old in [v for v in self._models if v not in (version, self.served)]:
                del self._models[old]
            self._models[version] = model
        return model

    def listing(self) -> ModelListing:
        """``{"active": {...}, "versions": [...], "history": [...]}``: newest version first."""
        with self.store.read() as tx:
            active = active_version(tx)
            rows = tx.select("model_versions", order_by=["-seq"], columns=list(LISTED))
            history = tx.select("active_model", order_by=["-seq"], limit=100)
        versions = [public(r, active) for r in rows] + [shipped_entry(self.model(SHIPPED), active)]
        missing: VersionName = {"version": active}  # the active version's row is gone
        current: ModelVersion | VersionName = next((v for v in versions if v["version"] == active), missing)
        return {"active": current, "versions": versions, "history": [model_change(r) for r in history]}

    # ------------------------------------------------------------------ serving
    def sync(self, engine: Any) -> str | None:
        """Swap ``engine``'s model when the active version changed; answers the version now served.

        A version that cannot be loaded is logged and skipped: the engine keeps its model.
        """
        with self.store.read() as tx:
            version = active_version(tx)
        if version == self.served:
            return version
        if self.served is None and version == SHIPPED and getattr(engine, "model_path", "") is None:
            loaded = getattr(getattr(engine, "model_", None), "model", None)  # an Engine on the shipped model
            if isinstance(loaded, AbuseModel):
                with self._lock:
                    self._models[SHIPPED] = loaded
            self.served = SHIPPED
            return SHIPPED
        swap = getattr(engine, "swap_model", None)
        try:
            model = self.model(version)
            if swap is not None:
                swap(model)
        except (ModelError, NotFound) as exc:
            log.error("model version %s cannot be served, keeping %s: %s", version, self.served or SHIPPED, exc)
            return self.served
        previous, self.served = self.served, version
        if previous is not None:
            log.warning("now serving model version %s (was %s)", version, previous)
        return version

    # ------------------------------------------------------------------ changing
    def promote(self, unit: Unit, version: str, actor: str, reason: str = "", change: str = "promote") -> Row:
        """Make ``version`` the active one (checked loadable first); audited as ``model.<change>``."""
        current = active_version(unit.tx)
        if version == current:
            raise Conflict(f"model version {version} is already active")
        if version != SHIPPED and unit.tx.get("model_versions", version) is None:
            raise NotFound(f"no model version {version!r} (see 'clearspace model list')")
        self.model(version)  # ModelError here: nothing changes
        tail = unit.tx.last("active_model", "seq")
        row: Row = {"seq": int(tail["seq"]) + 1 if tail else 1, "version": version, "previous": current,
                    "change": change, "actor": actor, "reason": reason, "created_at": unit.ts}
        unit.tx.insert("active_model", row)
        kind = "model.promoted" if change == "promote" else "model.rolled_back"
        unit.log(kind, actor, version, {"version": version, "previous": current, "reason": reason})
        return row

    def rollback(self, unit: Unit, actor: str, reason: str = "") -> Row:
        """Return to the version active before the current one was promoted."""
        stack = promotion_stack(unit.tx)
        if len(stack) < 2:
            raise Conflict("nothing to roll back: the active model was never promoted over another")
        return self.promote(unit, stack[-2], actor, reason, change="rollback")

    # ------------------------------------------------------------------ training
    def train(self, open_unit: Callable[[], Any], actor: str, *, holdout: float = 0.2, seed: int = 7,
              config: AdaptConfig | None = None) -> TrainedModel:
        """A new version: the shipped model adapted to the current labels but a held-out slice,
        evaluated on that slice next to the active version. Answers the version's record."""
        with self.store.read() as tx:
            labels = training.current_labels(tx)
            active = active_version(tx)
            sample = tx.select("events", order_by=["-received_at"], limit=IDF_SAMPLE, columns=["text"])
        texts, y = self._labelled(labels)
        train_idx, test_idx = holdout_split(len(texts), holdout, seed)
        if len(train_idx) < MIN_LABELS or len(set(y[train_idx].tolist())) < 2:
            raise InputError(f"training needs at least {MIN_LABELS} labels of both kinds besides the held-out "
                             f"slice; there are {len(texts)} labels ({int(y.sum())} abusive)")
        normalize = self.normalizer()
        base = self.model(SHIPPED)
        config = config or AdaptConfig(seed=seed)
        model, report = adapt(base, [texts[i] for i in train_idx], y[train_idx], config,
                              idf_texts=[normalize(r["text"]) for r in sample])
        held = [texts[i] for i in test_idx]
        evaluation = {"held_out": {"n": len(test_idx), "share": holdout, "seed": seed},
                      "new": evaluate(model, held, y[test_idx]).to_dict() if len(held) else None,
                      "active": {"version": active, **evaluate(self.model(active), held, y[test_idx]).to_dict()}
                      if len(held) else None}
        info = {**report, "base": SHIPPED, "labels": len(texts), "trained_on": int(len(train_idx)),
                "abusive": int(y[train_idx].sum()), "active_at_training": active}
        return self._store_version(open_unit, model, info, evaluation, actor)

    def _labelled(self, labels: Sequence[Row]) -> tuple[list[str], np.ndarray[Any, np.dtype[np.int64]]]:
        normalize = self.normalizer()
        return [normalize(r["text"]) for r in labels], np.array([int(r["abusive"]) for r in labels], dtype=np.int64)

    def _store_version(self, open_unit: Callable[[], Any], model: AbuseModel, info: dict[str, Any],
                       evaluation: dict[str, Any], actor: str) -> TrainedModel:
        while True:
            with self.store.read() as tx:
                tail = tx.last("model_versions", "seq")
            seq = int(tail["seq"]) + 1 if tail else 1
            version = f"v{seq}"
            model.meta.update({"version": version, "parent": SHIPPED, "adapted": info})
            data = model_bytes(model)
            with open_unit() as unit:
                if unit.tx.get("model_versions", version) is not None:
                    continue  # another trainer took this number meanwhile
                row: Row = {"id": version, "seq": seq, "parent": SHIPPED, "created_at": unit.ts, "created_by": actor,
                            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                            "weights": base64.b64encode(data).decode("ascii"), "training": info,
                            "evaluation": evaluation}
                unit.tx.insert("model_versions", row)
                unit.log("model.trained", actor, version, {"labels": info["labels"], "sha256": row["sha256"],
                                                           "evaluation": evaluation})
            return {"version": version, "seq": seq, "parent": row["parent"], "created_at": row["created_at"],
                    "created_by": actor, "sha256": row["sha256"], "size": row["size"], "training": info,
                    "evaluation": evaluation}
