"""Duplicate debunks: a new debunk whose claim repeats an active one's (after NFKC, the matcher's folding
of case and script, and dropping punctuation and spaces) is stored, but the answer names the debunks it repeats
(``duplicate_of``) and the log warns, since both would label the same posts twice."""

from __future__ import annotations

import logging
import unicodedata

from clearspace.rumors.tokenize import fold
from clearspace.store import Tx

log = logging.getLogger("clearspace.service.debunks")


def claim_key(claim: str) -> str:
    """The claim as compared for duplicates: folded as the matcher folds texts (width, case, traditional to
    simplified), letters and digits only."""
    return "".join(ch for ch in fold(unicodedata.normalize("NFKC", claim)) if ch.isalnum())


class DuplicateFinder:
    """The active debunks by claim key, read once per request; :meth:`check` adds each new one."""

    def __init__(self, tx: Tx) -> None:
        self.by_key: dict[str, list[str]] = {}
        for row in tx.select("debunks", {"status": "active"}, columns=["id", "claim"]):
            self.by_key.setdefault(claim_key(row["claim"]), []).append(row["id"])

    def check(self, debunk_id: str, claim: str) -> list[str]:
        """The other active debunks with the same claim (logged as a warning when there are any)."""
        key = claim_key(claim)
        known = self.by_key.setdefault(key, [])
        others = [i for i in known if i != debunk_id]
        if debunk_id not in known:
            known.append(debunk_id)
        if others and key:
            log.warning("debunk %r repeats the claim of %s; both will label the same posts",
                        debunk_id, ", ".join(repr(i) for i in others))
        return others if key else []
