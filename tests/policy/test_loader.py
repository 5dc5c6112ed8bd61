"""Loading policies: valid files compile, invalid ones fail with ``file:line:col`` messages.

The expected messages are snapshots of user-facing text: change them on purpose only.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from clearspace.errors import PolicyError
from clearspace.policy import ACTIONS, Rule, check_policy, load_policy, parse_policy
from clearspace.policy.conditions import signal

HEADER = "name: p\nversion: 1\nrules:\n"


def rules(body: str) -> str:
    """A policy whose rule list is ``body`` (dedented, indented under ``rules:``)."""
    return HEADER + "".join("  " + line + "\n" for line in dedent(body).strip("\n").splitlines())


def error_of(text: str) -> str:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "p.yaml")
    return str(info.value)


def test_valid_policy_compiles() -> None:
    policy = parse_policy(
        rules(
            """
            - name: doxxing-third-party
              version: 2
              description: Exposes a third party's personal information.
              when:
                all:
                  - {signal: doxxing, min: 0.8}
              action: remove
              category: doxxing
              labels: [doxxing]
              priority: 90
              reason: "Shares another person's personal information ({signals})"
            - name: insult-in-dm
              version: 1
              when:
                any:
                  - all: [{signal: abuse, min: 0.7}, {context: surface, in: [dm, livechat]}]
                  - {signal: lexicon.severe, min: 0.5}
              action: limit
            """
        ),
        "p.yaml",
    )
    assert policy.id == "p@1"
    assert policy.default_action == "allow"
    assert [r.id for r in policy.rules] == ["doxxing-third-party@2", "insult-in-dm@1"]
    first = policy.rule("doxxing-third-party")
    assert (first.action, first.category, first.labels, first.priority, first.line) == (
        "remove",
        "doxxing",
        ("doxxing",),
        90,
        4,
    )
    assert policy.rule("insult-in-dm").when.text == (
        "any(all(abuse >= 0.7, context.surface in ['dm', 'livechat']), lexicon.severe >= 0.5)"
    )


def test_defaults_and_schema_are_read() -> None:
    text = "schema: 1\ndescription: d\ndefaults: {action: nudge}\n" + rules(
        "- {name: r, version: 1, when: {signal: a, min: 0.5}, action: hold}"
    )
    policy = parse_policy(text)
    assert (policy.default_action, policy.description) == ("nudge", "d")


# Each case: policy text -> the exact message the user sees.
SNAPSHOTS = {
    "unknown action": (
        rules("- {name: r, version: 1, when: {signal: abuse, min: 0.5}, action: delete}"),
        "p.yaml:4:68: unknown action 'delete' (valid: allow, label, nudge, hold, limit, remove)",
    ),
    "misspelt action": (
        rules("- {name: r, version: 1, when: {signal: abuse, min: 0.5}, action: remov}"),
        "p.yaml:4:68: unknown action 'remov' (did you mean 'remove'? valid: allow, label, nudge, hold, limit, remove)",
    ),
    "action of wrong type": (
        rules("- {name: r, version: 1, when: {signal: abuse, min: 0.5}, action: 3}"),
        "p.yaml:4:68: action must be one of allow, label, nudge, hold, limit, remove, got 3",
    ),
    "unknown condition key": (
        rules(
            """
            - name: r
              version: 1
              when:
                signal: abuse
                mni: 0.5
              action: hold
            """
        ),
        "p.yaml:8:7: unknown key 'mni' in a 'signal' condition (did you mean 'min'? valid: signal, min, max)",
    ),
    "misspelt rule key": (
        rules("- {name: r, versoin: 1, when: {signal: abuse, min: 0.5}, action: hold}"),
        "p.yaml:4:15: unknown key 'versoin' in rule 'r' (did you mean 'version'? valid: name, version, "
        "description, when, action, reason, category, labels, priority)",
    ),
    "threshold above 1": (
        rules("- {name: r, version: 1, when: {signal: abuse, min: 80}, action: hold}"),
        "p.yaml:4:54: min must be a score between 0 and 1, got 80; did you mean 0.8?",
    ),
    "negative threshold": (
        rules("- {name: r, version: 1, when: {signal: abuse, max: -0.5}, action: hold}"),
        "p.yaml:4:54: max must be a score between 0 and 1, got -0.5",
    ),
    "min above max": (
        rules("- {name: r, version: 1, when: {signal: abuse, min: 0.9, max: 0.5}, action: hold}"),
        "p.yaml:4:54: min (0.9) is greater than max (0.5), so this condition can never be true",
    ),
    "signal without bounds": (
        rules("- {name: r, version: 1, when: {signal: abuse}, action: hold}"),
        "p.yaml:4:33: a 'signal' condition needs 'min', 'max' or both",
    ),
    "duplicate rule name": (
        rules(
            """
            - {name: r, version: 1, when: {signal: a, min: 0.5}, action: hold}
            - {name: r, version: 2, when: {signal: a, min: 0.5}, action: hold}
            """
        ),
        "p.yaml:5:12: duplicate rule name 'r' (first defined on line 4)",
    ),
    "missing action": (
        rules("- {name: r, version: 1, when: {signal: a, min: 0.5}}"),
        "p.yaml:4:5: rule 'r' is missing required key 'action'",
    ),
    "missing name": (
        rules("- {version: 1, when: {signal: a, min: 0.5}, action: hold}"),
        "p.yaml:4:5: rule #1 is missing required key 'name'",
    ),
    "empty rules": (HEADER.replace("rules:\n", "rules: []\n"), "p.yaml:3:8: 'rules' is empty; add at least one rule"),
    "rules left blank": (HEADER, "p.yaml:3:7: 'rules' is empty; add at least one rule"),
    "missing rules": ("name: p\nversion: 1\n", "p.yaml:1:1: the policy file is missing required key 'rules'"),
    "not a mapping": ("- a\n- b\n", "p.yaml:1:1: the policy file must be a mapping, got a list"),
    "empty file": ("# nothing yet\n", "p.yaml:1:1: the policy file is empty; it needs 'name', 'version' and 'rules'"),
    "yaml syntax": (
        "name: p\nversion: 1\nrules:\n  - name: r\n   version: 1\n",
        "p.yaml:5:4: invalid YAML: expected <block end>, but found '<block mapping start>' "
        "(while parsing a block collection)",
    ),
    "tab indentation": (
        "name: p\n\tversion: 1\n",
        "p.yaml:2:1: invalid YAML: found character '\\t' that cannot start any token "
        "(while scanning for the next token); indent with spaces, not tabs",
    ),
    "duplicate key": (
        "name: p\nversion: 1\nname: q\nrules: [{name: r, version: 1, when: {signal: a, min: 0.5}, action: hold}]\n",
        "p.yaml:3:1: duplicate key 'name' in the policy file (first set on line 1)",
    ),
    "version not a number": (
        rules("- {name: r, version: two, when: {signal: a, min: 0.5}, action: hold}"),
        "p.yaml:4:24: version must be a whole number, got 'two'",
    ),
    "list as condition": (
        rules("- {name: r, version: 1, when: [{signal: a, min: 0.5}], action: hold}"),
        "p.yaml:4:33: a condition must be a mapping; put a list of conditions under 'all:' or 'any:'",
    ),
    "two heads in one condition": (
        rules("- {name: r, version: 1, when: {signal: a, context: surface, min: 0.5}, action: hold}"),
        "p.yaml:4:45: a condition takes one of signal, count_signals, context, all, any, not; "
        "found both 'signal' and 'context' (put each under 'all:' or 'any:')",
    ),
    "no head": (
        rules("- {name: r, version: 1, when: {sginal: a, min: 0.5}, action: hold}"),
        "p.yaml:4:34: unknown key 'sginal' in a condition (did you mean 'signal'? "
        "valid: signal, count_signals, context, all, any, not)",
    ),
    "empty all": (
        rules("- {name: r, version: 1, when: {all: []}, action: hold}"),
        "p.yaml:4:39: 'all' needs a non-empty list of conditions, got an empty list",
    ),
    "context with two tests": (
        rules("- {name: r, version: 1, when: {context: surface, equals: dm, in: [dm]}, action: hold}"),
        "p.yaml:4:64: a 'context' condition takes one test; found both 'equals' and 'in'",
    ),
    "context without a test": (
        rules("- {name: r, version: 1, when: {context: surface}, action: hold}"),
        "p.yaml:4:33: a 'context' condition needs one of: equals, in, min, max, exists",
    ),
    "equals null": (
        rules("- {name: r, version: 1, when: {context: surface, equals: null}, action: hold}"),
        "p.yaml:4:60: equals cannot be null; use 'exists: false' to test for a missing key",
    ),
    "bad glob": (
        rules("- {name: r, version: 1, when: {signal: 'p*i.*', min: 0.5}, action: hold}"),
        "p.yaml:4:42: 'p*i.*': '*' may only end a signal pattern, as in 'pii.*'",
    ),
    "unknown reason placeholder": (
        rules("- {name: r, version: 1, when: {signal: a, min: 0.5}, action: hold, reason: 'x {signal}'}"),
        "p.yaml:4:78: reason uses unknown placeholder {signal} (available: {signals}, {score}, {rule}, {category})",
    ),
    "unbalanced reason": (
        rules("- {name: r, version: 1, when: {signal: a, min: 0.5}, action: hold, reason: 'x {score'}"),
        "p.yaml:4:78: reason is not a valid template: expected '}' before end of string "
        "(write '{{' and '}}' for literal braces)",
    ),
    "unsupported schema": (
        "schema: 2\n" + rules("- {name: r, version: 1, when: {signal: a, min: 0.5}, action: hold}"),
        "p.yaml:1:9: unsupported schema 2 (this clearspace reads schema 1)",
    ),
    "python tag": (
        "name: !!python/object:os.system p\nversion: 1\n"
        "rules: [{name: r, version: 1, when: {signal: a, min: 1}, action: hold}]\n",
        "p.yaml:1:7: policy name must be non-empty text, got a value tagged !!python/object:os.system",
    ),
    "self-referencing condition": (
        rules("- {name: r, version: 1, when: &loop {not: *loop}, action: hold}"),
        "p.yaml:4:33: conditions nest more than 32 levels deep",
    ),
}


@pytest.mark.parametrize("case", list(SNAPSHOTS))
def test_error_messages(case: str) -> None:
    text, expected = SNAPSHOTS[case]
    assert error_of(text) == expected


def test_error_carries_location_fields() -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(rules("- {name: r, version: 1, when: {signal: a, min: 2}, action: hold}"), "p.yaml")
    err = info.value
    assert (err.source, err.line, err.col) == ("p.yaml", 4, 50)
    assert err.message.startswith("min must be a score between 0 and 1")


def test_several_problems_raise_the_first_and_note_the_rest() -> None:
    text = rules(
        """
        - {name: r, version: 0, when: {signal: a, min: 0.5}, action: delete}
        - {name: s, version: 1, when: {signal: a, min: 5}, action: hold}
        """
    )
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "p.yaml")
    assert str(info.value) == "p.yaml:4:24: version must be at least 1, got 0 (+2 more problems)"
    assert info.value.__notes__ == [
        "p.yaml:4:64: unknown action 'delete' (valid: allow, label, nudge, hold, limit, remove)",
        "p.yaml:5:50: min must be a score between 0 and 1, got 5",
    ]
    assert [str(e) for e in check_policy(text, "p.yaml")] == [
        "p.yaml:4:24: version must be at least 1, got 0",
        *info.value.__notes__,
    ]


def test_check_policy_is_empty_for_a_valid_policy() -> None:
    assert check_policy(rules("- {name: r, version: 1, when: {signal: a, min: 0.5}, action: hold}")) == []


def test_known_signals_and_context_catch_typos() -> None:
    text = rules(
        """
        - name: r
          version: 1
          when:
            all:
              - {signal: dox, min: 0.5}
              - {signal: "pii.*", min: 0.5}
              - {signal: pii.phone, min: 0.5}
              - {signal: "lexicon.*", min: 0.5}
              - {context: minr, equals: true}
          action: hold
        """
    )
    errors = check_policy(
        text, "p.yaml", known_signals=["doxxing", "pii.*", "lexicon.insult"], known_context=["minor", "surface"]
    )
    assert [str(e) for e in errors] == [
        "p.yaml:8:20: unknown signal kind 'dox' (did you mean 'doxxing'?)",
        "p.yaml:12:21: unknown context key 'minr' (did you mean 'minor'? known: minor, surface)",
    ]


def test_load_policy_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(rules("- {name: r, version: 1, when: {signal: abuse, min: 0.5}, action: hold}"), encoding="utf-8")
    assert load_policy(path).source == str(path)
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(PolicyError, match=r"^.*mine\.yaml:3:7: 'rules' is empty"):
        load_policy(str(path))


def test_load_policy_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: p\ndescription: caf\xe9\n")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert str(info.value) == f"{path}:2:17: the file is not valid UTF-8; save it as UTF-8"


def test_chinese_text_is_fine() -> None:
    policy = parse_policy(
        rules("- {name: r, version: 1, when: {signal: a, min: 0.5}, action: hold, reason: '人肉搜索 ({signals})'}")
    )
    assert policy.rules[0].reason == "人肉搜索 ({signals})"


def test_rules_built_in_code_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown action 'delete'"):
        Rule("r", 1, signal("a", 0.5), "delete")
    with pytest.raises(ValueError, match="unknown placeholder"):
        Rule("r", 1, signal("a", 0.5), "hold", reason="{nope}")
    assert Rule("r", 1, signal("a", 0.5), ACTIONS[-1]).id == "r@1"


def test_load_policy_refuses_kinds_the_engine_never_emits(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(rules("- {name: r, version: 1, when: {signal: threats, min: 0.5}, action: hold}"), encoding="utf-8")
    expected = r"typo\.yaml:4:\d+: unknown signal kind 'threats' \(did you mean 'threat'\?\)"
    with pytest.raises(PolicyError, match=expected):
        load_policy(path)
    assert load_policy(path, known_signals=None).rules[0].name == "r"  # None checks nothing


def test_engine_refuses_a_policy_object_naming_unknown_kinds() -> None:
    from clearspace.engine import Engine
    from clearspace.policy import parse_policy

    policy = parse_policy(rules("- {name: r, version: 1, when: {signal: toxicity, min: 0.5}, action: hold}"))
    with pytest.raises(PolicyError, match="never emits: toxicity"):
        Engine(policy=policy).warm_up()
