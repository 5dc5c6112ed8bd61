"""Statements of reasons with the fields of the EU DSA transparency database.

One statement per restrictive decision: what was restricted (visibility, monetary, provision
of service, account), on what ground, the facts, the category and keywords, whether
detection and decision were automated, where the case came from and when the restriction ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

VISIBILITY: Final[Mapping[str, str]] = {
    "label": "DECISION_VISIBILITY_CONTENT_LABELLED",
    "hold": "DECISION_VISIBILITY_CONTENT_DISABLED",
    "limit": "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "remove": "DECISION_VISIBILITY_CONTENT_REMOVED",
}
"""Content actions that restrict visibility, and their DSA value (``allow`` and ``nudge`` do not)."""

ACCOUNT_RESTRICTIONS: Final[Mapping[str, tuple[str, str]]] = {
    "warning": ("", ""),
    "pre_send_friction": ("decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
    "comment_dm_limit": ("decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
    "temporary_mute": ("decision_provision", "DECISION_PROVISION_TOTAL_SUSPENSION"),
    "demonetization": ("decision_monetary", "DECISION_MONETARY_SUSPENSION"),
    "suspension": ("decision_account", "DECISION_ACCOUNT_SUSPENDED"),
}
"""Account restrictions of the strikes ladder: ``kind -> (DSA field, value)``."""

CATEGORIES: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    "abuse": ("STATEMENT_CATEGORY_CYBER_VIOLENCE", ("KEYWORD_ONLINE_BULLYING_INTIMIDATION",)),
    "incitement": ("STATEMENT_CATEGORY_CYBER_VIOLENCE", ("KEYWORD_ONLINE_BULLYING_INTIMIDATION",)),
    "threat": ("STATEMENT_CATEGORY_VIOLENCE", ("KEYWORD_ONLINE_BULLYING_INTIMIDATION",)),
    "hate": ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ("KEYWORD_HATE_SPEECH",)),
    "doxxing": ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
                ("KEYWORD_NON_CONSENSUAL_ITEMS_DISSEMINATION",)),
    "personal-information": ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", ()),
    "protection-of-minors": ("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", ()),
    "self-harm": ("STATEMENT_CATEGORY_SELF_HARM", ()),
    "sexual-harassment": ("STATEMENT_CATEGORY_CYBER_VIOLENCE", ("KEYWORD_ONLINE_BULLYING_INTIMIDATION",)),
    "rumor": ("STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", ("KEYWORD_MISINFORMATION",)),
}
DEFAULT_CATEGORY: Final = ("STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", ())

SOURCE_TYPES: Final[Mapping[str, str]] = {
    "own_initiative": "SOURCE_VOLUNTARY",
    "notice": "SOURCE_ARTICLE_16",
    "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
}


@dataclass(frozen=True, slots=True)
class StatementInput:
    """What a statement is built from."""

    decision_id: str
    action: str
    category: str
    facts: str
    automated_detection: bool
    automated_decision: bool
    human_involved: bool
    source_type: str
    content_date: str | None
    application_date: str
    end_date: str | None = None
    restriction: str | None = None
    ground: str = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    rules: tuple[str, ...] = ()


def needs_statement(action: str) -> bool:
    """Whether a content action restricts anything (and so owes a statement of reasons)."""
    return action in VISIBILITY


def _automation(data: StatementInput) -> str:
    if data.automated_decision and not data.human_involved:
        return "AUTOMATED_DECISION_FULLY"
    if data.automated_detection or data.automated_decision:
        return "AUTOMATED_DECISION_PARTIALLY"
    return "AUTOMATED_DECISION_NOT_AUTOMATED"


def build_statement(data: StatementInput) -> dict[str, Any]:
    """The statement's fields, named as in the DSA transparency database."""
    category, keywords = CATEGORIES.get(data.category, DEFAULT_CATEGORY)
    body: dict[str, Any] = {
        "decision_visibility": [VISIBILITY[data.action]] if data.action in VISIBILITY else [],
        "decision_monetary": None, "decision_provision": None, "decision_account": None,
        "decision_ground": data.ground,
        "incompatible_content_ground": f"community policy: {data.category or 'unspecified'}",
        "incompatible_content_explanation": "; ".join(data.rules) or None,
        "decision_facts": data.facts,
        "content_type": ["CONTENT_TYPE_TEXT"],
        "category": category,
        "category_specification": list(keywords),
        "automated_detection": "Yes" if data.automated_detection else "No",
        "automated_decision": _automation(data),
        "source_type": SOURCE_TYPES.get(data.source_type, "SOURCE_VOLUNTARY"),
        "content_date": data.content_date,
        "application_date": data.application_date,
        "end_date_visibility_restriction": data.end_date if data.action in VISIBILITY else None,
        "end_date_monetary_restriction": None, "end_date_service_restriction": None,
        "end_date_account_restriction": None,
        "puid": data.decision_id,
    }
    if data.restriction:
        field_name, value = ACCOUNT_RESTRICTIONS.get(data.restriction, ("", ""))
        if field_name:
            body[field_name] = value
            end_field = {"decision_monetary": "end_date_monetary_restriction",
                         "decision_provision": "end_date_service_restriction",
                         "decision_account": "end_date_account_restriction"}[field_name]
            body[end_field] = data.end_date
        body["content_type"] = ["CONTENT_TYPE_OTHER"]
    return body
