"""Rumor handling: the debunk registry, claim matching and crowd notes.

Modules, one idea each:

- :mod:`.model` — :class:`Debunk`, :class:`Evidence`, :class:`Verdict`.
- :mod:`.claimreview` — schema.org ClaimReview JSON-LD import and export.
- :mod:`.jsonl` — JSON Lines import with per-line errors.
- :mod:`.tokenize`, :mod:`.bm25`, :mod:`.passages`, :mod:`.ann` — the parts of the matcher.
- :mod:`.matcher` — :class:`ClaimMatcher`, hybrid BM25 + multilingual embeddings.
- :mod:`.notes` — crowd notes scored by bridging matrix factorization.

Errors: bad input raises :class:`clearspace.errors.InputError` (a ``ClearspaceError``).
Nothing here imports the service, the store or an interface.
"""
