"""Accounts: strikes, reach, monetization, toxic traffic, organizations, notifications."""

from __future__ import annotations

import logging
from typing import Any

from clearspace.errors import NotFound
from clearspace.service import (
    monetization,
)
from clearspace.service.context import Facade
from clearspace.service.results import AccountStatus, AccountView, Monetization
from clearspace.service.results_accounts import (
    AccountHistory,
    CreatorRecord,
    Notification,
    OrganizationView,
    OrgProposal,
    PostTraffic,
    Traffic,
)

log = logging.getLogger(__name__)


class AccountsFacade(Facade):
    """``service.accounts``: see the module docstring."""

    def status(self, account: str) -> AccountStatus:
        """Active strikes, strike points and active restrictions of an account."""
        from clearspace.service.strikes import account_status

        with self._ctx.store.read() as tx:
            return account_status(tx, account, self._ctx.now())

    def notifications(self, recipient: str, limit: int = 100) -> list[Notification]:
        """Messages left for an account (report outcomes, decisions, appeal outcomes, restrictions)."""
        from clearspace.service import accounts

        with self._ctx.store.read() as tx:
            return accounts.notifications(tx, recipient, limit)

    def history(self, account: str, limit: int = 20) -> AccountHistory:
        """Strikes, restrictions, latest posts (with the action on each) and decisions about an account."""
        from clearspace.service.history import account_history

        with self._ctx.store.read() as tx:
            return account_history(tx, account, self._ctx.now(), limit)

    def put(self, account: str, raw: Any, actor: str) -> AccountView:
        """Set an account's reach (followers, verified, monetized, organization); InputError changes nothing."""
        from clearspace.service import accounts

        reach = accounts.check_reach(raw)
        with self._ctx.unit() as unit:
            answer = accounts.put(unit, account, reach, actor)
            if reach.organization is not None:
                monetization.refresh(unit, [account])  # an organization's confirmed measures now count
        return answer

    def get(self, account: str) -> AccountView:
        """An account's reach; NotFound when it never posted and was never set."""
        from clearspace.service import accounts

        with self._ctx.store.read() as tx:
            return accounts.public(accounts.require(tx, account))

    def monetization(self, account: str) -> Monetization:
        """``{"eligible", "reasons", "evidence", "since", "review_at"}`` from the stored standing (one row)."""
        with self._ctx.store.read() as tx:
            return monetization.answer(tx, account, self._ctx.now())

    def traffic(self, account: str, posts: int = 10) -> Traffic:
        """The toxic-traffic ratio of an account over ``toxic_ratio_days``, per day, its most hostile
        posts and its instigator / first-poster roles in pile-on incidents."""
        from clearspace.service import account_evidence, accounts, traffic

        days = self._ctx.settings.toxic_ratio_days
        with self._ctx.store.read() as tx:
            accounts.require(tx, account)
            engagement, hostile = traffic.window(tx, account, self._ctx.clock(), days)
            roles = account_evidence.roles(tx, account)
            return {"account": account, "days": days, "engagement": engagement, "hostile": hostile,
                    "ratio": round(hostile / engagement, 4) if engagement else 0.0,
                    "daily": traffic.daily(tx, account, self._ctx.clock(), days),
                    "posts": traffic.hostile_posts(tx, account, posts),
                    "instigator": sum(1 for r in roles if r["role"] == "instigator"),
                    "first_poster": sum(1 for r in roles if r["role"] == "first_poster"), "incidents": roles}

    def post_traffic(self, event_id: str) -> PostTraffic:
        """How much engagement one post drew and how much of it was hostility onto others."""
        from clearspace.service import traffic

        with self._ctx.store.read() as tx:
            row = None if "\x00" in event_id else tx.get("post_traffic", event_id)
            if row is None and (("\x00" in event_id) or tx.get("events", event_id) is None):
                raise NotFound(f"no event {event_id!r}")
        return traffic.public_post(row) if row else {"post": event_id, "engagement": 0, "hostile": 0, "ratio": 0.0}

    def creator_record(self, account: str) -> CreatorRecord:
        """What was decided about an account, why, what counts against its monetization and until when."""
        from clearspace.service.creator_record import record

        with self._ctx.store.read() as tx:
            return record(tx, account, self._ctx.clock(), self._ctx.settings.toxic_ratio_days)

    def organization(self, name: str) -> OrganizationView:
        """An organization's accounts with their strikes, incidents, rumor labels and ratios, and its proposals."""
        from clearspace.service import organizations

        with self._ctx.store.read() as tx:
            return organizations.view(tx, name, self._ctx.now())

    def propose_org_measure(self, name: str, measure: str, reason: str, actor: str) -> OrgProposal:
        """Propose a measure against an organization (it does nothing until a senior moderator confirms it)."""
        from clearspace.service import organizations

        with self._ctx.unit() as unit:
            return organizations.propose(unit, name, measure, reason, actor)

    def decide_org_proposal(self, proposal_id: str, confirm: bool, note: str, actor: str) -> OrgProposal:
        """Confirm or reject an organization proposal (senior moderators; not the proposer)."""
        from clearspace.service import organizations

        with self._ctx.unit() as unit:
            return organizations.decide(unit, proposal_id, confirm, note, actor)

    def monetization_tick(self) -> int:
        """Record the restoration of every account whose marks have all expired; how many."""
        with self._ctx.store.read() as tx:
            due = monetization.due(tx, self._ctx.now())
        if due:
            with self._ctx.unit() as unit:
                monetization.refresh(unit, due)
        return len(due)
