"""Evidence bundles (一键取证): hash-sealed, Ed25519-signed ZIPs a person can take elsewhere.

A bundle holds, for a person or an incident, every item (content, timestamps, account ids,
links, context, engagement counts) as ``items/NNNN.json``, a ``bundle.json`` summary, a readable
``report.html``, a ``manifest.json`` with the SHA-256 of every file, and ``manifest.sig``: the
Ed25519 signature of the manifest's exact bytes. :func:`verify_bundle` recomputes every hash,
checks that no file was added or removed, and checks the signature.

The protected person's own personal data (strings they choose: their name, phone, address)
is replaced by ``[redacted]`` before hashing, so the signed bundle never contains it.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from clearspace.errors import InputError
from clearspace.protection.events import iso

FORMAT = "clearspace-evidence/1"
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
REDACTED = "[redacted]"
ITEM_FIELDS = ("id", "type", "author", "ts", "text", "target_user", "parent", "surface", "link", "url",
               "engagement", "context", "scores", "author_created_at")


def generate_key(seed: bytes | None = None) -> Ed25519PrivateKey:
    """A new signing key, or a deterministic one from a 32-byte ``seed`` (tests)."""
    if seed is None:
        return Ed25519PrivateKey.generate()
    if len(seed) != 32:
        raise InputError("an Ed25519 seed is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def save_key(key: Ed25519PrivateKey, path: str | Path) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    Path(path).write_bytes(pem)


def load_key(path: str | Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: not an Ed25519 private key")
    return key


def _redactor(secrets: Sequence[str]) -> re.Pattern[str] | None:
    terms = sorted({s for s in secrets if s and s.strip()}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def _redact(value: Any, rx: re.Pattern[str] | None, counter: list[int]) -> Any:
    if rx is None:
        return value
    if isinstance(value, str):
        new, n = rx.subn(REDACTED, value)
        counter[0] += n
        return new
    if isinstance(value, Mapping):
        return {k: _redact(v, rx, counter) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(v, rx, counter) for v in value]
    return value


def _item(raw: Mapping[str, Any]) -> dict[str, Any]:
    item = {k: raw[k] for k in ITEM_FIELDS if k in raw and raw[k] is not None}
    extra = {k: v for k, v in raw.items() if k not in ITEM_FIELDS}
    if extra:
        item["context"] = {**item.get("context", {}), **extra}
    if isinstance(item.get("ts"), int | float):
        item["ts_iso"] = iso(float(item["ts"]))
    return item


def _dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)


@dataclass(frozen=True, slots=True)
class BundleSpec:
    """What goes into a bundle: whose it is, the items, the incident, redactions."""

    subject: str
    items: Sequence[Mapping[str, Any]]
    created_at: float
    incident: Mapping[str, Any] | None = None
    redact: Sequence[str] = ()
    title: str = "Evidence bundle"
    notes: str = ""


def build_bundle(spec: BundleSpec, key: Ed25519PrivateKey) -> bytes:
    """The signed ZIP as bytes (deterministic for the same spec and key)."""
    if not spec.subject:
        raise InputError("a bundle needs a 'subject' (the protected account)")
    rx = _redactor(spec.redact)
    count = [0]
    items = [_redact(_item(raw), rx, count) for raw in spec.items]
    incident = _redact(dict(spec.incident), rx, count) if spec.incident is not None else None
    files: dict[str, bytes] = {}
    for i, item in enumerate(items, 1):
        files[f"items/{i:04d}.json"] = _dumps(item)
    summary = {"format": FORMAT, "subject": spec.subject, "created_at": iso(spec.created_at), "title": spec.title,
               "items": len(items), "incident": incident, "redactions": count[0], "notes": spec.notes}
    files["bundle.json"] = _dumps(summary)
    files["report.html"] = render_html(summary, items).encode("utf-8")
    manifest = {"format": FORMAT, "algorithm": "Ed25519", "hash": "sha256", "public_key": public_hex(key),
                "created_at": iso(spec.created_at), "subject": spec.subject,
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}}
    manifest_bytes = _dumps(manifest)
    files[MANIFEST] = manifest_bytes
    files[SIGNATURE] = key.sign(manifest_bytes).hex().encode("ascii")
    buf = io.BytesIO()
    stamp = _zip_time(spec.created_at)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])
    return buf.getvalue()


def _zip_time(ts: float) -> tuple[int, int, int, int, int, int]:
    from datetime import datetime

    d = datetime.fromtimestamp(max(ts, 315532800.0), tz=UTC)
    return (d.year, d.month, d.day, d.hour, d.minute, d.second)


def render_html(summary: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> str:
    """A self-contained, readable report (no scripts, no outside resources)."""
    e = html.escape
    rows = []
    for i, item in enumerate(items, 1):
        rows.append(
            f"<tr><td>{i}</td><td>{e(str(item.get('ts_iso', item.get('ts', ''))))}</td>"
            f"<td>{e(str(item.get('author', '')))}</td><td>{e(str(item.get('surface', '')))}</td>"
            f"<td>{e(str(item.get('text', '')))}</td><td>{e(str(item.get('link') or item.get('url') or ''))}</td>"
            f"<td>{e(orjson.dumps(item.get('engagement', {})).decode())}</td>"
            f"<td>{e(str(item.get('id', '')))}</td></tr>")
    incident = summary.get("incident") or {}
    inc_html = ""
    if incident:
        inc_html = (f"<h2>Incident 事件</h2><p>{e(str(incident.get('id', '')))}: "
                    f"started {e(str(incident.get('start', '')))}, "
                    f"detected {e(str(incident.get('detected_at', '')))}, "
                    f"{len(incident.get('participants', []))} participants; instigators: "
                    f"{e(', '.join(map(str, incident.get('instigators', []))))}</p>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{e(str(summary['title']))}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px;vertical-align:top}</style></head><body>"
        f"<h1>{e(str(summary['title']))} 证据包</h1>"
        f"<p>Subject 当事人: {e(str(summary['subject']))} · created 生成时间: {e(str(summary['created_at']))} · "
        f"items 条目: {summary['items']} · redactions 已遮盖: {summary['redactions']}</p>{inc_html}"
        "<table><tr><th>#</th><th>time 时间 (UTC)</th><th>account 账号</th><th>surface</th><th>content 内容</th>"
        "<th>link</th><th>engagement</th><th>id</th></tr>" + "".join(rows) + "</table>"
        "<p>Every file's SHA-256 is in manifest.json, signed with Ed25519 (manifest.sig). "
        "Check with: <code>clearspace evidence verify BUNDLE.zip</code></p></body></html>")


@dataclass(slots=True)
class VerifyReport:
    """What :func:`verify_bundle` found. ``key_source`` says which key the signature was checked
    against: ``expected`` (one the caller trusts: the service's published key) or ``bundle`` (only
    the key inside the bundle, which proves nothing against someone who re-signs a changed bundle)."""

    ok: bool = False
    items: int = 0
    public_key: str = ""
    problems: list[str] = field(default_factory=list)
    key_source: str = "bundle"

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "items": self.items, "public_key": self.public_key, "key_source": self.key_source,
                "trusted_key": self.key_source == "expected", "problems": list(self.problems)}


_MEMBER_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
                  RuntimeError, zlib.error)
"""What reading a damaged, truncated, encrypted or oddly compressed member can raise."""


def _read(zf: zipfile.ZipFile, name: str, report: VerifyReport) -> bytes | None:
    try:
        return zf.read(name)
    except _MEMBER_ERRORS as exc:
        report.problems.append(f"{name}: unreadable ({type(exc).__name__}: {exc})")
        return None


def verify_bundle(source: str | Path | bytes, *, public_key: str | None = None) -> VerifyReport:
    """Check hashes, the file list and the signature; ``problems`` says what failed.

    ``public_key`` (hex) is the key the caller trusts; without it only the key inside the bundle
    is used (``key_source`` ``bundle``). A ZIP with two members of one name is refused.
    """
    report = VerifyReport(key_source="expected" if public_key else "bundle")
    try:
        zf = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except _MEMBER_ERRORS as exc:
        report.problems.append(f"not a readable ZIP: {exc}")
        return report
    with zf:
        all_names = [info.filename for info in zf.infolist()]
        twice = sorted({n for n in all_names if all_names.count(n) > 1})
        if twice:
            report.problems.append(f"duplicate ZIP members (which copy is meant is ambiguous): {', '.join(twice)}")
            return report
        names = set(all_names)
        if MANIFEST not in names or SIGNATURE not in names:
            report.problems.append("manifest.json or manifest.sig is missing")
            return report
        manifest_bytes, sig_bytes = _read(zf, MANIFEST, report), _read(zf, SIGNATURE, report)
        if manifest_bytes is None or sig_bytes is None:
            return report
        try:
            manifest = orjson.loads(manifest_bytes)
            signature = bytes.fromhex(sig_bytes.decode("ascii").strip())
            if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict):
                raise ValueError("manifest.json is not an object with a 'files' object")
        except (ValueError, UnicodeDecodeError, orjson.JSONDecodeError) as exc:
            report.problems.append(f"manifest unreadable: {exc}")
            return report
        _check_signature(report, manifest, manifest_bytes, signature, public_key)
        _check_files(zf, report, manifest.get("files", {}), names)
    report.ok = not report.problems
    return report


def _check_signature(report: VerifyReport, manifest: Mapping[str, Any], manifest_bytes: bytes, signature: bytes,
                     public_key: str | None) -> None:
    key_hex = public_key or str(manifest.get("public_key", ""))
    report.public_key = key_hex
    if public_key and str(manifest.get("public_key", "")).lower() != public_key.lower():
        report.problems.append("signed by a different key than expected")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(signature, manifest_bytes)
    except (ValueError, InvalidSignature):
        report.problems.append("signature does not match manifest.json")


def _check_files(zf: zipfile.ZipFile, report: VerifyReport, listed: Mapping[str, Any], names: set[str]) -> None:
    for name, digest in sorted(listed.items()):
        if name not in names:
            report.problems.append(f"{name}: missing")
            continue
        data = _read(zf, name, report)
        if data is not None and hashlib.sha256(data).hexdigest() != digest:
            report.problems.append(f"{name}: SHA-256 does not match the manifest")
    for name in sorted(names - set(listed) - {MANIFEST, SIGNATURE}):
        report.problems.append(f"{name}: not in the manifest")
    report.items = sum(1 for n in listed if n.startswith("items/"))


def select_items(events: Iterable[Mapping[str, Any]], subject: str,
                 incident: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The events aimed at ``subject``; with an incident, only its accounts and time span.

    ``events`` are decoded event objects (``ts`` ISO 8601 or epoch seconds); the incident is a
    replay record (``start``/``end``, ``participants``, ``instigators``).
    """
    from clearspace.protection.events import parse_ts

    accounts: set[str] | None = None
    lo, hi = float("-inf"), float("inf")
    if incident is not None:
        accounts = {*incident.get("participants", ()), *incident.get("instigators", ())}
        if incident.get("start") is not None:
            lo = parse_ts(incident["start"], "start")
        if incident.get("end") is not None:
            hi = parse_ts(incident["end"], "end")
    out = []
    for event in events:
        if event.get("target_user") != subject or "ts" not in event:
            continue
        ts = parse_ts(event["ts"])
        if accounts is not None and (event.get("author") not in accounts or not lo <= ts <= hi):
            continue
        out.append({**event, "ts": ts})
    return sorted(out, key=lambda e: e["ts"])
