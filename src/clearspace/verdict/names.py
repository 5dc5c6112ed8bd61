"""Names as the subjects of English clauses: "Mark is the dumbest person I have ever worked with".

The cue tables know pronouns, roles and groups, not names. A name matters to the verdict where it is the
subject of the clause that holds an insult and the speaker comes after the insult, in a relative clause
("the most useless person I've ever shared a channel with"): the insult is the name's, not the speaker's.
Names are found in the original text (the normalized one is lowercased), as one or two capitalised words
before a copula or a few verbs that take a subject, by :class:`~clearspace.verdict.analysis.Analysis` when it
first needs them (most texts never do). Sentence openers that are capitalised only for being first (This,
Honestly, My) are not names.
"""

from __future__ import annotations

import re

from clearspace.detectors.cues import Cue
from clearspace.text.document import Document

NAME = "name"
_NAME = re.compile(
    r"(?<![\w@#'’.-])([A-Z][a-z]{1,15}(?: [A-Z][a-z]{1,15})?)"
    r"(?=,?\s{1,3}(?:is|was|has|had|keeps|isn't|wasn't|from|at|in|on)\s)"
)
_CAPITAL = re.compile(r"[A-Z][a-z]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# capitalised words that are not names: they open a sentence, or name a day, a month or a thing
NOT_NAMES = _words("""
The This That These Those There Here It Its He She They We You Your My Our His Her Their What Who Why How When
Where Which Whoever Whatever Everyone Everybody Everything Nobody Nothing Someone Somebody Something Anyone
Anybody Anything Honestly Literally Seriously Today Tonight Tomorrow Yesterday Life Work School Today's Now Then
And But Or So If Because Also Just Really Only Even Still Yes No Not Never Always Maybe Well Oh Ok Okay Lol Omg
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Apparently Clearly Obviously Sadly Thankfully Hopefully Mine Ours Each
Every Some Any All Both Most Many Much Such Another Other One Two Three First Last Next New Old Big Little
""")
MAX_NAMES = 16  # names the analysis keeps: bounds the work on hostile text


def name_cues(doc: Document) -> list[Cue]:
    """``name`` cues (normalized offsets) for the capitalised names that are clause subjects in ``doc``."""
    original = doc.original
    if _CAPITAL.search(original) is None:
        return []
    out: list[Cue] = []
    for m in _NAME.finditer(original):
        name = m.group(1)
        if name.split(" ", 1)[0] in NOT_NAMES:
            continue
        start, end = doc.to_normalized(m.start(1), m.end(1))
        out.append(Cue(NAME, start, end, 1.0, name.lower()))
        if len(out) >= MAX_NAMES:
            break
    return out
