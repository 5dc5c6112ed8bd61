"""The faces (API, console, CLI) use the service only through the typed methods of its facades (issue 14
point 18): ``service.cases.decide(...)``, ``service.ingest.events(...)``.

mypy checks each call's name and arguments; that holds only while no face calls by name or reaches into the
service's internals (its context, store, tables, private members, caches, limiter, ids), which this test
finds.
"""

from __future__ import annotations

import re
from pathlib import Path

import clearspace

FACES = ("api", "console", "cli")
SERVICE = r"(?<!clearspace\.)service(_of\([^)]*\))?"  # the object, not the package clearspace.service
FORBIDDEN = {
    "a call by method name": re.compile(r"getattr\([^)]*service"),
    "the untyped app.state.service (use clearspace.api.calls.service_of)": re.compile(r"app\.state\.service\b"),
    "the service's store": re.compile(SERVICE + r"\.store\b"),
    "a private member of the service": re.compile(SERVICE + r"\._[a-z]"),
    "the service's internals": re.compile(
        SERVICE + r"\.(shield_cache|limiter|ids|shared_pileons|pileons|shadow|engine|debunk_index|"
        r"policy_tracker|clock|unit|context)\b"),
    "a table of the store": re.compile(r"\b(tx|store)\.(select|get|insert|update|delete|execute)\("),
}
ALLOWED = {("api/calls.py", "the untyped app.state.service (use clearspace.api.calls.service_of)"),
           ("api/app.py", "the untyped app.state.service (use clearspace.api.calls.service_of)")}


def reaches(root: Path) -> list[str]:
    found = []
    for face in FACES:
        for path in sorted((root / face).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for what, pattern in FORBIDDEN.items():
                    if pattern.search(line) and (name, what) not in ALLOWED:
                        found.append(f"{name}:{number}: {what}: {line.strip()}")
    return found


def test_the_faces_call_the_service_only_through_its_public_methods() -> None:
    assert reaches(Path(clearspace.__file__).parent) == []


def test_the_check_finds_a_reach(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "console").mkdir()
    (tmp_path / "cli").mkdir()
    (tmp_path / "api" / "r.py").write_text('x = getattr(request.app.state.service, "get_case")\n')
    (tmp_path / "console" / "p.py").write_text("rows = service.store.read()\nself.service.limiter.hit(a, b)\n"
                                             "from clearspace.service.shield_cache import ShieldCache\n")
    (tmp_path / "cli" / "c.py").write_text('    tx.select("api_keys", {})\nservice.cases.get("c1")\n'
                                          'service.ingest.events({})\n')
    found = reaches(tmp_path)
    assert [f.split(": ")[1] for f in found] == [
        "a call by method name", "the untyped app.state.service (use clearspace.api.calls.service_of)",
        "the service's store", "the service's internals", "a table of the store"]

