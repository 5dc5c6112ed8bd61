"""Typed results of :class:`clearspace.service.facades.admin.AdminFacade` (issue 14 point 18): built key by
key where the service makes them, so the JSON the API answers is unchanged."""

from typing import TypedDict


class PolicyRule(TypedDict):
    """One rule of the running policy: :meth:`AdminFacade.policy_rules`."""

    category: str
    priority: int
    action: str
    description: str
