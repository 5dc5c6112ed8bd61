"""The debunk registry in the store: debunks, their versions, retraction and search cards.

A debunk is one row in ``debunks`` (the whole :class:`~clearspace.rumors.model.Debunk` as the
JSON ``payload``; claim, language, verdict, fact-checker and URL also as columns; ``status``
``active`` or ``retracted``; ``version`` counting from 1). Every change (created, updated,
retracted) is also one row in ``debunk_versions`` with a store-wide ``seq`` and the payload as it
was then: the version history, and what each process's in-memory matcher replays
(:meth:`DebunkIndex.registry` applies the rows after the last ``seq`` it saw, so debunks added,
changed or retracted by another process on the same database are picked up without a rebuild).
Labels on posts live in :mod:`clearspace.service.labels`, clarifications in
:mod:`clearspace.service.clarifications`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from clearspace.errors import Conflict, InputError, NotFound
from clearspace.model.embeddings import Encoder
from clearspace.rumors.cards import DebunkRegistry
from clearspace.rumors.claimreview import from_claimreview, iter_claimreviews, to_claimreview
from clearspace.rumors.matcher import MATCHER_NAME, MATCHER_VERSION, Reranker, build_matcher, is_cjk
from clearspace.rumors.model import Debunk
from clearspace.rumors.views import Card, FoundLabel, MatchScore
from clearspace.service.results_rumors import ClarificationView, DebunkVersion, DebunkView
from clearspace.service.unit import Unit
from clearspace.store import Row, Store, Tx
from clearspace.store.base import Op
from clearspace.text.urls import check_web_url, is_web_url

RULE: Final = f"{MATCHER_NAME}@{MATCHER_VERSION}"
MAX_ID_CHARS: Final = 500
_DOCUMENT_KEYS: Final = frozenset({"@type", "@graph", "@context", "dataFeedElement"})


def language_of(debunk: Debunk) -> str:
    """The debunk's language, or ``zh``/``en`` guessed from its claim when it names none."""
    return debunk.language or ("zh" if is_cjk(debunk.claim) else "en")


ACTIVE: Final = "active"
RETRACTED: Final = "retracted"


def to_row(debunk: Debunk, actor: str, ts: str) -> Row:
    """The ``debunks`` row of a new ``debunk``, written at ``ts`` by ``actor``."""
    return {"id": debunk.id, "claim": debunk.claim, "language": language_of(debunk), "verdict": debunk.verdict.value,
            "fact_checker": debunk.fact_checker, "url": debunk.url, "payload": debunk.to_dict(),
            "created_by": actor, "created_at": ts, "updated_at": ts, "status": ACTIVE, "version": 1,
            "retracted_at": None}


def from_row(row: Row) -> Debunk:
    """The :class:`Debunk` a ``debunks`` row holds; a link that is not a web URL (stored before they
    were checked) is left out, so no page or label ever carries it."""
    payload = dict(row["payload"])
    if "url" in payload and not is_web_url(payload["url"]):
        del payload["url"]
    if isinstance(payload.get("evidence"), list):
        payload["evidence"] = [{k: v for k, v in e.items() if k != "url" or is_web_url(v)} if isinstance(e, dict)
                               else e for e in payload["evidence"]]
    return Debunk.from_dict(payload)


def public(row: Row, clarifications: Sequence[ClarificationView] = ()) -> DebunkView:
    """A stored debunk as the API shows it: its fields, the ClaimReview form, status, version, the row's
    times and the clarifications of the person concerned (``clarifications``, newest first)."""
    debunk = from_row(row)
    return {**debunk.to_dict(), "language": row["language"], "claimreview": to_claimreview(debunk),
            "status": row["status"], "version": row["version"], "retracted_at": row["retracted_at"],
            "created_by": row["created_by"], "created_at": row["created_at"], "updated_at": row["updated_at"],
            "clarifications": list(clarifications)}


def check(debunk: Debunk) -> None:
    """InputError when the store cannot hold ``debunk`` as it is (id too long, NUL characters)."""
    if len(debunk.id) > MAX_ID_CHARS:
        raise InputError(f"debunk id is longer than {MAX_ID_CHARS} characters")
    for name, value in (("id", debunk.id), ("claim", debunk.claim), ("language", debunk.language),
                        ("fact_checker", debunk.fact_checker), ("url", debunk.url)):
        if "\x00" in value:
            raise InputError(f"debunk {name!r} must not contain NUL characters")
    check_web_url(debunk.url, "url")
    for evidence in debunk.evidence:
        check_web_url(evidence.url, "evidence url")


