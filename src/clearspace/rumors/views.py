"""Rumor handling's JSON shapes as :class:`~typing.TypedDict` (issue 14 point 18): a debunk, a card, a
match, a proposed label. No postponed annotations here, so ``NotRequired`` is seen at run time too."""

from typing import NotRequired, TypedDict


class DebunkFields(TypedDict):
    """A debunk as JSON (:meth:`Debunk.to_dict`): the optional fields only when set."""

    id: str
    claim: str
    verdict: str
    text: NotRequired[str]
    title: NotRequired[str]
    url: NotRequired[str]
    fact_checker: NotRequired[str]
    language: NotRequired[str]
    published: NotRequired[str]
    updated: NotRequired[str]
    claim_date: NotRequired[str]
    about_person: NotRequired[str]
    clarification: NotRequired[str]
    variants: NotRequired[list[str]]
    evidence: NotRequired[list[dict[str, str]]]


class Card(TypedDict):
    """A debunk card (:func:`card`): the optional fields only when set, ``score`` only for a match."""

    debunk_id: str
    claim: str
    verdict: str
    title: NotRequired[str]
    url: NotRequired[str]
    fact_checker: NotRequired[str]
    published: NotRequired[str]
    about_person: NotRequired[str]
    clarification: NotRequired[str]
    evidence: NotRequired[list[dict[str, str]]]
    score: NotRequired[float]


class FoundLabel(TypedDict):
    """A label claim matching proposes for a text (:meth:`DebunkRegistry.label_many`)."""

    debunk_id: str
    score: float
    verdict: str
    url: str
    rule: str


class MatchScore(TypedDict):
    """One match as JSON (:meth:`Match.to_dict`)."""

    debunk_id: str
    score: float
