"""Signed checkpoints of the audit chain: what anchors the log outside its own table.

A hash chain alone proves only that rows were not edited in place: removing rows from the tail,
emptying the table, or rewriting a row and recomputing every later hash all leave a chain that
verifies. A checkpoint pins the chain down: it names, for every chain, its ``length`` (the last
``seq``) and ``head`` (that event's hash), commits to the list of heads with a Merkle root
(RFC 6962 hashing over the heads sorted by chain name, so one chain's head can be proven with a
short path; one chain per partition, ``admin``, and ``main`` for the events written before the
chains were split, :mod:`clearspace.service.audit`), and is signed with the service's Ed25519
evidence key. A checkpoint kept anywhere outside the database (a file, a webhook receiver, the
transparency page) lets anyone check later that the log still *extends* it::

    document = make_document(heads, seq=1, created_at="...", key=private_key)
    problems = check_document(document, public_key_hex)      # signature, root, format
    problems += check_extends(store, document)               # the rows it names are still there

The signed bytes are the canonical JSON (sorted keys, no spaces) of the document without its
``signature`` field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from clearspace.errors import InputError
from clearspace.protection.evidence import public_hex
from clearspace.service import audit
from clearspace.service.results_admin import ChainHeadView, CheckpointBody, CheckpointDocument
from clearspace.store import Op, Store

FORMAT: Final = "clearspace-audit-checkpoint/1"
MAIN_CHAIN: Final = audit.MAIN_CHAIN
_FIELDS: Final = frozenset({"format", "seq", "created_at", "chains", "root", "algorithm", "key_id",
                            "public_key", "signature"})


@dataclass(frozen=True, slots=True)
class ChainHead:
    """One chain as a checkpoint names it: ``length`` events, the last one's hash ``head``."""

    chain: str
    length: int
    head: str

    def to_dict(self) -> ChainHeadView:
        return {"chain": self.chain, "length": self.length, "head": self.head}


def key_id(public_key_hex: str) -> str:
    """A short name of a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]


def canonical(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)


# ---------------------------------------------------------------- Merkle tree (RFC 6962 hashing)
def leaf_hash(head: Mapping[str, Any]) -> bytes:
    return hashlib.sha256(b"\x00" + canonical({k: head[k] for k in ("chain", "length", "head")})).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _root(leaves: Sequence[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return _node(_root(leaves[:k]), _root(leaves[k:]))


def merkle_root(heads: Sequence[Mapping[str, Any]]) -> str:
    """The Merkle root (hex) over the chain heads, in the order given."""
    return _root([leaf_hash(h) for h in heads]).hex()


def inclusion_path(heads: Sequence[Mapping[str, Any]], index: int) -> list[str]:
    """The audit path proving ``heads[index]`` is under the root (hex hashes, leaf side first)."""
    leaves = [leaf_hash(h) for h in heads]
    path: list[str] = []
    while len(leaves) > 1:
        k = _split(len(leaves))
        if index < k:
            path.append(_root(leaves[k:]).hex())
            leaves = leaves[:k]
        else:
            path.append(_root(leaves[:k]).hex())
            leaves, index = leaves[k:], index - k
    return path[::-1]


def verify_inclusion(head: Mapping[str, Any], index: int, size: int, path: Sequence[str], root: str) -> bool:
    """Check an inclusion path from :func:`inclusion_path` (RFC 6962, section 2.1.1)."""
    if not 0 <= index < size:
        return False
    node, fn, sn = leaf_hash(head), index, size - 1
    for sibling_hex in path:
        sibling = bytes.fromhex(sibling_hex)
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            node = _node(sibling, node)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = _node(node, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and node.hex() == root


# ---------------------------------------------------------------- the signed document
def chain_heads(store: Store) -> list[ChainHead]:
    """The recorded head of every chain in ``store``, sorted by chain name (``audit_heads``)."""
    with store.read() as tx:
        return heads_of(audit.heads(tx))


def heads_of(states: Mapping[str, audit.ChainState]) -> list[ChainHead]:
    """Chain states as checkpoint heads, sorted by chain name (the order the Merkle root is over)."""
    return [ChainHead(name, s.length, s.head) for name, s in sorted(states.items())]


def root_of(states: Mapping[str, audit.ChainState]) -> str:
    """The Merkle root over the chain states sorted by name."""
    return merkle_root([h.to_dict() for h in heads_of(states)])


def states_of(document: Mapping[str, Any]) -> dict[str, audit.ChainState]:
    """The chains a checkpoint names, as states to check the log from."""
    return {h["chain"]: audit.ChainState(int(h["length"]), str(h["head"])) for h in document.get("chains", [])}


def make_document(heads: Sequence[ChainHead], *, seq: int, created_at: str,
                  key: Ed25519PrivateKey) -> CheckpointDocument:
    """A signed checkpoint of ``heads``."""
    pub = public_hex(key)
    chains = [h.to_dict() for h in heads]
    body: CheckpointBody = {"format": FORMAT, "seq": seq, "created_at": created_at, "chains": chains,
                            "root": merkle_root(chains), "algorithm": "Ed25519", "key_id": key_id(pub),
                            "public_key": pub}
    return {**body, "signature": key.sign(canonical(body)).hex()}


def parse_document(raw: bytes | str) -> dict[str, Any]:
    """A checkpoint document from JSON text; InputError when it is not one."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not a checkpoint: the file is not JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"not a checkpoint: 'format' must be {FORMAT!r}")
    missing = sorted(_FIELDS - set(data))
    if missing:
        raise InputError(f"not a checkpoint: missing {', '.join(missing)}")
    chains = data["chains"]
    if not isinstance(chains, list) or not chains or not all(_is_head(c) for c in chains):
        raise InputError("not a checkpoint: 'chains' must be a non-empty list of {chain, length, head}")
    return data