def parse_item(item: Any) -> Debunk:
    """One debunk from a plain debunk object (``id``, ``claim``, …) or a ClaimReview object."""
    if not isinstance(item, Mapping):
        raise InputError(f"a debunk must be a JSON object, got {type(item).__name__}")
    try:
        kind = item.get("@type")
        debunk = from_claimreview(item) if kind == "ClaimReview" or (
            isinstance(kind, list) and "ClaimReview" in kind) else Debunk.from_dict(item)
    except InputError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as exc:  # odd shapes inside a ClaimReview
        raise InputError(f"malformed debunk: {exc}") from exc
    check(debunk)
    return debunk


def parse_body(raw: Any, max_items: int) -> tuple[list[Any], bool]:
    """The items of a request body and whether it was a single debunk.

    A body is one debunk object, a list of debunk or ClaimReview objects, or a ClaimReview
    JSON-LD document (one ClaimReview, ``@graph`` or a ``DataFeed``).
    """
    if isinstance(raw, Mapping):
        if _DOCUMENT_KEYS & set(raw) and raw.get("@type") != "ClaimReview":
            try:
                items: list[Any] = list(iter_claimreviews(raw))
            except (TypeError, ValueError, AttributeError, KeyError) as exc:
                raise InputError(f"malformed ClaimReview document: {exc}") from exc
            if not items:
                raise InputError("the document holds no ClaimReview")
        else:
            return [raw], True
    elif isinstance(raw, list):
        items = raw
        if not items:
            raise InputError("the list is empty; send at least one debunk")
    else:
        raise InputError(f"send a debunk object, a list of them or a ClaimReview document, got {type(raw).__name__}")
    if len(items) > max_items:
        raise InputError(f"{len(items)} debunks in one request; at most {max_items}")
    return items, False


def add(unit: Unit, debunk: Debunk, actor: str) -> tuple[Row, bool]:
    """Store a new debunk: ``(its row, True)``; the same debunk again: ``(stored row, False)``.

    A different debunk under a stored id is a :class:`Conflict` (debunks are never silently replaced:
    change one with :func:`update`); so is any debunk under the id of a retracted one.
    """
    stored = unit.tx.get("debunks", debunk.id)
    if stored is not None:
        if stored["status"] == RETRACTED:
            raise Conflict(f"debunk {debunk.id!r} was retracted; its id cannot be used again")
        if stored["payload"] == debunk.to_dict():
            return stored, False
        raise Conflict(f"debunk {debunk.id!r} already exists with different content (change it with PUT or PATCH)")
    row = to_row(debunk, actor, unit.ts)
    unit.tx.insert("debunks", row)
    _version(unit, row, "created", actor, "")
    unit.log("debunk.created", actor, debunk.id, {
        "claim": debunk.claim, "verdict": debunk.verdict.value, "language": row["language"],
        "fact_checker": debunk.fact_checker, "url": debunk.url})
    return row, True


def _version(unit: Unit, row: Row, change: str, actor: str, reason: str) -> None:
    """Append one change to ``debunk_versions`` (seq: the last one + 1; debunks change only in
    units on the admin audit chain, which run one at a time, service/unit.py)."""
    head = unit.tx.last("debunk_versions", "seq")
    unit.tx.insert("debunk_versions", {
        "seq": (int(head["seq"]) if head else 0) + 1, "debunk_id": row["id"], "version": row["version"],
        "change": change, "payload": row["payload"], "actor": actor, "reason": reason, "created_at": unit.ts})


READ_ONLY: Final = frozenset({"claimreview", "status", "version", "retracted_at", "created_by", "created_at",
                               "updated_at", "clarifications"})
"""Fields of :func:`public` that are not part of the debunk: PUT and PATCH ignore them (a debunk as GET
answers it can be sent back edited)."""


def editable(row: Row, raw: Any) -> Any:
    """``raw`` without the :data:`READ_ONLY` fields, and without a ``language`` that only repeats the one
    the store guessed for ``row``."""
    if not isinstance(raw, Mapping):
        return raw
    out = {k: v for k, v in raw.items() if k not in READ_ONLY}
    if "language" not in row["payload"] and out.get("language") == row["language"]:
        del out["language"]
    return out


