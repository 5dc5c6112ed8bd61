"""Cases and appeals: reports (notices), the review queue, moderators' decisions, appeals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clearspace.errors import NotFound
from clearspace.service import appeals, cases, decisions, incidents, reports, review
from clearspace.service.context import Facade
from clearspace.service.reports import ReportIn
from clearspace.service.results import (
    AppealView,
    CaseRow,
    CaseView,
    DecisionView,
    FiledAppeal,
    QueueRow,
    ReportAck,
    ReportView,
)
from clearspace.service.results_cases import BatchResult, CaseSummary, ReporterStanding


class CasesFacade(Facade):
    """``service.cases``: what users file (reports, appeals) and what moderators decide."""

    # ------------------------------------------------------------------ reports
    def file_report(self, report: ReportIn, actor: str = "ingest") -> ReportAck:
        """Take a user's report (notice); returns the acknowledgement."""
        with self._ctx.unit() as unit:
            return reports.file(unit, report, actor)

    def report(self, report_id: str) -> ReportView:
        with self._ctx.store.read() as tx:
            row = tx.get("reports", report_id)
        if row is None:
            raise NotFound(f"no report {report_id!r}")
        return reports.view(row)

    def set_trusted_flagger(self, reporter: str, trusted: bool, actor: str) -> None:
        with self._ctx.unit() as unit:
            reports.set_trusted(unit.tx, reporter, trusted)
            unit.log("reporter.trusted", actor, reporter, {"trusted": trusted})

    def reporter_standing(self, names: list[str]) -> dict[str, ReporterStanding]:
        """Each reporter's reputation in [0, 1] and trusted-flagger status."""
        from clearspace.service.history import reporters

        with self._ctx.store.read() as tx:
            return reporters(tx, names)

    # ------------------------------------------------------------------ the queue
    def queue(self, lane: str | None = None, status: str = "open", limit: int = 100) -> list[QueueRow]:
        with self._ctx.store.read() as tx:
            return cases.queue(tx, self._ctx.now(), lane=lane, status=status, limit=limit)

    def summaries(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, CaseSummary]:
        """Per case id, what a queue row shows beside it: a snippet, the category, the author (or the
        incident's target and size); see :func:`clearspace.service.case_summaries.summaries`."""
        from clearspace.service.case_summaries import summaries

        with self._ctx.store.read() as tx:
            return summaries(tx, rows)

    def get(self, case_id: str) -> CaseView:
        """A case with its event, current decisions and reports."""
        with self._ctx.store.read() as tx:
            case = cases.get_case(tx, case_id)
            filed = tx.select("reports", {"case_id": case_id}, order_by=["created_at"])
            event = decisions.event_view(tx, case["event_id"]) if case["event_id"] else None
        # mypy's extra checks fear a CaseRow subtype carrying "event"; case_row builds exactly a CaseRow
        out: CaseView = {**cases.case_row(case),  # type: ignore[typeddict-item]
                         "reports_filed": [reports.view(row) for row in filed]}
        if event is not None:
            out["event"] = event
        return out

    def open_incident_case(self, incident: Mapping[str, Any], actor: str = "detector") -> CaseRow:
        """One review case (lane ``pileon``) for a pile-on incident record, as ``clearspace replay`` writes it."""
        with self._ctx.unit() as unit:
            return cases.case_row(cases.open_incident_case(unit, incident, actor))

    def claim(self, case_id: str, owner: str) -> CaseRow:
        with self._ctx.unit() as unit:
            return cases.case_row(cases.claim(unit, case_id, owner))

    def next(self, owner: str, lane: str | None = None) -> CaseRow | None:
        """Claim the most urgent unclaimed case (None when the queue is empty)."""
        with self._ctx.unit() as unit:
            case = cases.next_case(unit, owner, lane)
        return None if case is None else cases.case_row(case)

    def release(self, case_id: str, owner: str) -> CaseRow:
        with self._ctx.unit() as unit:
            return cases.case_row(cases.release(unit, case_id, owner))

    def decide(self, case_id: str, owner: str, action: str, category: str, explanation: str) -> DecisionView:
        """A moderator's decision on a case they hold; returns the decision."""
        with self._ctx.unit() as unit:
            row = review.decide_case(unit, case_id, owner, action, category, explanation)
        with self._ctx.store.read() as tx:
            return decisions.decision_view(tx, row["id"])

    def batch_action(self, owner: str, category: str, explanation: str, accounts: list[str] | None = None,
                     target: str | None = None, window_minutes: float = 1440.0, incident_id: str | None = None,
                     roles: Sequence[str] | None = None) -> BatchResult:
        """Strike every given account, every participant of the pile-on against ``target``, or every
        participant of incident ``incident_id`` (only those with one of ``roles``, when given)."""
        if incident_id:
            self._ctx.incidents_current()
        with self._ctx.unit() as unit:
            chosen = list(accounts or [])
            if incident_id:
                row = incidents.get_row(unit.tx, incident_id)
                chosen += [a for a, role in incidents.roles_of(row).items() if not roles or role in roles]
            result = review.batch_action(unit, sorted(set(chosen)), category, explanation, owner, target=target,
                                         window_minutes=window_minutes)
        if incident_id:
            result["incident_id"] = incident_id
        return result

    # ------------------------------------------------------------------ appeals
    def file_appeal(self, decision_id: str, appellant: str, reason: str, actor: str = "ingest") -> FiledAppeal:
        with self._ctx.unit() as unit:
            return appeals.file(unit, decision_id, appellant, reason, actor)

    def decide_appeal(self, appeal_id: str, reviewer: str, outcome: str, explanation: str) -> AppealView:
        with self._ctx.unit() as unit:
            return appeals.view(appeals.decide(unit, appeal_id, reviewer, outcome, explanation))

    def appeal(self, appeal_id: str) -> AppealView:
        with self._ctx.store.read() as tx:
            return appeals.view(appeals.get(tx, appeal_id))

    def appeals(self, status: str = "pending", limit: int = 100) -> list[AppealView]:
        with self._ctx.store.read() as tx:
            rows = tx.select("appeals", {"status": status}, order_by=["created_at"], limit=limit)
        return [appeals.view(row) for row in rows]