def _is_head(value: Any) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("chain"), str) and isinstance(value.get("head"), str)
            and isinstance(value.get("length"), int) and not isinstance(value.get("length"), bool)
            and value["length"] >= 0)


def check_document(document: Mapping[str, Any], public_key: str | None) -> list[str]:
    """What is wrong with the document itself: signature, key, Merkle root (empty: nothing)."""
    problems: list[str] = []
    signer = str(document.get("public_key", ""))
    if public_key and signer.lower() != public_key.lower():
        problems.append(f"checkpoint signed by key {signer[:16]}..., not by the expected key {public_key[:16]}...")
    body = {k: v for k, v in document.items() if k != "signature"}
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(signer)).verify(
            bytes.fromhex(str(document.get("signature", ""))), canonical(body))
    except (ValueError, InvalidSignature):
        problems.append("checkpoint signature does not verify")
    if merkle_root(document.get("chains", [])) != document.get("root"):
        problems.append("checkpoint root does not match its chain heads")
    return problems


def check_extends(store: Store, document: Mapping[str, Any]) -> list[str]:
    """Whether the log still extends the checkpoint: for each chain, the event at ``length`` is
    there with the hash ``head`` (the caller also verifies every chain, so every earlier event
    is then exactly as it was when the checkpoint was signed)."""
    return [problem for _, _, problem in unextended(store, document)]


def unextended(store: Store, document: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    """``(chain, seq, problem)`` for each chain of ``document`` the log no longer extends."""
    out: list[tuple[str, int, str]] = []
    for head in document.get("chains", []):
        chain, length = str(head["chain"]), int(head["length"])
        if length == 0:
            continue
        with store.read() as tx:
            rows = tx.select("audit", {"chain": chain, "seq": length}, limit=1)
            total = tx.count("audit", {"chain": chain, "seq": Op("<=", length)})
        if not rows:
            out.append((chain, length, f"chain {chain!r}: event {length} named by checkpoint {document['seq']} is "
                                       f"gone (only {total} of its {length} events remain)"))
        elif rows[0]["hash"] != head["head"]:
            out.append((chain, length, f"chain {chain!r}: event {length} no longer has the hash checkpoint "
                                       f"{document['seq']} signed (the log was rewritten)"))
    return out


def total_length(document: Mapping[str, Any]) -> int:
    """How many events a checkpoint covers, over every chain."""
    return sum(int(h.get("length", 0)) for h in document.get("chains", []))
