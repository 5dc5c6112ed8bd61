"""Readers for the labelled datasets in ``shared/datasets`` (never shipped with the package).

Each reader returns a :class:`Labelled` set. Which sets may train shipped weights is a
licence question answered in the datasets' README: COLD, SWSR, Davidson and OLID may;
TweetEval is for evaluation only. :func:`stance` reads the project's own stance set, which
ships in the package (``data/training/stance.tsv``).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from clearspace.errors import DatasetError
from clearspace.text.tables import data_path, read_tsv

OLID_HELDOUT_SEED = 13
OLID_HELDOUT_SHARE = 0.10
SWSR_EVAL_SEED = 17
SWSR_EVAL_SHARE = 0.10
STANCE_SET = "training/stance.tsv"
STANCE_KINDS = ("anti_bias", "report", "criticism", "abusive")


@dataclass
class Labelled:
    """Texts with binary ``labels`` (1 = abusive) and optional extra per-text columns."""

    name: str
    language: str
    texts: list[str]
    labels: npt.NDArray[np.int64]
    extra: dict[str, list[str]] = field(default_factory=dict)

    def subset(self, idx: Sequence[int] | npt.NDArray[np.int64], name: str) -> Labelled:
        ix = np.asarray(idx, dtype=np.int64)
        return Labelled(
            name=name,
            language=self.language,
            texts=[self.texts[i] for i in ix],
            labels=self.labels[ix],
            extra={k: [v[i] for i in ix] for k, v in self.extra.items()},
        )


def _require(path: Path) -> Path:
    if not path.exists():
        raise DatasetError(f"{path} not found: pass --data pointing at the shared datasets folder")
    return path


def _csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with _require(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def cold(root: Path, split: str) -> Labelled:
    """COLD ``train``, ``dev`` or ``test_public`` (the last with fine-grained labels)."""
    rows = _csv_rows(root / "cold" / f"{split}.csv")
    extra = {"topic": [r["topic"] for r in rows]}
    if split == "test_public":
        extra["fine"] = [r["fine-grained-label"] for r in rows]
    return Labelled(f"cold-{split}", "zh", [r["TEXT"] for r in rows], np.array([int(r["label"]) for r in rows]), extra)


def swsr(root: Path) -> Labelled:
    """SWSR sexism comments (label 1 = sexist) with ``category`` and ``target``."""
    rows = _csv_rows(root / "swsr" / "SexComment_train.csv")
    return Labelled(
        "swsr",
        "zh",
        [r["comment_text"] for r in rows],
        np.array([int(r["label"]) for r in rows]),
        {"category": [r["category"] for r in rows], "target": [r["target"] for r in rows]},
    )


def davidson(root: Path) -> Labelled:
    """Davidson et al.: label 1 for hate or offensive; ``class`` keeps 0 hate / 1 offensive / 2 neither."""
    rows = _csv_rows(root / "davidson" / "labeled_data_train.csv")
    cls = [r["class"] for r in rows]
    return Labelled(
        "davidson", "en", [r["tweet"] for r in rows], np.array([int(c != "2") for c in cls]), {"class": cls}
    )


def olid(root: Path) -> tuple[Labelled, Labelled]:
    """OLID training data split into (train 90%, held-out 10%) with a fixed seed."""
    rows = _csv_rows(root / "olid" / "olid-training-v1.0.tsv", delimiter="\t")
    full = Labelled(
        "olid",
        "en",
        [r["tweet"] for r in rows],
        np.array([int(r["subtask_a"] == "OFF") for r in rows]),
        {"b": [r["subtask_b"] for r in rows], "c": [r["subtask_c"] for r in rows]},
    )
    order = np.random.RandomState(OLID_HELDOUT_SEED).permutation(len(rows))
    cut = int(round(len(rows) * (1 - OLID_HELDOUT_SHARE)))
    return full.subset(np.sort(order[:cut]), "olid-train"), full.subset(np.sort(order[cut:]), "olid-heldout")


def swsr_split(root: Path) -> tuple[Labelled, Labelled]:
    """SWSR split into (train 90%, held-out 10%) for the sexism head."""
    full = swsr(root)
    order = np.random.RandomState(SWSR_EVAL_SEED).permutation(len(full.texts))
    cut = int(round(len(order) * (1 - SWSR_EVAL_SHARE)))
    return full.subset(np.sort(order[:cut]), "swsr-train"), full.subset(np.sort(order[cut:]), "swsr-heldout")


def tweeteval(root: Path, task: str) -> Labelled:
    """TweetEval ``hate`` or ``offensive`` validation split (evaluation only)."""
    folder = _require(root / "tweeteval" / task)
    texts = (folder / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (folder / "val_labels.txt").read_text(encoding="utf-8").split()]
    if len(texts) != len(labels):
        raise DatasetError(f"{folder}: {len(texts)} texts but {len(labels)} labels")
    return Labelled(f"tweeteval-{task}-val", "en", texts, np.array(labels))


def stance(path: Path | None = None) -> Labelled:
    """The project's own stance set: safe speech about discrimination and abuse on the same topics.

    ``extra`` holds ``lang`` (zh/en), ``topic`` and ``kind`` (one of :data:`STANCE_KINDS`).
    """
    source = path or data_path(STANCE_SET)
    texts: list[str] = []
    labels: list[int] = []
    extra: dict[str, list[str]] = {"lang": [], "topic": [], "kind": []}
    for number, cols in read_tsv(source, 5):
        label, lang, topic, kind, text = cols[:5]
        if label not in ("0", "1") or lang not in ("zh", "en") or kind not in STANCE_KINDS:
            raise DatasetError(f"{source}:{number}: expected label 0/1, lang zh/en, kind in {STANCE_KINDS}")
        texts.append(text)
        labels.append(int(label))
        for key, value in (("lang", lang), ("topic", topic), ("kind", kind)):
            extra[key].append(value)
    return Labelled("stance", "zh+en", texts, np.array(labels, dtype=np.int64), extra)
