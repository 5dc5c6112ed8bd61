"""The case view: the text with evidence highlighted, the author's history, reports, rules,
the statement of reasons to send, and the decision."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearspace.console.highlight import evidence, verdict
from clearspace.console.routes.incidents import ROLE_ORDER, timeline_chart
from clearspace.console.templates_data import statement_templates
from clearspace.console.web import Console, Viewer, required
from clearspace.service.review import HUMAN_ACTIONS


def add_routes(router: APIRouter, console: Console) -> None:
    service = console.service
    templates = statement_templates()

    @router.get("/cases/{case_id}")
    def case_view(request: Request, case_id: str) -> Response:
        def build(viewer: Viewer) -> Response:
            case = service.cases.get(case_id)
            event = case.get("event")
            text_pieces, signals, source = evidence(event)
            author = (event["author"] if event else None) or case["account"]
            decided = event["decisions"] if event else []
            current = next((d for d in reversed(decided) if d["status"] == "active"), None)
            rules = service.admin.policy_rules()
            # the rules that fired stay shown once a moderator's decision (which fires none) closes the case
            fired_by = next((d for d in reversed(decided) if d.get("rules")), source)
            fired: list[tuple[str, Mapping[str, object]]] = [(r, rules.get(r, {}))
                                                             for r in (fired_by or {}).get("rules", [])]
            filed = case["reports_filed"]
            leased = (case["lease_until"] or "") > service.now()
            link, incident = None, None
            if case["kind"] == "appeal":
                link = ("case.appeal", f"/console/appeals/{case['subject_id'].split(':', 1)[1]}")
            elif case["kind"] == "incident":
                incident = service.protection.incident_for_case(case["id"])
            return console.render(
                request, viewer, "case.html", case=case, event=event, pieces=text_pieces, signals=signals,
                verdict=verdict(source),
                author=author, history=service.accounts.history(author) if author else None,
                reports=filed, standing=service.cases.reporter_standing([r["reporter"] for r in filed]),
                fired=fired, current=current, actions=HUMAN_ACTIONS, templates=templates,
                holds=leased and case["lease_owner"] == viewer.actor,
                held_by_other=leased and case["lease_owner"] != viewer.actor,
                link=link, default_category=(current or {}).get("category") or "abuse", incident=incident,
                incident_roles={r: incident["participants_by_role"].get(r, []) for r in ROLE_ORDER} if incident else {},
                incident_chart=timeline_chart(incident, viewer) if incident else "",
                rule_text=lambda rule, text: console.catalog.rule_description(rule, text, viewer.lang))
        return console.page(request, "read", build)

    @router.post("/cases/{case_id}/decide")
    async def decide(request: Request, case_id: str) -> Response:
        def act(viewer: Viewer, form: Mapping[str, str]) -> str:
            decision = service.cases.decide(case_id, viewer.actor, required(form, "action"),
                                           required(form, "category"), required(form, "explanation"))
            return f"/console/cases/{case_id}?decision={decision['id']}"
        return await console.act(request, "cases:work", f"/console/cases/{case_id}", act)

    @router.get("/accounts")
    def accounts(request: Request, account: str = "") -> Response:
        def build(viewer: Viewer) -> Response:
            history = service.accounts.history(account.strip()) if account.strip() else None
            return console.render(request, viewer, "account.html", account=account.strip(), history=history)
        return console.page(request, "read", build)
