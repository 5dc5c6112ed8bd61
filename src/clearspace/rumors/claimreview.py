"""schema.org ClaimReview (JSON-LD) import and export.

Import accepts one ClaimReview object, a list of them, an ``@graph`` or a ``DataFeed`` whose
``dataFeedElement`` items hold ClaimReviews (the shape of fact-checkers' feeds). The verdict
comes from ``reviewRating.alternateName`` (mapped through :meth:`Verdict.parse`, falling back
to the numeric ``ratingValue``); variants travel as ``itemReviewed.alternateName`` and
evidence as ``citation`` items, so an export imports back to the same debunks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from clearspace.errors import InputError
from clearspace.rumors.model import Debunk, Evidence, Verdict

_VERDICT_LABELS = {
    Verdict.FALSE: "False", Verdict.MISLEADING: "Misleading", Verdict.FABRICATED: "Fabricated",
    Verdict.AI_GENERATED: "AI-generated", Verdict.OUT_OF_CONTEXT: "Out of context",
    Verdict.OLD_CONTENT: "Old content", Verdict.UNVERIFIED: "Unverified",
}


def to_claimreview(debunk: Debunk) -> dict[str, Any]:
    """One debunk as a schema.org ClaimReview JSON-LD object."""
    item: dict[str, Any] = {"@type": "Claim"}
    if debunk.variants:
        item["alternateName"] = list(debunk.variants)
    if debunk.claim_date:
        item["datePublished"] = debunk.claim_date
    if debunk.about_person:
        item["about"] = {"@type": "Person", "name": debunk.about_person}
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": debunk.id,
        "claimReviewed": debunk.claim,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "alternateName": _VERDICT_LABELS[debunk.verdict]},
    }
    optional = {"url": debunk.url, "headline": debunk.title, "reviewBody": debunk.text,
                "inLanguage": debunk.language, "datePublished": debunk.published,
                "dateModified": debunk.updated, "disambiguatingDescription": debunk.clarification}
    out.update({k: v for k, v in optional.items() if v})
    if debunk.fact_checker:
        out["author"] = {"@type": "Organization", "name": debunk.fact_checker}
    if debunk.evidence:
        out["citation"] = [_citation(e) for e in debunk.evidence]
    return out


def _citation(evidence: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "CreativeWork"}
    if evidence.publisher:
        out["publisher"] = {"@type": "Organization", "name": evidence.publisher}
    optional = {"url": evidence.url, "text": evidence.quote, "datePublished": evidence.date}
    out.update({k: v for k, v in optional.items() if v})
    return out


def iter_claimreviews(document: Any) -> Iterator[Mapping[str, Any]]:
    """The ClaimReview objects inside a JSON-LD document, in order."""
    if isinstance(document, list):
        for element in document:
            yield from iter_claimreviews(element)
    elif isinstance(document, Mapping):
        kind = document.get("@type")
        if kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind):
            yield document
        elif "@graph" in document:
            yield from iter_claimreviews(document["@graph"])
        elif "dataFeedElement" in document:
            for element in document["dataFeedElement"]:
                if isinstance(element, Mapping) and "item" in element:
                    yield from iter_claimreviews(element["item"])
                else:
                    yield from iter_claimreviews(element)


def from_claimreview(data: Mapping[str, Any]) -> Debunk:
    """A debunk from one ClaimReview object; raises :class:`InputError` on a bad one."""
    claim = data.get("claimReviewed")
    if not isinstance(claim, str) or not claim.strip():
        raise InputError("ClaimReview needs a non-empty 'claimReviewed'")
    raw_item = data.get("itemReviewed")
    item: Mapping[str, Any] = raw_item if isinstance(raw_item, Mapping) else {}
    variants = item.get("alternateName", [])
    if isinstance(variants, str):
        variants = [variants]
    about = item.get("about")
    citations = data.get("citation", [])
    if isinstance(citations, Mapping):
        citations = [citations]
    url = _text(data.get("url"))
    debunk_id = _text(data.get("@id")) or url or "cr_" + hashlib.sha256(claim.encode()).hexdigest()[:16]
    return Debunk(
        id=debunk_id, claim=claim, verdict=_verdict(data.get("reviewRating")),
        variants=tuple(v for v in variants if isinstance(v, str)),
        text=_text(data.get("reviewBody")), title=_text(data.get("headline") or data.get("name")), url=url,
        fact_checker=_name(data.get("author")), language=_language(data.get("inLanguage")),
        published=_text(data.get("datePublished")), updated=_text(data.get("dateModified")),
        claim_date=_text(item.get("datePublished")), about_person=_name(about),
        clarification=_text(data.get("disambiguatingDescription")),
        evidence=tuple(_evidence(c) for c in citations if isinstance(c, Mapping)),
    )


def _verdict(rating: Any) -> Verdict:
    if not isinstance(rating, Mapping):
        return Verdict.FALSE
    label = rating.get("alternateName")
    if isinstance(label, str) and label.strip():
        try:
            return Verdict.parse(label)
        except InputError:
            pass
    try:
        value = float(rating["ratingValue"])
        worst = float(rating.get("worstRating", 1))
        best = float(rating.get("bestRating", 5))
    except (KeyError, TypeError, ValueError):
        return Verdict.UNVERIFIED
    position = (value - worst) / (best - worst) if best != worst else 0.0
    return Verdict.FALSE if position <= 0.25 else Verdict.MISLEADING if position < 0.75 else Verdict.UNVERIFIED


def _evidence(citation: Mapping[str, Any]) -> Evidence:
    return Evidence(publisher=_name(citation.get("publisher")), url=_text(citation.get("url")),
                    quote=_text(citation.get("text")), date=_text(citation.get("datePublished")))


def _name(value: Any) -> str:
    if isinstance(value, Mapping):
        return _text(value.get("name"))
    if isinstance(value, list) and value:
        return _name(value[0])
    return _text(value)


def _language(value: Any) -> str:
    return _name(value) if not isinstance(value, Mapping) else _text(value.get("alternateName") or value.get("name"))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
