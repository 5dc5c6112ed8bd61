"""The detector's map from posts to their authors: a dict's answers in flat arrays (issue 11, point 10)."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from clearspace.errors import InputError
from clearspace.protection.posts import PostAuthors


@pytest.mark.parametrize("capacity", [1, 2, 17, 700])
def test_answers_like_a_dict_that_forgets_its_oldest_post(capacity: int) -> None:
    posts = PostAuthors(capacity)
    model: dict[str, str] = {}
    order: list[str] = []
    rng = random.Random(capacity)
    for n in range(6000):
        post, author = f"p{rng.randrange(3 * capacity)}", f"a{n}"
        if post not in model:
            if len(order) == capacity:
                del model[order.pop(0)]
            order.append(post)
        model[post] = author
        posts.add(post, author)
        if n % 50 == 0:
            assert all(posts.get(f"p{i}") == model.get(f"p{i}") for i in range(3 * capacity))
            assert len(posts) == len(model) <= capacity


def test_a_known_post_keeps_its_first_author_unless_replaced() -> None:
    posts = PostAuthors(10)
    posts.add("link:https://x.test/a", "first")
    posts.add("link:https://x.test/a", "second", replace=False)
    assert posts.get("link:https://x.test/a") == "first"
    posts.add("link:https://x.test/a", "third")
    assert posts.get("link:https://x.test/a") == "third" and len(posts) == 1
    assert posts.get("never-seen") is None


def test_runs_of_colliding_slots_survive_deletion() -> None:
    # a tiny table whose slots all collide often: every deletion shifts a run back
    posts = PostAuthors(8)
    for n in range(5000):
        posts.add(f"k{n}", f"a{n}")
        live = range(max(0, n - 7), n + 1)
        assert [posts.get(f"k{i}") for i in live] == [f"a{i}" for i in live]
        assert posts.get(f"k{n - 8}") is None


def test_memory_is_flat_once_full() -> None:
    posts = PostAuthors(20_000)
    authors = [f"user{i}" for i in range(500)]
    for n in range(20_000):
        posts.add(f"post-{n}", authors[n % 500])
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(20_000, 120_000):
            posts.add(f"post-{n}", authors[n % 500])
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(posts) == 20_000 and posts.get("post-119999") == "user499" and posts.get("post-99999") is None
    assert grown < 4096  # 100,000 more posts, not a byte a post


def test_refuses_a_capacity_below_one() -> None:
    with pytest.raises(InputError, match="capacity"):
        PostAuthors(0)
