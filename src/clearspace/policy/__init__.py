"""Declarative policy: YAML rules that map signals and context to an action.

::

    policy = load_default_policy()            # or load_policy("policy.yaml")
    verdict = policy.evaluate(signals, {"surface": "dm", "minor": False})
    verdict.action        # "allow" | "label" | "nudge" | "hold" | "limit" | "remove"
    verdict.rule_ids      # ("insult-in-dm@1", ...) every rule that fired, in policy order

Validation happens at load time; every problem is a :class:`~clearspace.errors.PolicyError`
reading ``file:line:col: message``. See :mod:`clearspace.policy.loader` for the schema and
:mod:`clearspace.policy.conditions` for the condition language.
"""

from __future__ import annotations

from clearspace.policy.conditions import Condition
from clearspace.policy.loader import check_policy, load_default_policy, load_policy, parse_policy
from clearspace.policy.model import ACTIONS, SEVERITY, Policy, Rule, RuleHit, Verdict

__all__ = [
    "ACTIONS",
    "SEVERITY",
    "Condition",
    "Policy",
    "Rule",
    "RuleHit",
    "Verdict",
    "check_policy",
    "load_default_policy",
    "load_policy",
    "parse_policy",
]
