"""``GET /docs``: the API reference as one server-rendered page built from the OpenAPI document.

No script, style sheet or font is loaded from anywhere (Swagger UI and ReDoc load theirs from a CDN, so
their pages are blank offline); the machine-readable document stays at ``/openapi.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
STYLE = """body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.5rem;overflow:auto}
h2{border-bottom:1px solid #ddd;margin-top:2rem}details{margin:.3rem 0}summary{cursor:pointer}
.m{display:inline-block;min-width:4.5rem;font-weight:bold}"""


def _operation(method: str, path: str, op: Mapping[str, Any]) -> str:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    params = ", ".join(f"<code>{escape(p['name'])}</code> ({escape(p.get('in', ''))})"
                       for p in op.get("parameters", []))
    parts = [f"<summary><span class=m>{method.upper()}</span> <code>{escape(path)}</code> — "
             f"{escape(op.get('summary', ''))}</summary>"]
    if op.get("description"):
        parts.append(f"<p>{escape(op['description'])}</p>")
    if params:
        parts.append(f"<p>Parameters: {params}</p>")
    if body is not None:
        parts.append(f"<p>JSON body:</p><pre>{escape(json.dumps(body, ensure_ascii=False, indent=1))}</pre>")
    return f"<details>{''.join(parts)}</details>"


def render(spec: Mapping[str, Any]) -> str:
    """The reference page for ``spec``: operations grouped by tag, each with its parameters and body schema."""
    by_tag: dict[str, list[str]] = {}
    for path, ops in spec.get("paths", {}).items():
        for method in METHOD_ORDER:
            if method in ops:
                tag = (ops[method].get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append(_operation(method, path, ops[method]))
    info = spec.get("info", {})
    sections = "".join(f"<h2>{escape(tag)}</h2>{''.join(items)}" for tag, items in by_tag.items())
    return (f"<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
            f"<title>{escape(info.get('title', 'API'))} API</title><style>{STYLE}</style>"
            f"<h1>{escape(info.get('title', 'API'))} {escape(info.get('version', ''))}</h1>"
            f"<p>{escape(info.get('description', ''))}</p>"
            f"<p>The OpenAPI document: <a href=/openapi.json>/openapi.json</a>; "
            f"schemas are in its <code>components</code>.</p>{sections}</html>")


def install(app: FastAPI) -> None:
    """Serve :func:`render` of the app's own OpenAPI document at ``/docs``."""

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(render(request.app.openapi()))
