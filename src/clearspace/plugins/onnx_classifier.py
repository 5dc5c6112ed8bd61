"""A local text classifier through ONNX Runtime, as a signal policies can use.

::

    clf = OnnxClassifier("models/zh-roberta-abuse", name="zh_roberta")   # signal onnx.zh_roberta
    engine = Engine(plugins=[clf])

The folder holds ``model.onnx`` and its tokenizer: ``tokenizer.json`` (any tokenizer the
``tokenizers`` library reads, as Hugging Face exports write it) or a plain WordPiece
``vocab.txt`` (one token per line, BERT style). The model takes ``input_ids`` (and, if it has
them, ``attention_mask`` and ``token_type_ids``) of shape ``[batch, tokens]`` and answers
``[batch, classes]`` as its first output: logits or probabilities (``output="auto"`` tells them
apart: rows in ``[0, 1]`` that sum to 1 are probabilities, anything else goes through a
softmax; one column is a sigmoid). The signal's score is the probability of class ``positive``
(default 1, "abusive"); its detector id is ``<name>@<first 12 hex of the model's SHA-256>``,
so every decision names the exact file that scored it.

Everything is checked at :meth:`OnnxClassifier.load` with one probe inference: a missing
folder, file or tokenizer, a file that is not an ONNX model, inputs it cannot feed, or an output
that is not ``[batch, classes]`` is a :class:`~clearspace.errors.ModelError` saying which. A
failure while scoring is logged and counted; the batch goes on without this signal.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from clearspace.errors import ModelError
from clearspace.text.document import Document
from clearspace.types import Signal

log = logging.getLogger(__name__)

OUTPUTS: Final = ("auto", "logits", "probabilities")
PAD_TOKENS: Final = ("[PAD]", "<pad>", "<PAD>")
CHARS_PER_TOKEN: Final = 16
"""Texts are cut to ``max_length * CHARS_PER_TOKEN`` characters before tokenizing (a bound, never reached
by real tokenizers' average)."""
_NAME: Final = re.compile(r"[A-Za-z0-9_-]+\Z")


class OnnxClassifier:
    """Scores texts with a local ONNX classifier; emits one signal ``kind`` per text."""

    advisory = False

    def __init__(self, path: str | Path, *, name: str = "", kind: str = "", positive: int = 1,
                 max_length: int = 256, output: str = "auto", batch_size: int = 32, threads: int = 1,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.path = path
        self.name = name or Path(path).name
        self.kind = kind or f"onnx.{self.name}"
        self.positive = positive
        self.max_length = max_length
        self.output = output
        self.batch_size = batch_size
        self.threads = threads
        self.clock = clock
        self.version = "unloaded"
        self._lock = threading.Lock()
        self._stats = {"batches": 0, "texts": 0, "errors": 0, "seconds": 0.0}

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,)

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        """Load model and tokenizer and run one probe; ModelError says what is wrong."""
        if hasattr(self, "session_"):
            return
        if not _NAME.match(self.name) or self.output not in OUTPUTS or self.max_length < 2 or self.batch_size < 1:
            raise ModelError(f"ONNX classifier {self.name!r}: name must use letters, digits, '_' or '-', output one "
                             f"of {', '.join(OUTPUTS)}, max_length >= 2 and batch_size >= 1")
        folder = Path(self.path)
        model_file = folder / "model.onnx"
        if not model_file.is_file():
            raise ModelError(f"ONNX classifier {self.name!r}: no model.onnx in {folder} "
                             "(the folder must hold model.onnx and tokenizer.json or vocab.txt)")
        data = model_file.read_bytes()
        self.tokenizer_, self.pad_id_ = _tokenizer(folder, self.name)
        self.session_, self.feeds_ = _session(data, model_file, self.threads)
        self.version = hashlib.sha256(data).hexdigest()[:12]
        self._check_output()

    def _check_output(self) -> None:
        try:
            out = self._run(["probe 探测"])
        except Exception as exc:  # noqa: BLE001 - any runtime failure of the probe is a bad model
            del self.session_
            raise ModelError(f"ONNX classifier {self.name!r}: model.onnx fails on a probe text: {exc}") from exc
        shape = tuple(out.shape)
        classes = shape[1] if len(shape) == 2 else 0
        if len(shape) != 2 or shape[0] != 1 or classes < 1 or (classes > 1 and not 0 <= self.positive < classes):
            del self.session_
            raise ModelError(f"ONNX classifier {self.name!r}: model.onnx's first output has shape {list(shape)} "
                             f"for one text; a classifier must answer [batch, classes] with class {self.positive} "
                             "among them")
        self.classes_ = classes

    # ------------------------------------------------------------------ scoring
    def detect_batch(self, docs: Sequence[Document], contexts: Sequence[Mapping[str, Any]],
                     signals: Sequence[Sequence[Signal]]) -> list[list[Signal]]:
        self.load()
        out: list[list[Signal]] = [[] for _ in docs]
        ident = f"{self.name}@{self.version}"
        started = self.clock()
        errors = 0
        for lo in range(0, len(docs), self.batch_size):
            chunk = docs[lo:lo + self.batch_size]
            try:
                scores = self.scores([d.original for d in chunk])
            except Exception:  # noqa: BLE001 - scoring goes on without this signal
                log.exception("ONNX classifier %s failed on %d texts", self.name, len(chunk))
                errors += len(chunk)
                continue
            for i, score in enumerate(scores):
                if np.isfinite(score):
                    out[lo + i].append(Signal(self.kind, float(score), (), ident))
                else:
                    errors += 1
        with self._lock:
            self._stats["batches"] += 1
            self._stats["texts"] += len(docs)
            self._stats["errors"] += errors
            self._stats["seconds"] += self.clock() - started
        return out

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """The positive class's probability for each text."""
        raw = self._run(texts)
        if raw.ndim != 2 or raw.shape[0] != len(texts) or raw.shape[1] != self.classes_:
            raise ModelError(f"ONNX classifier {self.name!r} answered shape {list(raw.shape)} for {len(texts)} texts")
        column = 0 if self.classes_ == 1 else self.positive
        return _probabilities(raw, self.output)[:, column]

    def _run(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        cut = self.max_length * CHARS_PER_TOKEN  # a huge text is not tokenized past what the model reads
        encodings = self.tokenizer_.encode_batch([t[:cut] for t in texts])
        width = max(1, max(min(len(e.ids), self.max_length) for e in encodings))
        ids = np.full((len(texts), width), self.pad_id_, dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            tokens = enc.ids[: self.max_length] or [self.pad_id_]
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        arrays = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        feeds = {name: arrays[role].astype(dtype) for name, (role, dtype) in self.feeds_.items()}
        return np.asarray(self.session_.run(None, feeds)[0], dtype=np.float64)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            counts = dict(self._stats)
        return {"plugin": "onnx", "name": self.name, "kind": self.kind, "path": str(self.path),
                "version": self.version, "batches": counts["batches"], "texts": counts["texts"],
                "errors": counts["errors"], "seconds": round(counts["seconds"], 3)}


def _probabilities(raw: npt.NDArray[np.float64], output: str) -> npt.NDArray[np.float64]:
    if raw.shape[1] == 1:
        looks_like_probs = bool(np.all((raw >= 0) & (raw <= 1)))
        if output == "probabilities" or (output == "auto" and looks_like_probs):
            return raw
        return np.asarray(1.0 / (1.0 + np.exp(-raw)), dtype=np.float64)
    if output == "probabilities" or (output == "auto" and _rows_are_probabilities(raw)):
        return raw
    shifted = raw - raw.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)


def _rows_are_probabilities(raw: npt.NDArray[np.float64]) -> bool:
    return bool(np.all((raw >= 0) & (raw <= 1)) and np.allclose(raw.sum(axis=1), 1.0, atol=1e-3))


def _tokenizer(folder: Path, name: str) -> tuple[Any, int]:
    """The folder's tokenizer (tokenizer.json, else a WordPiece vocab.txt) and its padding id."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(f"ONNX classifier {name!r} needs the 'tokenizers' package: "
                         "pip install 'clearspace[plugins]'") from exc

    tokenizer: Any
    try:
        if (folder / "tokenizer.json").is_file():
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        elif (folder / "vocab.txt").is_file():
            tokenizer = _wordpiece(folder / "vocab.txt")
        else:
            raise ModelError(f"ONNX classifier {name!r}: no tokenizer.json or vocab.txt in {folder}")
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - the tokenizers library raises plain Exceptions
        raise ModelError(f"ONNX classifier {name!r}: cannot read the tokenizer in {folder}: {exc}") from exc
    tokenizer.no_padding()
    tokenizer.no_truncation()
    pad = next((i for t in PAD_TOKENS if (i := tokenizer.token_to_id(t)) is not None), 0)
    return tokenizer, int(pad)


def _wordpiece(vocab_file: Path) -> Any:
    """A BERT-style WordPiece tokenizer over a plain vocabulary (``[CLS] ... [SEP]`` when it has them)."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    vocab: dict[str, int] = {}
    for line in vocab_file.read_text(encoding="utf-8").splitlines():
        token = line.strip()
        if token and token not in vocab:
            vocab[token] = len(vocab)
    if not vocab:
        raise ModelError(f"{vocab_file} is empty")
    unk = "[UNK]" if "[UNK]" in vocab else next(iter(vocab))
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token=unk))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    if "[CLS]" in vocab and "[SEP]" in vocab:
        tokenizer.post_processor = processors.BertProcessing(("[SEP]", vocab["[SEP]"]), ("[CLS]", vocab["[CLS]"]))
    return tokenizer


def _session(data: bytes, model_file: Path, threads: int) -> tuple[Any, dict[str, tuple[str, Any]]]:
    """An inference session and its feeds: ``input name -> (role, numpy dtype)``."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise ModelError(f"{model_file} needs the 'onnxruntime' package: pip install 'clearspace[plugins]'") from exc

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime's errors share no public base class
        raise ModelError(f"{model_file} is not a valid ONNX model: {str(exc).splitlines()[0][:300]}") from exc
    inputs = session.get_inputs()
    feeds: dict[str, tuple[str, Any]] = {}
    for item in inputs:
        role = next((r for r in ("input_ids", "attention_mask", "token_type_ids") if r in item.name), None)
        if role is None and len(inputs) == 1:
            role = "input_ids"
        if role is None or item.type not in ("tensor(int64)", "tensor(int32)"):
            raise ModelError(f"{model_file}: cannot feed input {item.name!r} ({item.type}); a classifier takes "
                             "integer input_ids and optionally attention_mask and token_type_ids")
        feeds[item.name] = (role, np.int64 if item.type == "tensor(int64)" else np.int32)
    if "input_ids" not in {role for role, _ in feeds.values()}:
        raise ModelError(f"{model_file}: the model has no input_ids input")
    return session, feeds
