"""Plug-ins from service settings (``onnx_models``, ``guard_*``), and what ``GET /v1/plugins`` shows.

In the TOML config::

    [[onnx_models]]
    name = "zh_roberta"                 # signal onnx.zh_roberta (or set kind = "...")
    path = "/srv/models/zh-roberta"     # folder with model.onnx and tokenizer.json or vocab.txt

    guard_url = "http://127.0.0.1:8000/v1"
    guard_model = "llama-guard-3-1b"

or ``CLEARSPACE_ONNX_MODELS='[{"name": "zh_roberta", "path": "/srv/models/zh-roberta"}]'``.

A plug-in that cannot load (:class:`~clearspace.errors.ModelError`) does not stop the service:
it is left out, logged, and listed under ``problems``; scoring goes on with the active model.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypedDict

from clearspace.errors import InputError, ModelError
from clearspace.plugins import Plugin, plugin_id

if TYPE_CHECKING:
    from clearspace.service.settings import Settings

log = logging.getLogger(__name__)


class PluginProblem(TypedDict):
    """A configured plug-in that could not load, and why."""

    plugin: str
    error: str


class PluginStats(TypedDict):
    """What ``GET /v1/plugins`` shows: :meth:`PluginSet.stats`."""

    plugins: list[dict[str, Any]]  # open: each plug-in's ``id`` and what its kind counts (its ``stats()``)
    problems: list[PluginProblem]

ONNX_KEYS: Final[Mapping[str, type]] = {"name": str, "path": str, "kind": str, "positive": int, "max_length": int,
                                        "output": str, "batch_size": int, "threads": int}


def onnx_model_entries(raw: object, source: str) -> tuple[dict[str, Any], ...]:
    """The ``onnx_models`` setting from a TOML array of tables or JSON text, each entry checked."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except ValueError as exc:
            raise InputError(f"{source}: onnx_models must be a JSON list of objects: {exc}") from exc
    if not isinstance(raw, list | tuple) or not all(isinstance(e, Mapping) for e in raw):
        raise InputError(f"{source}: onnx_models must be a list of {{name, path, ...}} tables")
    out = []
    for index, entry in enumerate(raw):
        for key in ("name", "path"):
            if key not in entry:
                raise InputError(f"{source}: onnx_models[{index}] needs '{key}'")
        for key, value in entry.items():
            kind = ONNX_KEYS.get(key)
            if kind is None:
                raise InputError(f"{source}: onnx_models[{index}]: unknown key {key!r} "
                                 f"(known: {', '.join(ONNX_KEYS)})")
            if not isinstance(value, kind) or isinstance(value, bool):
                raise InputError(f"{source}: onnx_models[{index}].{key} must be a {kind.__name__}, got {value!r}")
        out.append(dict(entry))
    names = [e["name"] for e in out]
    if len(set(names)) != len(names):
        raise InputError(f"{source}: onnx_models names must be unique, got {names}")
    return tuple(out)


@dataclass
class PluginSet:
    """The plug-ins a service scores with, and those that could not load."""

    plugins: tuple[Plugin, ...] = ()
    problems: list[PluginProblem] = field(default_factory=list)

    def stats(self) -> PluginStats:
        return {"plugins": [{"id": plugin_id(p), **p.stats()} for p in self.plugins], "problems": list(self.problems)}


def build_plugins(settings: Settings) -> PluginSet:
    """Every configured plug-in, loaded now; one that fails is left out and listed under ``problems``."""
    candidates: list[tuple[str, Any]] = []
    for entry in settings.onnx_models:
        from clearspace.plugins.onnx_classifier import OnnxClassifier

        params = {k: v for k, v in entry.items() if k != "path"}
        candidates.append((f"onnx_models.{entry['name']}", lambda e=entry, p=params: OnnxClassifier(e["path"], **p)))
    if settings.guard_url:
        candidates.append(("guard", lambda: guard_from(settings)))
    return _load_all(candidates)


def configured_kinds(settings: Settings) -> tuple[str, ...]:
    """The signal kinds the configured plug-ins emit, without loading them (for ``clearspace policy check``)."""
    kinds = [str(e.get("kind") or f"onnx.{e['name']}") for e in settings.onnx_models]
    if settings.guard_url:
        kinds.append(f"guard.{settings.guard_name}")
    return tuple(kinds)


def guard_from(settings: Settings) -> Plugin:
    from clearspace.plugins.guard import GuardModel

    return GuardModel(settings.guard_url, model=settings.guard_model, name=settings.guard_name,
                      api_key=settings.guard_api_key, timeout_s=settings.guard_timeout_s, band=settings.guard_band,
                      threshold=settings.guard_threshold, concurrency=settings.guard_concurrency,
                      failures=settings.guard_breaker_failures, cooldown_s=settings.guard_breaker_cooldown_s)


def _load_all(candidates: Sequence[tuple[str, Any]]) -> PluginSet:
    found = PluginSet()
    loaded: list[Plugin] = []
    for label, make in candidates:
        try:
            plugin = make()
            plugin.load()
        except ModelError as exc:
            log.error("plug-in %s is not used: %s", label, exc)
            found.problems.append({"plugin": label, "error": str(exc)})
            continue
        loaded.append(plugin)
    found.plugins = tuple(loaded)
    return found
