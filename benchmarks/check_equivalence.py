"""Check that two versions of the code score posts identically (for speed work).

    python benchmarks/check_equivalence.py --base af3e756 --data ../shared/datasets [--n 20000]

The posts are ``--n`` COLD/OLID posts from :func:`bench_score.make_posts` (the benchmark
mix), the same number again rewritten with evasion tricks (separators, full-width letters,
zero-width characters, leetspeak, repeated characters, confusable letters, upper case),
synthetic posts with personal information and pile-on calls, every case of the functional
suites (``data/functional/`` and ``benchmarks/data/functional_holdout/``), ``--n-extra``
posts each drawn from the SWSR and Davidson training files (train splits only), hostile
texts (long runs, deep nesting of quotes, mixed scripts) and the string literals of the
detector, text, verdict and engine tests. Every post gets one of several contexts (surface,
minor, strikes, account age, target user) so that context rules are exercised too.

The ``src`` tree of ``--base`` (a git commit) is extracted into a temporary folder; both it
and the working tree's ``src`` score the posts in their own process and write one JSON line
per post with the raw (unrounded) scores, every signal with its spans and details, the
action, rules, reasons, labels, language, detector ids and the verdict's target, stance and
category. The script prints how many lines
differ and the first few differences; its exit status is 1 when any line differs. Each side
uses the model weights of its own tree.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONTEXTS: tuple[dict[str, Any], ...] = (
    {},
    {},
    {"surface": "comment"},
    {"surface": "dm", "target_user": "u1"},
    {"surface": "livechat"},
    {"minor": True},
    {"minor": True, "surface": "danmaku"},
    {"author_strikes": 4},
    {"author_account_age_days": 3, "target_user": "u2"},
    {"author_strikes": 1, "author_account_age_days": 400, "surface": "post"},
)
_LEET = str.maketrans("aeiost", "4310$7")
_CONFUSABLE = str.maketrans("aeopcx", "аеорсх")
_SEPARATORS = (" ", "-", ".", "*", "·", "_", "/")
_ZERO_WIDTH = ("\u200b", "\u200d", "\ufeff", "\u202e")
_PII_TEMPLATES = (
    "人肉出来了，他叫张伟，电话{mobile}，住在幸福路{n}号3栋2单元501室，大家去骂他",
    "开盒：身份证{id18}，手机 {mobile_spaced}，微信 {wx}",
    "我的邮箱是 {email}，有事联系我",
    "本店电话 400-{d3}-{d4}，欢迎来电",
    "his number is +44 20 {d4} {d4} and he lives at {n} Main Street, Apt 4B. go get him",
    "call me at (555) 555-{d4} or email {email}",
    "QQ {qq} 加我，车牌京A{d5}",
    "everyone report this account @{wx}, mass report it now",
    "大家去冲他，冲他微博，举报他 {mobile}",
    "不要网暴他，他的电话 {mobile} 不该被公开",
    "银行卡号 {card} 转账给我",
    "粤B·D{d5} 这辆车天天乱停，车主电话 0755-{d4}{d4}",
)


def make_all_posts(data: Path | None, n: int, n_extra: int = 3000) -> list[Any]:
    """Every post to score: dicts with ``id``, ``text`` and context fields, and a few odd items."""
    sys.path.insert(0, str(HERE))
    from bench_score import make_posts

    rng = random.Random(7)
    base = make_posts(data, n)
    texts = list(base)
    texts += [_evade(rng.choice(base), rng) for _ in range(n)]
    texts += [_pii_post(rng) for _ in range(max(200, n // 20))]
    texts += _functional_texts()
    if data is not None:
        texts += _train_sample(data, n_extra, rng)
    texts += _hostile_texts()
    texts += _test_literals()
    posts: list[Any] = [{"id": i, "text": t, **CONTEXTS[i % len(CONTEXTS)]} for i, t in enumerate(texts)]
    # items that cannot be scored, between others, and a plain string
    for at, bad in ((5, {"id": "no-text"}), (600, {"id": "int", "text": 5}), (1300, 7), (2000, "plain 你好 sb")):
        posts.insert(at, bad)
    return posts


def _evade(text: str, rng: random.Random) -> str:
    trick = rng.randrange(8)
    if trick == 0:
        sep = rng.choice(_SEPARATORS)
        return sep.join(text) if len(text) < 40 else text[:20] + sep.join(text[20:30]) + text[30:]
    if trick == 1:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    if trick == 2:
        zw = rng.choice(_ZERO_WIDTH)
        return zw.join(text[i : i + 3] for i in range(0, len(text), 3))
    if trick == 3:
        return text.translate(_LEET)
    if trick == 4:
        return "".join(c * rng.choice((1, 1, 1, 3, 5)) for c in text)
    if trick == 5:
        return text.translate(_CONFUSABLE)
    if trick == 6:
        return text.upper() + " NMSL sb 傻-逼 f u c k s.b 🐴的 沙比 cao ni ma"
    return text + " " + rng.choice(("你妈死了", "b1tch", "k1ll y0urself", "去死吧", "臺灣們說話"))


def _pii_post(rng: random.Random) -> str:
    digits = lambda k: "".join(rng.choice("0123456789") for _ in range(k))  # noqa: E731
    mobile = "1" + rng.choice("3456789") + digits(9)
    fields = {
        "mobile": mobile,
        "mobile_spaced": f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
        "id18": _id18(rng),
        "email": f"user{digits(3)}@example.com",
        "wx": "wxid_" + digits(6),
        "qq": digits(9),
        "card": _luhn(rng, "6222" + digits(11)),
        "n": str(rng.randint(1, 300)),
        "d3": digits(3),
        "d4": digits(4),
        "d5": digits(5),
    }
    return rng.choice(_PII_TEMPLATES).format(**fields)


def _id18(rng: random.Random) -> str:
    body = f"110101{rng.randint(1950, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def _luhn(rng: random.Random, stem: str) -> str:
    for check in "0123456789":
        digits = [int(c) for c in stem + check]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(reversed(digits)))
        if total % 10 == 0:
            return stem + check
    return stem + "0"


def _functional_texts() -> list[str]:
    """The text of every case of the shipped and the held-out functional suites."""
    out: list[str] = []
    for folder in (ROOT / "src" / "clearspace" / "data" / "functional", HERE / "data" / "functional_holdout"):
        for path in sorted(folder.glob("*.tsv")):
            header: list[str] | None = None
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if header is None:
                    header = cols
                elif "text" in header and len(cols) == len(header):
                    out.append(cols[header.index("text")])
    return out


def _train_sample(data: Path, n: int, rng: random.Random) -> list[str]:
    """``n`` texts each from the SWSR and Davidson training files (train splits only)."""
    from clearspace.evaluation import datasets as ds

    out: list[str] = []
    for pool in (ds.swsr_split(data)[0].texts, ds.davidson(data).texts):
        out += rng.sample(pool, min(n, len(pool)))
    return out


def _hostile_texts() -> list[str]:
    """Long runs, deep nesting of quotes, mixed scripts, many cues and many insults in one text."""
    return [
        "傻" * 5000,
        "a" * 20000,
        "“" * 300 + "你是傻逼" + "”" * 300,
        "\"" * 500 + "you idiot" + "\"" * 500,
        "「『“‘《【" * 200 + "去死" + "】》’”』」" * 200,
        "你" * 3000 + "去死",
        "你 他 我们 不 没 杀 要 " * 500,
        "you idiot, " * 2000,
        "傻逼，" * 2000,
        "Ѕ𝐭υ𝗽ⅰd ｉｄｉｏｔ 傻Ｂ ｓｂ 𝒻𝓊𝒸𝓀 ыыы ٱلسلام 😀🐴" * 100,
        "不是不是不是不" * 700 + "蠢",
        "我知道你家在哪，" * 800,
        "".join(chr(c) for c in range(0x20, 0x3000, 7)),
        "\u200b".join("你就是个傻逼赶紧滚" * 200),
        "kill " * 3000 + "you",
    ]


def _test_literals() -> list[str]:
    out: list[str] = []
    for folder in ("tests/detectors", "tests/text", "tests/policy", "tests/verdict", "tests/hostile"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for m in re.finditer(r'"((?:[^"\\\n]|\\.){3,})"', path.read_text(encoding="utf-8")):
                try:
                    out.append(json.loads(f'"{m.group(1)}"'))
                except ValueError:
                    continue
    engine_tests = ROOT / "tests" / "test_engine.py"
    if engine_tests.exists():
        out += [m.group(1) for m in re.finditer(r'"([^"\\\n]{3,})"', engine_tests.read_text(encoding="utf-8"))]
    return out


def score_posts(posts_path: str, out_path: str) -> None:
    """Child process: score the posts with whatever ``clearspace`` is on ``sys.path``."""
    from clearspace.engine import Engine
    from clearspace.result import ItemError

    posts = json.loads(Path(posts_path).read_text(encoding="utf-8"))
    with open(out_path, "w", encoding="utf-8") as fh:
        for r in Engine().score_many(posts):
            if isinstance(r, ItemError):
                row: dict[str, Any] = r.to_dict()
            else:
                row = {
                    "id": r.id,
                    "abusive": r.abusive,
                    "action": r.action,
                    "scores": {k: repr(v) for k, v in r.scores.items()},
                    "signals": [
                        [s.kind, repr(s.score), [list(x) for x in s.spans], s.detector, s.details] for s in r.signals
                    ],
                    "rules": list(r.rules),
                    "reasons": list(r.reasons),
                    "labels": list(r.labels),
                    "language": r.language,
                    "detectors": list(r.detectors),
                    "extra": r.extra,
                    "target": r.target,
                    "stance": r.stance,
                    "category": r.category,
                }
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True, default=repr) + "\n")


def run_side(src: Path, posts_path: Path, out_path: Path) -> None:
    code = f"import sys; sys.path.insert(0, {str(src)!r}); sys.path.insert(0, {str(HERE)!r});" + (
        "import check_equivalence as c, clearspace; assert clearspace.__file__.startswith(sys.path[1]), "
        "clearspace.__file__; c.score_posts(sys.argv[1], sys.argv[2])"
    )
    subprocess.run([sys.executable, "-c", code, str(posts_path), str(out_path)], check=True, cwd=src.parent)


def extract_src(commit: str, dest: Path) -> Path:
    blob = subprocess.run(["git", "archive", "--format=tar", commit, "src"], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(blob.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="git commit to compare the working tree with")
    ap.add_argument("--data", type=Path)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--n-extra", type=int, default=3000, help="posts from each of SWSR and Davidson train")
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    posts = make_all_posts(args.data, args.n, args.n_extra)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        posts_path = work / "posts.json"
        posts_path.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
        old_src = extract_src(args.base, work / "base")
        run_side(old_src, posts_path, work / "old.jsonl")
        run_side(ROOT / "src", posts_path, work / "new.jsonl")
        old = (work / "old.jsonl").read_text(encoding="utf-8").splitlines()
        new = (work / "new.jsonl").read_text(encoding="utf-8").splitlines()
    differ = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    actions: dict[str, int] = {}
    for line in new:
        action = json.loads(line).get("action", "error")
        actions[action] = actions.get(action, 0) + 1
    print(f"{len(posts)} posts, {len(differ)} differ; actions: {actions}")
    for i in differ[: args.show]:
        print(f"--- post {i}: {str(posts[i])[:120]}\nold {old[i][:600]}\nnew {new[i][:600]}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