def merged(row: Row, changes: Mapping[str, Any]) -> Debunk:
    """The debunk ``row`` holds with ``changes`` applied (PATCH): a field set to ``None`` is removed.

    ``id`` may be given only unchanged.
    """
    if not isinstance(changes, Mapping):
        raise InputError(f"send an object with the fields to change, got {type(changes).__name__}")
    if "id" in changes and changes["id"] != row["id"]:
        raise InputError("a debunk's 'id' cannot change")
    data = {**row["payload"], **changes}
    for key in [k for k, v in data.items() if v is None]:
        if key in ("id", "claim"):
            raise InputError(f"'{key}' cannot be removed")
        del data[key]
    return parse_item(data)


def update(unit: Unit, debunk_id: str, debunk: Debunk, actor: str, reason: str = "") -> tuple[Row, bool]:
    """Store a new version of an active debunk: ``(row, True)``; the same content again: ``(row, False)``."""
    stored = get(unit.tx, debunk_id)
    if debunk.id != debunk_id:
        raise InputError(f"the body's id {debunk.id!r} is not the debunk's id {debunk_id!r}")
    if stored["status"] == RETRACTED:
        raise Conflict(f"debunk {debunk_id!r} was retracted and cannot be changed")
    payload = debunk.to_dict()
    if payload == stored["payload"]:
        return stored, False
    before = from_row(stored).to_dict()
    changed = sorted(k for k in set(before) | set(payload) if before.get(k) != payload.get(k))
    fresh = to_row(debunk, stored["created_by"], stored["created_at"])
    row = {**fresh, "version": int(stored["version"]) + 1, "updated_at": unit.ts}
    unit.tx.update("debunks", {"id": debunk_id}, {k: v for k, v in row.items() if k not in ("id", "created_at",
                                                                                            "created_by")})
    _version(unit, row, "updated", actor, reason)
    unit.log("debunk.updated", actor, debunk_id, {
        "version": row["version"], "changed": changed, "claim": debunk.claim, "verdict": debunk.verdict.value,
        "fact_checker": debunk.fact_checker, "url": debunk.url, "reason": reason})
    return row, True


def retract(unit: Unit, debunk_id: str, actor: str, reason: str) -> Row:
    """Mark a debunk retracted (it stops matching; its labels are withdrawn by the caller). Once only."""
    if not reason.strip():
        raise InputError("say why the debunk is retracted: 'reason' is recorded and sent to labelled authors")
    stored = get(unit.tx, debunk_id)
    if stored["status"] == RETRACTED:
        raise Conflict(f"debunk {debunk_id!r} was already retracted on {stored['retracted_at']}")
    row = {**stored, "status": RETRACTED, "version": int(stored["version"]) + 1, "retracted_at": unit.ts,
           "updated_at": unit.ts}
    unit.tx.update("debunks", {"id": debunk_id}, {k: row[k] for k in ("status", "version", "retracted_at",
                                                                       "updated_at")})
    _version(unit, row, "retracted", actor, reason)
    unit.log("debunk.retracted", actor, debunk_id, {"version": row["version"], "reason": reason})
    return row


def history(tx: Tx, debunk_id: str) -> list[DebunkVersion]:
    """Every version of a debunk, oldest first: ``version``, ``change``, ``actor``, ``reason``, ``at``, ``debunk``."""
    get(tx, debunk_id)
    return [{"version": r["version"], "change": r["change"], "actor": r["actor"], "reason": r["reason"],
             "at": r["created_at"], "debunk": r["payload"]}
            for r in tx.select("debunk_versions", {"debunk_id": debunk_id}, order_by=["seq"])]


def get(tx: Tx, debunk_id: str) -> Row:
    row = None if "\x00" in debunk_id else tx.get("debunks", debunk_id)  # PostgreSQL text holds no NUL
    if row is None:
        raise NotFound(f"no debunk {debunk_id!r}")
    return row


def listing(tx: Tx, limit: int = 100, after: str | None = None, status: str | None = ACTIVE) -> list[Row]:
    """Debunks oldest first; ``after``: the ``created_at`` from which to continue; ``status`` ``None``: all."""
    where: dict[str, Any] = {"created_at": Op(">=", after)} if after else {}
    if status is not None:
        if status not in (ACTIVE, RETRACTED):
            raise InputError(f"status must be {ACTIVE!r} or {RETRACTED!r}")
        where["status"] = status
    return tx.select("debunks", where, order_by=["created_at", "id"], limit=limit)


