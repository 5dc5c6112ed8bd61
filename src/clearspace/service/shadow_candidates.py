"""Shadow candidates: what may score beside the active engine, and how a spec becomes one.

A :class:`CandidateSpec` names the candidate (a policy's YAML text, a model file, or both; a
stored model ``version`` for loaders that know versions). A :data:`CandidateLoader` turns a spec
and the active engine into a :class:`Candidate`; :func:`load_candidate` is the default. The
seam for stored model versions: pass a loader that resolves ``spec.version`` to a model file
and calls :func:`load_candidate` with ``CandidateSpec(policy=..., model_path=that_file)``.

Two kinds of candidate:

* :class:`PolicyCandidate` (a policy alone): re-decides the active engine's own signals with the
  candidate policy, so it costs a policy evaluation per post and never runs a model again;
* :class:`EngineCandidate` (a model file, with or without a policy): scores the text again with
  a second :class:`~clearspace.engine.Engine` (the active engine's lexicons and non-advisory
  plug-ins; a guard endpoint is never called twice for one post).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from clearspace.errors import InputError, ModelError
from clearspace.policy import Policy, parse_policy
from clearspace.result import ItemError
from clearspace.service.pipeline import ScoringEngine
from clearspace.service.results_learning import CandidateView, JudgementView
from clearspace.types import Signal

MAX_POLICY_CHARS: Final = 200_000


@dataclass(frozen=True, slots=True)
class CandidateSpec:
    """What to run in shadow: ``policy`` (YAML text), ``model_path`` (a model file on the server), or a ``version``."""

    policy: str | None = None
    model_path: str | None = None
    version: str | None = None

    def __post_init__(self) -> None:
        if not (self.policy or self.model_path or self.version):
            raise InputError("a shadow candidate needs a policy (YAML text), a model file path or a model version")
        if self.policy is not None and len(self.policy) > MAX_POLICY_CHARS:
            raise InputError(f"the candidate policy is longer than {MAX_POLICY_CHARS:,} characters")

    def to_dict(self) -> dict[str, Any]:
        return {"policy": self.policy, "model_path": self.model_path, "version": self.version}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CandidateSpec:
        return cls(policy=data.get("policy"), model_path=data.get("model_path"), version=data.get("version"))

    def public(self) -> CandidateView:
        """The spec as shown: the policy by its SHA-256, not its whole text."""
        digest = hashlib.sha256(self.policy.encode("utf-8")).hexdigest() if self.policy else None
        return {"policy_sha256": digest, "model_path": self.model_path, "version": self.version}


@dataclass(frozen=True, slots=True)
class ShadowItem:
    """One ingested post as the active engine decided it (what the candidate is compared against)."""

    event_id: str
    text: str
    context: Mapping[str, Any]
    signals: tuple[Signal, ...]
    active: Judgement
    verdict: Mapping[str, Any] = field(default_factory=dict)
    """What the active engine's verdict added to the context its policy saw (``target``, ``stance``)."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """The parts of a decision shadow mode compares and shows."""

    action: str
    abusive: bool
    abuse: float
    rules: tuple[str, ...] = field(default=())

    def to_dict(self) -> JudgementView:
        return {"action": self.action, "abusive": self.abusive, "abuse": round(self.abuse, 4),
                "rules": list(self.rules)}


class Candidate(Protocol):
    """Judges a batch of posts without acting on them; ``label`` names it in summaries."""

    label: str

    def judge(self, items: Sequence[ShadowItem]) -> list[Judgement | None]: ...


CandidateLoader = Callable[[CandidateSpec, ScoringEngine], Candidate]
"""``(spec, active engine) -> candidate``; raises InputError, PolicyError or ModelError for a bad spec."""


