"""Load policy files, validating every node and reporting ``file:line:col`` errors.

Schema (``version`` is the policy's own version, recorded as ``name@version``)::

    schema: 1                     # optional; the only schema so far
    name: default                 # required; letters, digits, '.', '_', '-'
    version: 3                    # required; integer >= 1
    description: ...              # optional
    defaults:                     # optional
      action: allow               # action when no rule fires (default: allow)
    rules:                        # required, non-empty list, evaluated in order
      - name: doxxing-remove      # required, unique
        version: 2                # required; integer >= 1
        when: CONDITION           # required (see clearspace.policy.conditions)
        action: remove            # required: allow | label | nudge | hold | limit | remove
        reason: "... {signals} {score} {rule} {category} ..."   # optional template
        description: ...          # optional
        category: doxxing         # optional
        labels: [doxxing]         # optional
        priority: 90              # optional integer; review-queue lane order

Validation happens entirely at load time. Problems are collected (unknown keys with a
"did you mean", wrong types, unknown actions, thresholds outside ``[0, 1]``, ``min`` above
``max``, duplicate names, missing keys, bad reason templates, YAML syntax errors) and the
first one is raised as :class:`~clearspace.errors.PolicyError`, its message ending in
``(+N more problems)`` with the others attached as exception notes. :func:`check_policy`
returns them all instead.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Final

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from clearspace.errors import PolicyError
from clearspace.policy import conditions as cond
from clearspace.policy.advisory import advisory_problems
from clearspace.policy.conditions import Condition, Scalar
from clearspace.policy.model import ACTIONS, Policy, Rule, reason_problem
from clearspace.signals import BUILTIN_SIGNAL_KINDS, is_known

Node = Any
"""A PyYAML node (``ScalarNode``, ``SequenceNode`` or ``MappingNode``)."""
Entries = dict[str, tuple[Node, Node]]
"""The keys of a YAML mapping -> (key node, value node)."""

SCHEMA_VERSION: Final = 1
DEFAULT_POLICY: Final = "data/policy/default.yaml"
MAX_DEPTH: Final = 32

TOP_KEYS: Final = ("schema", "name", "version", "description", "defaults", "rules")
TOP_REQUIRED: Final = ("name", "version", "rules")
RULE_KEYS: Final = (
    "name", "version", "description", "when", "action", "reason", "category", "labels", "priority",
)  # fmt: skip
RULE_REQUIRED: Final = ("name", "version", "when", "action")
CONDITION_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "signal": ("signal", "min", "max"),
    "count_signals": ("count_signals", "min", "max", "score_min"),
    "context": ("context", "equals", "in", "min", "max", "exists"),
    "all": ("all",),
    "any": ("any",),
    "not": ("not",),
}
_YAML_TAG: Final = "tag:yaml.org,2002:"
_PLAIN_TAGS: Final = frozenset(_YAML_TAG + name for name in ("str", "int", "float", "bool", "null"))
_NAME_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


# ---------------------------------------------------------------- reading nodes


def _suggest(word: str, options: Sequence[str], label: str = "valid") -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f" ({hint}{label}: {', '.join(options)})"


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping" if node.value else "an empty mapping"
    if isinstance(node, SequenceNode):
        return "a list" if node.value else "an empty list"
    if node.tag not in _PLAIN_TAGS:
        return f"a value tagged {str(node.tag).replace(_YAML_TAG, '!!')}"
    if node.tag == _YAML_TAG + "null":
        return "nothing (null)"
    if node.tag == _YAML_TAG + "str":
        return repr(node.value)
    return str(node.value)


@dataclass
class Reader:
    """Reads typed values out of YAML nodes, recording a :class:`PolicyError` per problem."""

    source: str
    known_signals: Collection[str] | None = None
    known_context: Collection[str] | None = None
    errors: list[PolicyError] = field(default_factory=list)
    signals_seen: list[str] = field(default_factory=list)
    _constructor: Any = field(default_factory=SafeConstructor, repr=False)

    def error(self, node: Node, message: str) -> None:
        """Record ``message`` at ``node``'s position (1-based)."""
        mark = node.start_mark
        self.errors.append(PolicyError(message, source=self.source, line=mark.line + 1, col=mark.column + 1))

    def scalar(self, node: Node) -> object:
        """The Python value of a scalar node; ``node`` itself for lists and mappings."""
        if not isinstance(node, ScalarNode):
            return node
        try:
            return self._constructor.construct_object(node)
        except yaml.YAMLError:
            return node

    def mapping(self, node: Node, what: str) -> Entries | None:
        """The entries of a mapping node, reporting non-text and duplicate keys."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping, got {_describe(node)}")
            return None
        entries: Entries = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, str):
                self.error(key_node, f"keys in {what} must be text, got {_describe(key_node)}")
            elif key in entries:
                first = entries[key][0].start_mark.line + 1
                self.error(key_node, f"duplicate key '{key}' in {what} (first set on line {first})")
            else:
                entries[key] = (key_node, value_node)
        return entries

    def keys(
        self,
        node: Node,
        entries: Entries,
        allowed: Sequence[str],
        required: Sequence[str],
        what: str,
    ) -> bool:
        """Report keys outside ``allowed`` and missing ``required`` keys; ``False`` if any.

        A missing key that an unknown key looks like a typo of is not reported twice.
        """
        typos: set[str] = set()
        for key, (key_node, _) in entries.items():
            if key not in allowed:
                self.error(key_node, f"unknown key '{key}' in {what}{_suggest(key, allowed)}")
                typos.update(difflib.get_close_matches(key, allowed, n=1, cutoff=0.6))
        missing = [key for key in required if key not in entries and key not in typos]
        for key in missing:
            self.error(node, f"{what} is missing required key '{key}'")
        return not missing and all(key in allowed for key in entries)

    def text(self, node: Node, what: str) -> str | None:
        """A non-empty string."""
        value = self.scalar(node)
        if isinstance(value, str) and value.strip():
            return value
        self.error(node, f"{what} must be non-empty text, got {_describe(node)}")
        return None

    def name(self, node: Node, what: str) -> str | None:
        """An identifier: letters, digits, ``.``, ``_``, ``-``, starting with a letter or digit."""
        value = self.text(node, what)
        if value is not None and not _NAME_RE.match(value):
            self.error(
                node,
                f"{what} {value!r} may only use letters, digits, '.', '_' and '-' "
                "and must start with a letter or digit",
            )
            return None
        return value

    def names(self, node: Node, what: str) -> tuple[str, ...] | None:
        """A list of identifiers."""
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} must be a list such as [abusive], got {_describe(node)}")
            return None
        found = [self.name(item, f"each of {what}") for item in node.value]
        return tuple(item for item in found if item is not None)

    def integer(self, node: Node, what: str, minimum: int | None = None) -> int | None:
        """An integer (``true`` is not one), at least ``minimum``."""
        value = self.scalar(node)
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(node, f"{what} must be a whole number, got {_describe(node)}")
            return None
        if minimum is not None and value < minimum:
            self.error(node, f"{what} must be at least {minimum}, got {value}")
            return None
        return value

    def number(self, node: Node, what: str) -> float | None:
        """A finite int or float (``true`` is not one)."""
        value = self.scalar(node)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        self.error(node, f"{what} must be a number, got {_describe(node)}")
        return None

    def score(self, node: Node, what: str) -> float | None:
        """A number in ``[0, 1]``; suggests ``0.8`` for ``80``."""
        value = self.number(node, what)
        if value is None or 0.0 <= value <= 1.0:
            return value
        hint = f"; did you mean {value / 100:g}?" if 10.0 <= value <= 100.0 else ""  # a percentage
        self.error(node, f"{what} must be a score between 0 and 1, got {value:g}{hint}")
        return None

    def flag(self, node: Node, what: str) -> bool | None:
        """``true`` or ``false``."""
        value = self.scalar(node)
        if isinstance(value, bool):
            return value
        self.error(node, f"{what} must be true or false, got {_describe(node)}")
        return None


# ---------------------------------------------------------------- conditions


def _pattern(r: Reader, node: Node, what: str) -> str | None:
    """A signal kind or ``PREFIX*`` pattern, checked against ``r.known_signals``."""
    value = r.text(node, what)
    if value is None:
        return None
    problem = cond.pattern_problem(value)
    if problem is not None:
        r.error(node, problem)
        return None
    r.signals_seen.append(value)
    known = r.known_signals
    if known is not None and not is_known(value, known):
        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        r.error(node, f"unknown signal kind '{value}'{hint}")
        return None
    return value


def _bounds(
    r: Reader, entries: Entries, node: Node, read: Callable[[Node, str], float | None], what: str
) -> tuple[bool, float | None, float | None]:
    """``min``/``max`` read with ``read``; at least one is required and min <= max."""
    lo = read(entries["min"][1], "min") if "min" in entries else None
    hi = read(entries["max"][1], "max") if "max" in entries else None
    if "min" not in entries and "max" not in entries:
        r.error(node, f"{what} needs 'min', 'max' or both")
        return False, None, None
    if ("min" in entries and lo is None) or ("max" in entries and hi is None):
        return False, None, None
    if lo is not None and hi is not None and lo > hi:
        r.error(
            entries["min"][1],
            f"min ({lo:g}) is greater than max ({hi:g}), so this condition can never be true",
        )
        return False, None, None
    return True, lo, hi


def _signal_leaf(r: Reader, entries: Entries, node: Node, depth: int) -> Condition | None:
    pattern = _pattern(r, entries["signal"][1], "signal")
    ok, lo, hi = _bounds(r, entries, node, r.score, "a 'signal' condition")
    if pattern is None or not ok:
        return None
    return cond.signal(pattern, lo, hi)


def _count_leaf(r: Reader, entries: Entries, node: Node, depth: int) -> Condition | None:
    pattern = _pattern(r, entries["count_signals"][1], "count_signals")

    def count(value_node: Node, what: str) -> float | None:
        value = r.integer(value_node, what, minimum=0)
        return None if value is None else float(value)

    ok, lo, hi = _bounds(r, entries, node, count, "a 'count_signals' condition")
    score_min = None
    if "score_min" in entries:
        score_min = r.score(entries["score_min"][1], "score_min")
        ok = ok and score_min is not None
    if pattern is None or not ok:
        return None
    return cond.count_signals(pattern, None if lo is None else int(lo), None if hi is None else int(hi), score_min)


def _context_key(r: Reader, node: Node) -> str | None:
    key = r.name(node, "context key")
    known = r.known_context
    if key is not None and known is not None and key not in known:
        r.error(node, f"unknown context key '{key}'{_suggest(key, sorted(known), 'known')}")
        return None
    return key


def _context_value(r: Reader, node: Node, what: str) -> Scalar | None:
    value = r.scalar(node)
    if isinstance(value, (str, int, float, bool)):
        return value
    if value is None:
        r.error(node, f"{what} cannot be null; use 'exists: false' to test for a missing key")
    else:
        r.error(node, f"{what} must be text, a number or true/false, got {_describe(node)}")
    return None


def _context_leaf(r: Reader, entries: Entries, node: Node, depth: int) -> Condition | None:
    key = _context_key(r, entries["context"][1])
    ops: list[str] = [op for op in ("equals", "in", "exists", "min") if op in entries]
    if "max" in entries and "min" not in entries:
        ops.append("max")
    if len(ops) != 1:
        if ops:
            found = f"found both '{ops[0]}' and '{ops[1]}'"
            r.error(entries[ops[1]][0], f"a 'context' condition takes one test; {found}")
        else:
            r.error(node, "a 'context' condition needs one of: equals, in, min, max, exists")
        return None
    built = _CONTEXT_OPS[ops[0]](r, entries, node, key or "")
    return built if key is not None else None


def _context_equals(r: Reader, entries: Entries, node: Node, key: str) -> Condition | None:
    value = _context_value(r, entries["equals"][1], "equals")
    return None if value is None else cond.context_equals(key, value)


def _context_in(r: Reader, entries: Entries, node: Node, key: str) -> Condition | None:
    options_node = entries["in"][1]
    if not isinstance(options_node, SequenceNode) or not options_node.value:
        r.error(options_node, f"'in' must be a non-empty list, got {_describe(options_node)}")
        return None
    options = [_context_value(r, item, "each value of 'in'") for item in options_node.value]
    if any(option is None for option in options):
        return None
    return cond.context_in(key, [option for option in options if option is not None])


def _context_exists(r: Reader, entries: Entries, node: Node, key: str) -> Condition | None:
    exists = r.flag(entries["exists"][1], "exists")
    return None if exists is None else cond.context_exists(key, exists)


def _context_range(r: Reader, entries: Entries, node: Node, key: str) -> Condition | None:
    ok, lo, hi = _bounds(r, entries, node, r.number, "a 'context' condition")
    return cond.context_range(key, lo, hi) if ok else None


_CONTEXT_OPS: Final = {
    "equals": _context_equals,
    "in": _context_in,
    "exists": _context_exists,
    "min": _context_range,
    "max": _context_range,
}


def _combinator(r: Reader, entries: Entries, node: Node, depth: int) -> Condition | None:
    head = "all" if "all" in entries else "any"
    items = entries[head][1]
    if not isinstance(items, SequenceNode) or not items.value:
        r.error(items, f"'{head}' needs a non-empty list of conditions, got {_describe(items)}")
        return None
    children = [condition(r, item, depth + 1) for item in items.value]
    if any(child is None for child in children):
        return None
    compiled = [child for child in children if child is not None]
    return cond.all_of(compiled) if head == "all" else cond.any_of(compiled)


def _negation(r: Reader, entries: Entries, node: Node, depth: int) -> Condition | None:
    child = condition(r, entries["not"][1], depth + 1)
    return None if child is None else cond.not_(child)


_LEAVES: Final = {
    "signal": _signal_leaf,
    "count_signals": _count_leaf,
    "context": _context_leaf,
    "all": _combinator,
    "any": _combinator,
    "not": _negation,
}


def condition(r: Reader, node: Node, depth: int = 0) -> Condition | None:
    """Compile one condition node, or record why it is invalid and return ``None``."""
    if depth > MAX_DEPTH:
        r.error(node, f"conditions nest more than {MAX_DEPTH} levels deep")
        return None
    if isinstance(node, SequenceNode):
        r.error(node, "a condition must be a mapping; put a list of conditions under 'all:' or 'any:'")
        return None
    entries = r.mapping(node, "a condition")
    if entries is None:
        return None
    heads = [key for key in entries if key in CONDITION_KEYS]
    if len(heads) != 1:
        _no_single_head(r, node, entries, heads)
        return None
    head = heads[0]
    if not r.keys(node, entries, CONDITION_KEYS[head], (), f"a '{head}' condition"):
        return None
    before = len(r.errors)
    built = _LEAVES[head](r, entries, node, depth)
    return built if len(r.errors) == before else None


def _no_single_head(r: Reader, node: Node, entries: Entries, heads: list[str]) -> None:
    """Report a condition with no head key (signal, context, ...) or with several."""
    if heads:
        message = f"a condition takes one of {', '.join(CONDITION_KEYS)}; found both"
        r.error(
            entries[heads[1]][0],
            f"{message} '{heads[0]}' and '{heads[1]}' (put each under 'all:' or 'any:')",
        )
        return
    known = sorted({key for keys in CONDITION_KEYS.values() for key in keys})
    unknown = [key for key in entries if key not in known]
    for key in unknown:
        r.error(
            entries[key][0],
            f"unknown key '{key}' in a condition{_suggest(key, list(CONDITION_KEYS))}",
        )
    if not unknown:
        r.error(node, f"a condition needs one of: {', '.join(CONDITION_KEYS)}")


# ---------------------------------------------------------------- rules


def _action(r: Reader, node: Node) -> str | None:
    value = r.scalar(node)
    if isinstance(value, str) and value in ACTIONS:
        return value
    if isinstance(value, str):
        r.error(node, f"unknown action '{value}'{_suggest(value, ACTIONS)}")
    else:
        r.error(node, f"action must be one of {', '.join(ACTIONS)}, got {_describe(node)}")
    return None


def _reason(r: Reader, node: Node) -> str | None:
    template = r.text(node, "reason")
    problem = None if template is None else reason_problem(template)
    if problem is not None:
        r.error(node, problem)
        return None
    return template


@dataclass
class _RuleFields:
    """Optional rule fields, read before the rule is built."""

    reason: str = ""
    description: str = ""
    category: str = ""
    labels: tuple[str, ...] = ()
    priority: int = 0


def _optional(r: Reader, entries: Entries) -> _RuleFields:
    out = _RuleFields()
    if "reason" in entries:
        out.reason = _reason(r, entries["reason"][1]) or ""
    if "description" in entries:
        out.description = r.text(entries["description"][1], "description") or ""
    if "category" in entries:
        out.category = r.name(entries["category"][1], "category") or ""
    if "labels" in entries:
        out.labels = r.names(entries["labels"][1], "labels") or ()
    if "priority" in entries:
        out.priority = r.integer(entries["priority"][1], "priority") or 0
    return out


def rule(r: Reader, node: Node, index: int, seen: dict[str, int]) -> Rule | None:
    """Compile rule number ``index`` (1-based); ``seen`` maps names to their lines."""
    before = len(r.errors)
    entries = r.mapping(node, f"rule #{index}")
    if entries is None:
        return None
    name = r.name(entries["name"][1], "rule name") if "name" in entries else None
    what = f"rule '{name}'" if name else f"rule #{index}"
    r.keys(node, entries, RULE_KEYS, RULE_REQUIRED, what)
    if name is not None:
        name_node = entries["name"][1]
        if name in seen:
            r.error(name_node, f"duplicate rule name '{name}' (first defined on line {seen[name]})")
        seen.setdefault(name, name_node.start_mark.line + 1)
    version = r.integer(entries["version"][1], "version", 1) if "version" in entries else None
    action = _action(r, entries["action"][1]) if "action" in entries else None
    when = condition(r, entries["when"][1]) if "when" in entries else None
    extra = _optional(r, entries)
    if len(r.errors) > before or None in (name, version, action, when):
        return None
    assert name is not None and version is not None and action is not None and when is not None
    line = node.start_mark.line + 1
    return Rule(name, version, when, action, extra.reason, extra.description,
                extra.category, extra.labels, extra.priority, line)  # fmt: skip


def _rules(r: Reader, node: Node) -> list[Rule]:
    is_null = isinstance(node, ScalarNode) and r.scalar(node) is None
    if is_null or (isinstance(node, SequenceNode) and not node.value):
        r.error(node, "'rules' is empty; add at least one rule")
        return []
    if not isinstance(node, SequenceNode):
        r.error(node, f"'rules' must be a list of rules, got {_describe(node)}")
        return []
    seen: dict[str, int] = {}
    compiled = [rule(r, item, index, seen) for index, item in enumerate(node.value, 1)]
    return [item for item in compiled if item is not None]


# ---------------------------------------------------------------- policy


def _default_action(r: Reader, node: Node) -> str:
    entries = r.mapping(node, "defaults")
    if entries is None:
        return "allow"
    r.keys(node, entries, ("action",), (), "defaults")
    if "action" not in entries:
        return "allow"
    return _action(r, entries["action"][1]) or "allow"


def _header(r: Reader, entries: Entries) -> tuple[str | None, int | None, str]:
    if "schema" in entries:
        schema_node = entries["schema"][1]
        schema = r.integer(schema_node, "schema")
        if schema is not None and schema != SCHEMA_VERSION:
            r.error(
                schema_node,
                f"unsupported schema {schema} (this clearspace reads schema {SCHEMA_VERSION})",
            )
    name = r.name(entries["name"][1], "policy name") if "name" in entries else None
    version = r.integer(entries["version"][1], "version", 1) if "version" in entries else None
    description = ""
    if "description" in entries:
        description = r.text(entries["description"][1], "description") or ""
    return name, version, description


def policy(r: Reader, root: Node) -> Policy | None:
    """Compile a whole policy document, or record its problems and return ``None``."""
    entries = r.mapping(root, "the policy file")
    if entries is None:
        return None
    r.keys(root, entries, TOP_KEYS, TOP_REQUIRED, "the policy file")
    name, version, description = _header(r, entries)
    default = _default_action(r, entries["defaults"][1]) if "defaults" in entries else "allow"
    rules = _rules(r, entries["rules"][1]) if "rules" in entries else []
    if r.errors or name is None or version is None:
        return None
    return Policy(name, version, tuple(rules), default, description, r.source,
                  signal_patterns=tuple(dict.fromkeys(r.signals_seen)))


# ---------------------------------------------------------------- entry points


def _compose(text: str, r: Reader) -> Node | None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = f" ({exc.context})" if exc.context else ""
        hint = "; indent with spaces, not tabs" if "\\t" in str(exc.problem) else ""
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"invalid YAML: {exc.problem}{context}{hint}"
        r.errors.append(PolicyError(message, source=r.source, line=line, col=col))
        return None
    except yaml.YAMLError as exc:
        position = int(getattr(exc, "position", 0))
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        message = f"invalid YAML: {str(exc).splitlines()[0]}"
        r.errors.append(PolicyError(message, source=r.source, line=line, col=col))
        return None
    if root is None:
        message = "the policy file is empty; it needs 'name', 'version' and 'rules'"
        r.errors.append(PolicyError(message, source=r.source, line=1, col=1))
    return root


def _compile(
    text: str,
    source: str,
    known_signals: Collection[str] | None,
    known_context: Collection[str] | None,
) -> tuple[Policy | None, list[PolicyError]]:
    r = Reader(source, known_signals, known_context)
    root = _compose(text, r)
    compiled = policy(r, root) if root is not None else None
    if compiled is not None:  # a guard's word may hold a post at most (issue 13, clearspace.policy.advisory)
        r.errors.extend(advisory_problems(compiled))
    return compiled, sorted(r.errors, key=lambda e: (e.line, e.col))


def check_policy(
    text: str,
    source: str = "<policy>",
    *,
    known_signals: Collection[str] | None = None,
    known_context: Collection[str] | None = None,
) -> list[PolicyError]:
    """Every problem in policy ``text``, in file order (empty when it is valid).

    ``known_signals`` (kinds or ``PREFIX*`` patterns) and ``known_context`` (keys), when
    given, turn references to anything else into errors, catching typos such as ``dox``.
    """
    return _compile(text, source, known_signals, known_context)[1]


def parse_policy(
    text: str,
    source: str = "<policy>",
    *,
    known_signals: Collection[str] | None = None,
    known_context: Collection[str] | None = None,
) -> Policy:
    """Compile policy ``text``; ``source`` names it in errors. Raises :class:`PolicyError`."""
    compiled, errors = _compile(text, source, known_signals, known_context)
    if errors:
        raise _first_error(errors)
    assert compiled is not None
    return compiled


def _first_error(errors: list[PolicyError]) -> PolicyError:
    first = errors[0]
    if len(errors) == 1:
        return first
    more = len(errors) - 1
    message = f"{first.message} (+{more} more problem{'s' if more > 1 else ''})"
    error = PolicyError(message, source=first.source, line=first.line, col=first.col)
    for other in errors[1:]:
        error.add_note(str(other))
    return error


def load_policy(
    path: str | os.PathLike[str],
    *,
    known_signals: Collection[str] | None = BUILTIN_SIGNAL_KINDS,
    known_context: Collection[str] | None = None,
) -> Policy:
    """Read and compile the UTF-8 policy file at ``path``.

    A signal kind that ``known_signals`` does not name is an error (by default: the kinds the
    default engine emits; an engine with more detectors passes its own; ``None`` checks nothing).

    Raises :class:`PolicyError` for an invalid policy, ``OSError`` when the file cannot be read.
    """
    source = os.fspath(path)
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PolicyError("the file is not valid UTF-8; save it as UTF-8", source=source, line=line, col=col) from None
    return parse_policy(text, source, known_signals=known_signals, known_context=known_context)


def load_default_policy() -> Policy:
    """The policy shipped with clearspace (``clearspace/data/policy/default.yaml``)."""
    text = files("clearspace").joinpath(DEFAULT_POLICY).read_text(encoding="utf-8")
    return parse_policy(text, "clearspace/" + DEFAULT_POLICY, known_signals=BUILTIN_SIGNAL_KINDS)
