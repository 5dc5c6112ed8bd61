#!/usr/bin/env bash
# Install clearspace into .venv, score the shipped sample posts, then run the main job:
# the HTTP API on 127.0.0.1:8080 over an embedded SQLite database filled with a synthetic
# demo community (clearspace serve --demo). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
.venv/bin/python -m pip install -q --upgrade pip
# the 'embed' extra: the README's examples use it (scan --embed, clearspace match's default encoder)
.venv/bin/python -m pip install -q -e '.[embed]'
SAMPLE=$(.venv/bin/python -c "from clearspace.text.tables import data_path; print(data_path('samples/posts.jsonl'))")
mkdir -p out
.venv/bin/clearspace scan "$SAMPLE" -o out/sample-scored.jsonl
.venv/bin/python - <<'PY'
import json
for line in open("out/sample-scored.jsonl", encoding="utf-8"):
    r = json.loads(line)
    if "error" in r:
        print(f"line {r['line']}: error: {r['error']}")
        continue
    kinds = sorted({s["kind"] for s in r["signals"] if s["score"] >= 0.5})
    print(f"{r['id']:>4}  {r['action']:<6} abuse={r['scores']['abuse']:.2f} doxxing={r['scores']['doxxing']:.2f}  {', '.join(kinds)}")
PY
rm -f out/demo.db out/demo.db-wal out/demo.db-shm   # a fresh demo community each run
exec .venv/bin/clearspace serve --demo --db out/demo.db "$@"