class PolicyCandidate:
    """A candidate policy over the active engine's signals (no second model run)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.label = f"policy {policy.id}"

    def judge(self, items: Sequence[ShadowItem]) -> list[Judgement | None]:
        out: list[Judgement | None] = []
        for item in items:
            context = {**item.context, **item.verdict} if item.verdict else item.context
            action, rules, _, _ = self.policy.signals_outcome(item.signals, context)
            out.append(Judgement(action, item.active.abusive, item.active.abuse, rules))
        return out


class EngineCandidate:
    """A second engine that scores every text again."""

    def __init__(self, engine: ScoringEngine, label: str) -> None:
        self.engine = engine
        self.label = label

    def judge(self, items: Sequence[ShadowItem]) -> list[Judgement | None]:
        results = self.engine.score_many([{**item.context, "text": item.text} for item in items])
        out: list[Judgement | None] = []
        for result in results:
            if isinstance(result, ItemError):
                out.append(None)
                continue
            out.append(Judgement(result.action, bool(result.abusive), float(result.scores.get("abuse", 0.0)),
                                 tuple(result.rules)))
        return out


def load_candidate(spec: CandidateSpec, active: ScoringEngine) -> Candidate:
    """The default loader: a policy text and/or a model file (checked now, so a bad one fails here)."""
    if spec.version is not None:
        raise InputError(f"this server cannot run model version {spec.version!r} in shadow: give a model file "
                         "path or a policy")
    kinds = getattr(active, "signal_kinds", None)  # typos in signal names are refused as the active policy's are
    known = kinds() if callable(kinds) else None
    policy = parse_policy(spec.policy, "<candidate policy>", known_signals=known) if spec.policy else None
    if spec.model_path is None:
        assert policy is not None
        return PolicyCandidate(policy)
    path = Path(spec.model_path)
    if not _is_file(path):
        raise ModelError(f"no model file at {spec.model_path!r} (the path is read on the server)")
    from clearspace.engine import Engine

    plugins = [p for p in getattr(active, "plugins_", ()) if not p.advisory]
    engine = Engine(model_path=path, policy=policy or active.policy_, plugins=plugins,
                    lexicon_paths=getattr(active, "lexicon_paths", ()), encoder=getattr(active, "encoder", None),
                    embed_band=getattr(active, "embed_band", 0.3), harm_head=getattr(active, "harm_head", None),
                    head_calibration=getattr(active, "head_calibration", None))
    engine.warm_up()  # ModelError for a malformed file, here rather than in the background
    label = f"model {path.name}" + (f" + policy {policy.id}" if policy else "")
    return EngineCandidate(engine, label)


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a readable file; False for paths the system refuses (NUL bytes, too long)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def versions_loader(model_of: Callable[[str], Any], fallback: CandidateLoader = load_candidate) -> CandidateLoader:
    """A loader that also runs a stored model version (``spec.version``) in shadow: the active engine's
    configuration with the version's weights swapped in (``model_of(version)`` gives the model, e.g.
    :meth:`clearspace.service.models.ModelRegistry.model`); anything else goes to ``fallback``."""

    def load(spec: CandidateSpec, active: ScoringEngine) -> Candidate:
        if spec.version is None:
            return fallback(spec, active)
        if spec.model_path is not None:
            raise InputError("give a model version or a model file path, not both")
        from clearspace.engine import Engine

        model = model_of(spec.version)  # NotFound / ModelError for an unknown or damaged version
        kinds = getattr(active, "signal_kinds", None)
        known = kinds() if callable(kinds) else None
        policy = parse_policy(spec.policy, "<candidate policy>", known_signals=known) if spec.policy else None
        plugins = [p for p in getattr(active, "plugins_", ()) if not p.advisory]
        engine = Engine(policy=policy or active.policy_, plugins=plugins,
                        lexicon_paths=getattr(active, "lexicon_paths", ()), encoder=getattr(active, "encoder", None),
                        embed_band=getattr(active, "embed_band", 0.3), harm_head=getattr(active, "harm_head", None),
                        head_calibration=getattr(active, "head_calibration", None))
        engine.warm_up()
        engine.swap_model(model)
        label = f"model version {spec.version}" + (f" + policy {policy.id}" if policy else "")
        return EngineCandidate(engine, label)

    return load
