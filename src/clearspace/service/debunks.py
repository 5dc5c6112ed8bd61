"""The debunk registry in the store: debunks, their search cards and the labels on posts.

A debunk is one row in ``debunks`` (the whole :class:`~clearspace.rumors.model.Debunk` as the
JSON ``payload``; claim, language, verdict, fact-checker and URL also as columns). A label that
:class:`~clearspace.rumors.cards.DebunkRegistry` gives a stored post is one row in ``post_labels``
(event id, debunk id, score, ``rule`` as ``name@version``). The in-memory matcher is built from
the store on first use and grows as debunks are added (by this process, or by another process
on the same database: :meth:`DebunkIndex.registry` picks up rows it has not seen).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from clearspace.errors import Conflict, InputError, NotFound
from clearspace.model.embeddings import Encoder
from clearspace.rumors.cards import DebunkRegistry
from clearspace.rumors.claimreview import from_claimreview, iter_claimreviews, to_claimreview
from clearspace.rumors.matcher import MATCHER_NAME, MATCHER_VERSION, ClaimMatcher, is_cjk
from clearspace.rumors.model import Debunk
from clearspace.service.unit import Unit
from clearspace.store import Row, Store, Tx
from clearspace.store.base import Op

RULE: Final = f"{MATCHER_NAME}@{MATCHER_VERSION}"
MAX_ID_CHARS: Final = 500
_DOCUMENT_KEYS: Final = frozenset({"@type", "@graph", "@context", "dataFeedElement"})


def language_of(debunk: Debunk) -> str:
    """The debunk's language, or ``zh``/``en`` guessed from its claim when it names none."""
    return debunk.language or ("zh" if is_cjk(debunk.claim) else "en")


def to_row(debunk: Debunk, actor: str, ts: str) -> Row:
    """The ``debunks`` row of ``debunk``, written at ``ts`` by ``actor``."""
    return {"id": debunk.id, "claim": debunk.claim, "language": language_of(debunk), "verdict": debunk.verdict.value,
            "fact_checker": debunk.fact_checker, "url": debunk.url, "payload": debunk.to_dict(),
            "created_by": actor, "created_at": ts, "updated_at": ts}


def from_row(row: Row) -> Debunk:
    """The :class:`Debunk` a ``debunks`` row holds."""
    return Debunk.from_dict(row["payload"])


def public(row: Row) -> dict[str, Any]:
    """A stored debunk as the API shows it: its fields, the ClaimReview form and the row's times."""
    debunk = from_row(row)
    return {**debunk.to_dict(), "language": row["language"], "claimreview": to_claimreview(debunk),
            "created_by": row["created_by"], "created_at": row["created_at"], "updated_at": row["updated_at"]}


def check(debunk: Debunk) -> None:
    """InputError when the store cannot hold ``debunk`` as it is (id too long, NUL characters)."""
    if len(debunk.id) > MAX_ID_CHARS:
        raise InputError(f"debunk id is longer than {MAX_ID_CHARS} characters")
    for name, value in (("id", debunk.id), ("claim", debunk.claim), ("language", debunk.language),
                        ("fact_checker", debunk.fact_checker), ("url", debunk.url)):
        if "\x00" in value:
            raise InputError(f"debunk {name!r} must not contain NUL characters")


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

    A different debunk under a stored id is a :class:`Conflict` (debunks are never silently replaced).
    """
    stored = unit.tx.get("debunks", debunk.id)
    if stored is not None:
        if stored["payload"] == debunk.to_dict():
            return stored, False
        raise Conflict(f"debunk {debunk.id!r} already exists with different content")
    row = to_row(debunk, actor, unit.ts)
    unit.tx.insert("debunks", row)
    unit.log("debunk.created", actor, debunk.id, {
        "claim": debunk.claim, "verdict": debunk.verdict.value, "language": row["language"],
        "fact_checker": debunk.fact_checker, "url": debunk.url})
    return row, True


def get(tx: Tx, debunk_id: str) -> Row:
    row = None if "\x00" in debunk_id else tx.get("debunks", debunk_id)  # PostgreSQL text holds no NUL
    if row is None:
        raise NotFound(f"no debunk {debunk_id!r}")
    return row


def listing(tx: Tx, limit: int = 100, after: str | None = None) -> list[Row]:
    """Debunks oldest first; ``after``: the ``created_at`` from which to continue."""
    where = {"created_at": Op(">=", after)} if after else None
    return tx.select("debunks", where, order_by=["created_at", "id"], limit=limit)


def store_labels(unit: Unit, event_id: str, labels: Sequence[Mapping[str, Any]]) -> list[Row]:
    """Record a post's labels (one per debunk; a label already stored is kept)."""
    rows = []
    for label in labels:
        if unit.tx.count("post_labels", {"event_id": event_id, "debunk_id": label["debunk_id"]}):
            continue  # writes are serialized, so nobody can insert it between this check and the insert
        row = {"id": unit.ids.new("lbl"), "event_id": event_id, "debunk_id": label["debunk_id"],
               "score": float(label["score"]), "rule": label["rule"], "created_at": unit.ts}
        unit.tx.insert("post_labels", row)
        rows.append(row)
    return rows


def labels_of(tx: Tx, event_id: str) -> list[Row]:
    return tx.select("post_labels", {"event_id": event_id}, order_by=["-score", "debunk_id"])


class DebunkIndex:
    """The in-memory :class:`DebunkRegistry` over the store's debunks, built lazily, grown incrementally.

    ``encoder`` ``None`` matches lexically only (BM25 weighted 1, as ``clearspace match --encoder none``),
    which needs no model.
    """

    def __init__(self, store: Store, encoder: Encoder | None = None) -> None:
        self.store = store
        self.encoder = encoder
        self._registry: DebunkRegistry | None = None
        self._watermark = ""
        self._ids: set[str] = set()
        self._lock = threading.RLock()  # the matcher is not safe to search while it grows

    def registry(self) -> DebunkRegistry:
        """The registry, holding every debunk stored so far (rows added elsewhere are picked up)."""
        with self._lock:
            if self._registry is None:
                matcher = ClaimMatcher(encoder=self.encoder) if self.encoder is not None else \
                    ClaimMatcher(encoder=None, w_embed=0.0, w_lexical=1.0)  # as `clearspace match --encoder none`
                self._registry = DebunkRegistry(matcher)
            registry = self._registry
            with self.store.read() as tx:
                if tx.count("debunks") == len(registry):
                    return registry
                where = {"created_at": Op(">=", self._watermark)} if self._watermark else None
                rows = list(tx.select("debunks", where, order_by=["created_at", "id"]))
            self._add_rows(registry, rows)
            return registry

    def search(self, query: str, k: int = 5) -> list[dict[str, Any]]:
        """Debunk cards for a search query, best first."""
        with self._lock:
            return self.registry().search(query, k=k)

    def label(self, text: str) -> list[dict[str, Any]]:
        """Labels for a text (each links to its debunk and names the rule)."""
        with self._lock:
            return self.registry().label(text)

    def added(self, rows: Iterable[Row]) -> None:
        """Debunks this process just stored (only if the registry is built; otherwise it loads them later)."""
        with self._lock:
            if self._registry is not None:
                self._add_rows(self._registry, list(rows))

    def _add_rows(self, registry: DebunkRegistry, rows: list[Row]) -> None:
        fresh = [from_row(r) for r in rows if r["id"] not in self._ids]
        if fresh:
            registry.add(fresh)
            self._ids.update(d.id for d in fresh)
        if rows:
            self._watermark = max(self._watermark, *(r["created_at"] for r in rows))