class DebunkIndex:
    """The in-memory :class:`DebunkRegistry` over the store's active debunks, built lazily, kept current
    by replaying ``debunk_versions`` (additions, new versions and retractions; nothing is rebuilt).

    ``encoder`` ``None`` matches lexically only (BM25 weighted 1, as ``clearspace match --encoder none``),
    which needs no model; ``reranker`` re-ranks each short list (``clearspace match --rerank``).
    """

    def __init__(self, store: Store, encoder: Encoder | None = None, reranker: Reranker | None = None) -> None:
        self.store = store
        self.encoder = encoder
        self.reranker = reranker
        self._registry: DebunkRegistry | None = None
        self._seq = 0
        self._versions: dict[str, int] = {}
        self._lock = threading.RLock()  # the matcher is not safe to search while it changes

    def registry(self) -> DebunkRegistry:
        """The registry as the store holds it now (changes made by any process are applied first)."""
        with self._lock:
            if self._registry is None:
                matcher = build_matcher(self.encoder, self.reranker)  # as `clearspace match`
                registry = DebunkRegistry(matcher)
                with self.store.read() as tx:  # the head first: rows read after it may be newer, replay is idempotent
                    head = tx.last("debunk_versions", "seq")
                    rows = tx.select("debunks", {"status": ACTIVE}, order_by=["created_at", "id"])
                self._apply(registry, rows)
                self._seq = int(head["seq"]) if head else 0
                self._registry = registry
                return registry
            registry = self._registry
            with self.store.read() as tx:
                head = tx.last("debunk_versions", "seq")
                if head is None or int(head["seq"]) <= self._seq:
                    return registry
                changes = tx.select("debunk_versions", {"seq": Op(">", self._seq)}, order_by=["seq"])
                ids = sorted({c["debunk_id"] for c in changes})
                rows = tx.select("debunks", {"id": Op("in", ids)})
            self._apply(registry, rows)
            self._seq = max(int(c["seq"]) for c in changes)
            return registry

    def refresh(self) -> None:
        """Apply the store's changes now if the registry is built (otherwise it loads them when first used)."""
        with self._lock:
            if self._registry is not None:
                self.registry()

    def __len__(self) -> int:
        """How many debunks can match (the store is checked for changes first)."""
        with self._lock:
            return len(self.registry())

    def search(self, query: str, k: int = 5) -> list[Card]:
        """Debunk cards for a search query, best first."""
        with self._lock:
            return self.registry().search(query, k=k)

    def match(self, texts: Sequence[str], k: int = 5) -> list[list[MatchScore]]:
        """The ``k`` best debunks for each text, ``{"debunk_id", "score"}`` best first (as ``clearspace match``)."""
        with self._lock:
            registry = self.registry()
            if not len(registry) or not texts:
                return [[] for _ in texts]
            return [[m.to_dict() for m in found] for found in registry.matcher.match(list(texts), k=k)]

    def label(self, text: str) -> list[FoundLabel]:
        """Labels for a text (each links to its debunk and names the rule)."""
        return self.label_many([text])[0]

    def label_many(self, texts: Sequence[str], only: frozenset[str] | None = None) -> list[list[FoundLabel]]:
        """Labels for each text (``only``: keep labels from these debunks alone); ``[]`` each when no debunks."""
        with self._lock:
            registry = self.registry()
            if not len(registry):
                return [[] for _ in texts]
            found = registry.label_many(texts)
        if only is not None:
            found = [[lb for lb in labels if lb["debunk_id"] in only] for labels in found]
        return found

    def _apply(self, registry: DebunkRegistry, rows: Iterable[Row]) -> None:
        gone, fresh = [], []
        for row in rows:
            if row["status"] != ACTIVE:
                if row["id"] in self._versions:
                    gone.append(row["id"])
            elif self._versions.get(row["id"]) != row["version"]:
                fresh.append(row)
        if gone:
            registry.remove(gone)
            for debunk_id in gone:
                del self._versions[debunk_id]
        if fresh:
            registry.replace([from_row(r) for r in fresh])
            self._versions.update({r["id"]: int(r["version"]) for r in fresh})
