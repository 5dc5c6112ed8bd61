"""Plug-ins: stronger models that add signals beside the shipped ones, without forking clearspace.

::

    from clearspace import Engine
    from clearspace.plugins.onnx_classifier import OnnxClassifier
    from clearspace.plugins.guard import GuardModel

    engine = Engine(plugins=[
        OnnxClassifier("models/zh-roberta", name="zh_roberta"),       # signal onnx.zh_roberta
        GuardModel("http://127.0.0.1:8000/v1", model="llama-guard"),  # signal guard.llm, uncertain band only
    ])

A plug-in (:class:`Plugin`) sees a whole batch at once, after the abuse model and before the
rule-based detectors, and returns extra signals per document; policies use them like any other
signal. Two promises hold for every plug-in:

* **a failing plug-in never loses a post**: :func:`apply_plugins` catches whatever a plug-in
  raises while scoring, logs it, and the batch goes on with the signals it already had;
* **an advisory plug-in never removes on its own** (the guard model): :func:`prepare_plugins`
  refuses (:class:`~clearspace.errors.PolicyError`) a policy whose ``limit`` or ``remove`` rules
  mention an advisory plug-in's signal kinds, so its word can raise a post to ``hold`` at most.

Module map: :mod:`.onnx_classifier` (a local classifier through ONNX Runtime),
:mod:`.guard` (an OpenAI-compatible chat endpoint as a second opinion), :mod:`.breaker`
(circuit breaker and latency counter), :mod:`.config` (plug-ins from service settings).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol, runtime_checkable

from clearspace.policy import Policy
from clearspace.policy.advisory import advisory_problems
from clearspace.text.document import Document
from clearspace.types import Signal

log = logging.getLogger(__name__)



@runtime_checkable
class Plugin(Protocol):
    """A named, versioned source of extra signals, scored a batch at a time.

    ``kinds`` lists the signal kinds it may emit (so policies can name them and the policy
    loader can know them); ``advisory`` plug-ins may raise a post to ``hold`` at most.
    ``load`` raises :class:`~clearspace.errors.ModelError` for a model that cannot serve;
    ``detect_batch`` gets the signals each document has so far (read only) and returns the new
    ones, one list per document. ``stats`` is a JSON-ready health and cost report.
    """

    name: str
    version: str
    advisory: bool

    @property
    def kinds(self) -> tuple[str, ...]: ...

    def load(self) -> None: ...

    def detect_batch(self, docs: Sequence[Document], contexts: Sequence[Mapping[str, Any]],
                     signals: Sequence[Sequence[Signal]]) -> list[list[Signal]]: ...

    def stats(self) -> dict[str, Any]: ...


def plugin_id(plugin: Plugin) -> str:
    """``name@version``, as recorded in every decision's detector list."""
    return f"{plugin.name}@{plugin.version}"


def signal_kinds(plugins: Sequence[Plugin]) -> tuple[str, ...]:
    """Every signal kind the plug-ins may emit (pass them to the policy loader's ``known_signals``)."""
    return tuple(kind for p in plugins for kind in p.kinds)


def prepare_plugins(plugins: Sequence[Plugin], policy: Policy) -> tuple[Plugin, ...]:
    """Load every plug-in (ModelError when one cannot serve) and check ``policy`` against the advisory ones."""
    for plugin in plugins:
        plugin.load()
        if plugin.advisory:
            check_advisory(policy, plugin.kinds)
    return tuple(plugins)


def check_advisory(policy: Policy, kinds: Collection[str]) -> None:
    """PolicyError when a rule stronger than ``hold`` reads one of ``kinds`` (an advisory signal).

    Every compiled policy is already checked against the ``guard.*`` family
    (:mod:`clearspace.policy.advisory`); this covers advisory plug-ins with other kinds.
    """
    problems = advisory_problems(policy, kinds)
    if problems:
        raise problems[0]


def apply_plugins(plugins: Sequence[Plugin], docs: Sequence[Document], contexts: Sequence[Mapping[str, Any]],
                  signals: Sequence[list[Signal]], thresholds: Sequence[float] | None = None) -> None:
    """Extend each document's signal list with every plug-in's signals, in place.

    ``thresholds``: the abuse model's decision threshold for each document; plug-ins then see its
    ``abuse`` score moved so that the threshold sits at 0.5 (as the verdict weighs it), so a guard's
    uncertain band is centred on the model's real decision boundary. A plug-in that raises is logged
    and skipped for this batch: its signals are missing, nothing else is.
    """
    seen = signals if thresholds is None else [_calibrated(s, t) for s, t in zip(signals, thresholds, strict=True)]
    for plugin in plugins:
        try:
            extra = plugin.detect_batch(docs, contexts, seen)
        except Exception:  # noqa: BLE001 - a broken plug-in must not stop scoring
            log.exception("plug-in %s failed on a batch of %d; scored without it", plugin_id(plugin), len(docs))
            continue
        if len(extra) != len(signals):
            log.error("plug-in %s answered %d results for %d documents; ignored", plugin_id(plugin),
                      len(extra), len(signals))
            continue
        for found, more in zip(signals, extra, strict=True):
            found.extend(more)


def _calibrated(signals: Sequence[Signal], threshold: float) -> list[Signal]:
    from clearspace.verdict.combine import shifted

    return [replace(s, score=shifted(s.score, threshold)) if s.kind == "abuse" else s for s in signals]
