import io
import zipfile
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.errors import InputError
from clearspace.protection.evidence import BundleSpec, build_bundle, generate_key, public_hex, verify_bundle

KEY = generate_key(bytes(range(32)))
ITEMS = [
    {"id": "e1", "author": "troll1", "ts": 1767571200.0, "text": "张小花 滚出去 电话13800000000",
     "link": "https://forum.example/p/1", "engagement": {"likes": 12, "reposts": 3}, "surface": "comment"},
    {"id": "e2", "author": "troll2", "ts": 1767571260.0, "text": "<script>x</script> everyone go", "surface": "post"},
]


def bundle(**kw: object) -> bytes:
    spec = BundleSpec(subject="victim", items=ITEMS, created_at=1767600000.0,
                      incident={"id": "inc_1", "participants": ["troll1", "troll2"], "instigators": ["troll2"]},
                      **kw)  # type: ignore[arg-type]
    return build_bundle(spec, KEY)


def rewrite(data: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            content = src.read(info.filename)
            zf.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def test_bundle_verifies_and_is_deterministic() -> None:
    data = bundle()
    assert data == bundle()
    report = verify_bundle(data)
    assert report.ok, report.problems
    assert report.items == 2 and report.public_key == public_hex(KEY)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert {"bundle.json", "report.html", "manifest.json", "manifest.sig", "items/0001.json"} <= set(names)
    html = zipfile.ZipFile(io.BytesIO(data)).read("report.html").decode()
    assert "&lt;script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize("name", ["items/0001.json", "report.html", "manifest.json"])
def test_flipping_one_byte_anywhere_fails(name: str) -> None:
    def flip(b: bytes) -> bytes:
        i = len(b) // 2
        return b[:i] + bytes([b[i] ^ 1]) + b[i + 1:]

    report = verify_bundle(rewrite(bundle(), name, flip))
    assert not report.ok
    assert report.problems


def test_raw_byte_tamper_of_zip_file_fails(tmp_path: Path) -> None:
    data = bytearray(bundle())
    data[len(data) // 3] ^= 0xFF
    path = tmp_path / "b.zip"
    path.write_bytes(bytes(data))
    assert not verify_bundle(path).ok


def test_added_file_and_wrong_key_fail() -> None:
    data = bundle()
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("items/9999.json", b"{}")
    assert any("not in the manifest" in p for p in verify_bundle(buf.getvalue()).problems)
    other = public_hex(generate_key(bytes(32)))
    assert not verify_bundle(data, public_key=other).ok


def test_redaction_removes_the_persons_own_data_before_signing() -> None:
    data = bundle(redact=["张小花", "13800000000"])
    zf = zipfile.ZipFile(io.BytesIO(data))
    everything = b"".join(zf.read(n) for n in zf.namelist())
    assert "张小花".encode() not in everything and b"13800000000" not in everything
    assert orjson.loads(zf.read("bundle.json"))["redactions"] == 2
    assert verify_bundle(data).ok
    with pytest.raises(InputError):
        build_bundle(BundleSpec(subject="", items=[], created_at=0.0), KEY)


def test_verify_command(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    good.write_bytes(bundle())
    bad.write_bytes(rewrite(bundle(), "items/0002.json", lambda b: b.replace(b"troll2", b"troll3")))
    runner = CliRunner()
    ok = runner.invoke(cli, ["evidence", "verify", str(good)])
    assert ok.exit_code == 0 and "ok: 2 items" in ok.output
    fail = runner.invoke(cli, ["evidence", "verify", str(bad)])
    assert fail.exit_code == 1
    assert "items/0002.json: SHA-256 does not match" in fail.output


def test_keygen_build_verify_round_trip(tmp_path: Path) -> None:
    runner = CliRunner()
    key = tmp_path / "k.pem"
    r = runner.invoke(cli, ["evidence", "keygen", str(key)])
    assert r.exit_code == 0 and "public key:" in r.output
    assert runner.invoke(cli, ["evidence", "keygen", str(key)]).exit_code != 0  # never overwritten
    events = tmp_path / "ev.jsonl"
    rows = [{"id": f"e{i}", "author": f"a{i}", "target_user": "v" if i < 3 else "w", "ts": 100 + i,
             "text": "you again, 李四"} for i in range(5)]
    events.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\nnot json\n")
    incidents = tmp_path / "inc.jsonl"
    incidents.write_bytes(orjson.dumps({"id": "inc_1", "target": "v", "start": 100, "end": 101,
                                        "participants": ["a0", "a1", "a2"], "instigators": ["a0"]}))
    out = tmp_path / "b.zip"
    r = runner.invoke(cli, ["evidence", "build", str(events), "--subject", "v", "--key", str(key), "-o", str(out),
                            "--incident", str(incidents), "--redact", "李四"])
    assert r.exit_code == 0, r.output
    assert "2 items" in r.output  # a2 is outside the incident's time span, w's events are not v's
    assert verify_bundle(out).ok
    missing = runner.invoke(cli, ["evidence", "build", str(events), "--subject", "v", "--key",
                                  str(tmp_path / "none.pem"), "-o", str(out)])
    assert missing.exit_code != 0


# ---------------------------------------------------------------- issue 11, point 6: trust the service's key
def resigned(data: bytes, new_key: object) -> bytes:
    """The bundle with one item changed, its manifest updated and signed again with another key."""
    import hashlib

    src = zipfile.ZipFile(io.BytesIO(data))
    files = {n: src.read(n) for n in src.namelist()}
    files["items/0002.json"] = files["items/0002.json"].replace(b"troll2", b"troll9")
    manifest = orjson.loads(files["manifest.json"])
    manifest["files"] = {n: hashlib.sha256(b).hexdigest() for n, b in files.items()
                         if n not in ("manifest.json", "manifest.sig")}
    manifest["public_key"] = public_hex(new_key)  # type: ignore[arg-type]
    files["manifest.json"] = orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    files["manifest.sig"] = new_key.sign(files["manifest.json"]).hex().encode()  # type: ignore[attr-defined]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def test_a_bundle_resigned_with_another_key_fails_against_the_service_key(tmp_path: Path) -> None:
    forged = tmp_path / "forged.zip"
    forged.write_bytes(resigned(bundle(), generate_key(b"m" * 32)))
    assert verify_bundle(forged).ok  # only the bundle's own key: it "verifies"
    report = verify_bundle(forged, public_key=public_hex(KEY))
    assert not report.ok and "signed by a different key than expected" in report.problems
    runner = CliRunner()
    alone = runner.invoke(cli, ["evidence", "verify", str(forged), "--json"], env={"CLEARSPACE_SERVER": ""})
    assert alone.exit_code == 0 and "WARNING: checked only against the key inside the bundle" in alone.stderr
    assert orjson.loads(alone.stdout)["trusted_key"] is False
    given = runner.invoke(cli, ["evidence", "verify", str(forged), "--public-key", public_hex(KEY)])
    assert given.exit_code == 1 and "signed by a different key than expected" in given.stderr
    assert "WARNING" not in given.stderr


def test_verify_fetches_the_published_key_from_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx
    from fastapi.testclient import TestClient

    from clearspace.api.app import create_app
    from clearspace.service.core import Service
    from clearspace.service.settings import Settings
    from clearspace.service.stub_engine import KeywordEngine
    from clearspace.store import open_store

    pem = tmp_path / "evidence.pem"
    from clearspace.protection.evidence import save_key

    save_key(KEY, pem)
    service = Service(open_store(tmp_path / "s.db"), engine=KeywordEngine(), settings=Settings(evidence_key=str(pem)))
    _, reader = service.admin.create_key("moderator", name="m")
    client = TestClient(create_app(service, console=False))
    from urllib.parse import urlsplit

    monkeypatch.setattr(httpx, "get", lambda url, headers, timeout: client.get(urlsplit(url).path, headers=headers))
    good, forged = tmp_path / "good.zip", tmp_path / "forged.zip"
    good.write_bytes(bundle())
    forged.write_bytes(resigned(bundle(), generate_key(b"m" * 32)))
    runner = CliRunner()
    ok = runner.invoke(cli, ["evidence", "verify", str(good), "--server", "http://cs.test", "--api-key", reader])
    assert ok.exit_code == 0 and "(the expected key)" in ok.stdout and "WARNING" not in ok.stderr
    bad = runner.invoke(cli, ["evidence", "verify", str(forged), "--server", "http://cs.test", "--api-key", reader])
    assert bad.exit_code == 1 and "signed by a different key than expected" in bad.stderr
    refused = runner.invoke(cli, ["evidence", "verify", str(good), "--server", "http://cs.test", "--api-key", "nope"])
    assert isinstance(refused.exception, InputError) and "HTTP 401" in str(refused.exception)


def test_duplicate_members_are_refused() -> None:
    data = bundle()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info.filename))
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("items/0001.json", b'{"text": "a different story"}')
    report = verify_bundle(out.getvalue(), public_key=public_hex(KEY))
    assert not report.ok and report.problems == ["duplicate ZIP members (which copy is meant is ambiguous): "
                                                 "items/0001.json"]


def test_a_corrupt_member_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    data = bytearray(bundle())
    src = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = src.getinfo("items/0001.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + info.compress_size):
        data[i] ^= 0x5A  # the deflate stream is garbage now
    path = tmp_path / "corrupt.zip"
    path.write_bytes(bytes(data))
    report = verify_bundle(path, public_key=public_hex(KEY))
    assert not report.ok and any(p.startswith("items/0001.json: unreadable") for p in report.problems)
    answer = CliRunner().invoke(cli, ["evidence", "verify", str(path), "--public-key", public_hex(KEY)])
    assert answer.exit_code == 1 and answer.exception is not None and isinstance(answer.exception, SystemExit)
    assert "items/0001.json: unreadable" in answer.stderr and "Traceback" not in answer.output
