"""Debunk cards: what a platform pins on top of a search for a rumor, and the label on a copy.

:class:`DebunkRegistry` holds debunks and their matcher; ``search(q)`` answers the cards for a
search query (``GET /v1/debunks/search?q=``), ``label(text)`` the labels for a post. A label
links to the debunk and names the rule (``claim_match@version``) that matched it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from clearspace.rumors.matcher import MATCHER_NAME, MATCHER_VERSION, ClaimMatcher, Match
from clearspace.rumors.model import Debunk
from clearspace.rumors.views import Card, FoundLabel


def card(debunk: Debunk, match: Match | None = None) -> Card:
    """The public face of a debunk: claim, verdict, who checked it, the link and any clarification."""
    out: Card = {"debunk_id": debunk.id, "claim": debunk.claim, "verdict": debunk.verdict.value}
    if debunk.title:
        out["title"] = debunk.title
    if debunk.url:
        out["url"] = debunk.url
    if debunk.fact_checker:
        out["fact_checker"] = debunk.fact_checker
    if debunk.published:
        out["published"] = debunk.published
    if debunk.about_person:
        out["about_person"] = debunk.about_person
    if debunk.clarification:
        out["clarification"] = debunk.clarification
    if debunk.evidence:
        out["evidence"] = [e.to_dict() for e in debunk.evidence]
    if match is not None:
        out["score"] = round(match.score, 4)
    return out


class DebunkRegistry:
    """Debunks by id, searchable and matchable; adding, replacing or removing never rebuilds the index."""

    def __init__(self, matcher: ClaimMatcher | None = None) -> None:
        self.matcher = matcher if matcher is not None else ClaimMatcher()

    def add(self, debunks: Iterable[Debunk]) -> None:
        self.matcher.add(list(debunks))

    def replace(self, debunks: Iterable[Debunk]) -> None:
        """New versions of debunks (ids not in the registry yet are added)."""
        self.matcher.replace(list(debunks))

    def remove(self, debunk_ids: Iterable[str]) -> None:
        """Take debunks out (ids not in the registry are ignored)."""
        self.matcher.remove([d for d in debunk_ids if d in self.matcher])

    def __contains__(self, debunk_id: object) -> bool:
        return debunk_id in self.matcher

    def __len__(self) -> int:
        return len(self.matcher)

    def get(self, debunk_id: str) -> Debunk:
        return self.matcher.get(debunk_id)

    def search(self, query: str, k: int = 5, min_score: float | None = None) -> list[Card]:
        """Cards for the debunks matching a search query, best first."""
        floor = self.matcher.threshold / 2 if min_score is None else min_score
        matches = self.matcher.match([query], k=k)[0]
        return [card(self.get(m.debunk_id), m) for m in matches if m.score >= floor]

    def label(self, text: str, k: int = 3) -> list[FoundLabel]:
        """Labels for a post: each links to its debunk and records the matching rule."""
        return self.label_many([text], k)[0]

    def label_many(self, texts: Sequence[str], k: int = 3) -> list[list[FoundLabel]]:
        """:meth:`label` for several texts at once (one encoder call when an encoder is set)."""
        if not texts or not len(self):
            return [[] for _ in texts]
        out: list[list[FoundLabel]] = []
        for matches in self.matcher.match(list(texts), k=k):
            out.append([{"debunk_id": m.debunk_id, "score": round(m.score, 4),
                         "verdict": self.get(m.debunk_id).verdict.value, "url": self.get(m.debunk_id).url,
                         "rule": f"{MATCHER_NAME}@{MATCHER_VERSION}"}
                        for m in matches if self.matcher.labelled(m)])
        return out
