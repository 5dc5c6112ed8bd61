"""The work behind ``clearspace match`` (the click command in clearspace.cli.main only parses options)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

import orjson

from clearspace.errors import InputError
from clearspace.rumors.matcher import build_matcher
from clearspace.rumors.registry_io import read_debunks


def read_posts(path: Path) -> list[tuple[str, str]]:
    """``(id, text)`` from a JSON Lines file; a bad line is an error naming its number."""
    posts: list[tuple[str, str]] = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: invalid JSON ({exc})") from exc
        if not isinstance(data, dict) or "id" not in data or not isinstance(data.get("text"), str):
            raise InputError(f"{path}:{number}: each post needs 'id' and a string 'text'")
        posts.append((str(data["id"]), data["text"]))
    return posts


def run_match(debunks_path: Path, posts_path: Path, k: int, output: str, encoder_spec: str,
              log: Callable[[str], None], batch_size: int = 512, rerank: bool = False, min_score: float = 0.0) -> None:
    """Write the ``k`` best matches of each post scoring at least ``min_score``; the encoder's and re-ranker's
    packages are checked before anything is read (ModelError naming the extra to install)."""
    from clearspace.model.embeddings import require_encoder

    if encoder_spec != "none":
        require_encoder(encoder_spec)
    if rerank:
        require_encoder("e5-query")
    imported = read_debunks(debunks_path)
    for number, message in imported.errors:
        log(f"{debunks_path}:{number}: skipped: {message}")
    if not imported.debunks:
        raise InputError(f"{debunks_path}: no debunks to match against")
    encoder = None
    if encoder_spec != "none":
        from clearspace.model.embeddings import load_encoder

        encoder = load_encoder(encoder_spec)
    reranker = None
    if rerank:
        from clearspace.rumors.rerank import EmbeddingReranker

        reranker = EmbeddingReranker()
    matcher = build_matcher(encoder, reranker)
    matcher.add(imported.debunks)
    posts = read_posts(posts_path)
    with contextlib.ExitStack() as stack:
        handle = sys.stdout.buffer if output == "-" else stack.enter_context(Path(output).open("wb"))
        for start in range(0, len(posts), batch_size):
            batch = posts[start : start + batch_size]
            for (post_id, _), matches in zip(batch, matcher.match([t for _, t in batch], k=k), strict=True):
                kept = [m.to_dict() for m in matches if m.score >= min_score]
                handle.write(orjson.dumps({"id": post_id, "matches": kept}) + b"\n")
    log(f"matched {len(posts)} posts against {len(imported.debunks)} debunks")
