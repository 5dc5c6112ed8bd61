"""The reasons the verdict gives when it moves a score (``Verdict.why``, a signal's ``details["weighed"]``),
and the bounds, shared by :mod:`clearspace.verdict.combine` and :mod:`clearspace.verdict.harm_rules`."""

from __future__ import annotations

SELF_REASONS = ("negated or self-aimed words", "about the speaker")
IDIOM_REASON = "everyday idiom"
EXCLAIM_REASON = "untargeted exclamation"
PRAISE_REASON = "praise"
NAME_REASON = "part of a name"
CONDUCT_REASON = "criticism of conduct"
INGROUP_REASON = "in-group speech"
# speaking as a member (we autistics, my community, we queers): the harm head, which reads the group's name as
# an attack on it, may not raise such a text without a cue of harm
MEMBER_REASON = "speaking as a member of the group"
MENTIONED = "mentioned"
CONDEMNED = "condemnation"
HARM_HEAD = "the harm head"

ATTACK_MIN = 0.4  # weaker word-level signals do not decide the stance, nor stand against the harm head's "no"
FEW = 16  # cues or spans of a kind looked at (the first ones): bounds the work on hostile text
