"""The policy a service runs, changed without a restart.

The operator edits the policy file named by the ``policy`` setting, checks it
(``clearspace policy check FILE``: every problem as ``file:line:col``) and reloads it
(``clearspace policy reload`` or ``POST /v1/policy/reload``). A reload compiles the file; a file
with problems is refused and the policy in force keeps serving. A good one is stored as the
database's *active policy* (one row of ``policy_state``: its text, name, version and SHA-256) with
an audit event ``policy.reloaded`` naming the old and the new ``name@version`` and file hash.

Every server process polls that row every ``policy_poll_seconds`` (:func:`follow`) and switches
to the stored text when its hash differs from the one it runs, so one reload reaches every worker
and every host on the same database. A process that starts with a configured file that differs
from the stored row records its file as the active one (actor ``startup``): after a restart the
configuration is what runs. Writes are compare-and-set on the stored hash, so processes starting
together record one event.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Collection
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Final, TypedDict

from clearspace.errors import InputError, PolicyError
from clearspace.policy import Policy, parse_policy
from clearspace.policy.loader import DEFAULT_POLICY, load_policy
from clearspace.service.results_admin import PolicyInfoView
from clearspace.service.unit import Unit
from clearspace.signals import BUILTIN_SIGNAL_KINDS
from clearspace.store import Row, Tx

log = logging.getLogger(__name__)

TABLE: Final = "policy_state"
ROW: Final = "active"
PACKAGE_PREFIX: Final = "clearspace/"


@dataclass(frozen=True, slots=True)
class PolicyInfo:
    """Which policy: ``name@version``, the SHA-256 of its file and where it came from."""

    name: str
    version: int
    sha256: str
    source: str

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def to_dict(self) -> PolicyInfoView:
        return {"policy": self.label, "name": self.name, "version": self.version, "sha256": self.sha256,
                "source": self.source}


class Reload(TypedDict):
    """The answer of a policy reload: whether the active policy changed, the one before (``None`` when
    none was recorded) and the one now, each as :meth:`PolicyInfo.to_dict`."""

    changed: bool
    old: PolicyInfoView | None
    new: PolicyInfoView


@dataclass(frozen=True, slots=True)
class Compiled:
    """A policy file read and compiled: the policy, its text and what identifies it."""

    policy: Policy
    text: str
    info: PolicyInfo


class Tracker:
    """What one process runs now (:class:`PolicyInfo`), guarded for the poller thread."""

    def __init__(self) -> None:
        self.current: PolicyInfo | None = None
        self.lock = threading.Lock()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_bytes(source: str) -> bytes | None:
    """The bytes of a policy's source: a file, or the shipped default (``clearspace/...``); None if unreadable."""
    try:
        if source.startswith(PACKAGE_PREFIX) and not Path(source).is_file():
            return files("clearspace").joinpath(source.removeprefix(PACKAGE_PREFIX)).read_bytes()
        return Path(source).read_bytes()
    except OSError:
        return None


def info_of(policy: Policy, data: bytes | None = None) -> PolicyInfo:
    """The identity of a loaded ``policy`` (its file is read again for the hash when ``data`` is not given)."""
    data = source_bytes(policy.source) if data is None else data
    return PolicyInfo(policy.name, policy.version, sha256(data) if data is not None else "", policy.source)


def read_file(path: str, known_signals: Collection[str] | None = BUILTIN_SIGNAL_KINDS) -> Compiled:
    """Read and compile the policy file at ``path``: PolicyError (every problem, as ``file:line:col``) when
    it has problems, OSError when it cannot be read. ``known_signals``: the kinds it may name (an engine
    with plug-ins knows more than the built-in ones)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read policy file {path}: {exc.strerror}") from None
    policy = load_policy(path, known_signals=known_signals)
    return Compiled(policy, data.decode("utf-8"), info_of(policy, data))


def configured(policy_setting: str, known_signals: Collection[str] | None = BUILTIN_SIGNAL_KINDS) -> Compiled:
    """The policy the ``policy`` setting names (the shipped default when it is empty)."""
    if policy_setting:
        return read_file(policy_setting, known_signals)
    source = PACKAGE_PREFIX + DEFAULT_POLICY
    data = files("clearspace").joinpath(DEFAULT_POLICY).read_bytes()
    policy = parse_policy(data.decode("utf-8"), source)
    return Compiled(policy, data.decode("utf-8"), info_of(policy, data))


def stored(tx: Tx) -> Row | None:
    """The database's active policy row, if a reload (or a start with another file) ever wrote one."""
    return tx.get(TABLE, ROW)


def stored_info(row: Row) -> PolicyInfo:
    return PolicyInfo(row["name"], int(row["version"]), row["sha256"], row["source"])


def compile_row(row: Row) -> Compiled:
    """The stored policy text compiled again (PolicyError if this version of clearspace refuses it)."""
    policy = parse_policy(row["text"], row["source"])
    return Compiled(policy, row["text"], stored_info(row))


def record(unit: Unit, new: Compiled, old: PolicyInfo | None, actor: str) -> bool:
    """Store ``new`` as the active policy if the row still holds ``old`` (compare-and-set) and audit it;
    False when another process changed the row first or nothing changed. The first process to start on a
    database stores its policy without an audit event (actor ``startup``, nothing changed)."""
    tx = unit.tx
    row = stored(tx)
    values = {"name": new.info.name, "version": new.info.version, "sha256": new.info.sha256,
              "source": new.info.source, "text": new.text, "loaded_at": unit.ts, "loaded_by": actor}
    if row is None:
        tx.insert(TABLE, {"id": ROW, **values})
        if actor == "startup":
            return True
    elif row["sha256"] == new.info.sha256 or not tx.update(TABLE, {"id": ROW, "sha256": row["sha256"]}, values):
        return False
    before = stored_info(row) if row is not None else old
    unit.log("policy.reloaded", actor, new.info.label, {
        "old": before.to_dict() if before is not None else None, "new": new.info.to_dict()})
    return True


def refuse_message(exc: PolicyError) -> str:
    """Every problem of a refused policy in one message (the first line and each note)."""
    return "\n".join([str(exc), *getattr(exc, "__notes__", ())])
