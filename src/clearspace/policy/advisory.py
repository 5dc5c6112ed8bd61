"""Advisory signals may raise a post to ``hold`` at most: no ``limit`` or ``remove`` rule may read them.

A guard model's word (``guard.*``, :data:`clearspace.signals.ADVISORY_KINDS`) is a second opinion on
posts the abuse model is unsure of; it can send a post to a moderator, never take it down or hide
it on its own. Every policy is checked when it is compiled (file, reload, shadow candidate).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

from clearspace.errors import PolicyError
from clearspace.policy.model import SEVERITY, Policy
from clearspace.signals import ADVISORY_KINDS

ADVISORY_MAX_ACTION: Final = "hold"
"""The most severe action a rule that reads an advisory signal may take."""
_TOKEN: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*\*?")


def advisory_problems(policy: Policy, kinds: Collection[str] = ADVISORY_KINDS) -> list[PolicyError]:
    """One PolicyError per rule stronger than ``hold`` that reads one of ``kinds`` (``PREFIX*`` allowed)."""
    limit = SEVERITY[ADVISORY_MAX_ACTION]
    problems = []
    for rule in policy.rules:
        if SEVERITY[rule.action] <= limit:
            continue
        named = [k for k in kinds if mentions(rule.when.text, k)]
        if named:
            problems.append(PolicyError(
                f"rule {rule.id} takes action '{rule.action}' on the advisory signal {', '.join(named)}; a guard "
                f"model's word may raise a post to '{ADVISORY_MAX_ACTION}' at most",
                source=policy.source or policy.name, line=rule.line, col=1))
    return problems


def mentions(condition_text: str, kind: str) -> bool:
    """Whether a condition (as rendered in ``Condition.text``) names ``kind``; both may be ``PREFIX*``."""
    return any(token == kind or _overlap(token, kind) for token in _TOKEN.findall(condition_text))


def _overlap(a: str, b: str) -> bool:
    stem_a, stem_b = a.removesuffix("*"), b.removesuffix("*")
    if a.endswith("*") and b.endswith("*"):
        return stem_a.startswith(stem_b) or stem_b.startswith(stem_a)
    if a.endswith("*"):
        return b.startswith(stem_a)
    if b.endswith("*"):
        return a.startswith(stem_b)
    return False
