"""Partitions: stable, spread, and keyed by the person an event is about."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from clearspace.service.partitions import chain_of_partition, partition_of, partition_of_key, routing_key


def test_routing_key_prefers_target_then_author_then_id() -> None:
    assert routing_key("e1", {"target_user": "u9", "author": "a1"}) == "t:u9"
    assert routing_key("e1", {"author": "a1"}) == "a:a1"
    assert routing_key("e1", {"target_user": "", "author": None}) == "e:e1"


def test_every_event_about_one_person_shares_a_partition() -> None:
    parts = {partition_of(f"e{i}", {"target_user": "victim", "author": f"a{i}"}) for i in range(200)}
    assert len(parts) == 1


def test_partitions_are_in_range_and_spread() -> None:
    counts = Counter(partition_of_key(f"a:user{i}", 16) for i in range(16_000))
    assert set(counts) == set(range(16))
    assert max(counts.values()) < 1.2 * min(counts.values())


def test_hash_is_stable_across_processes() -> None:
    code = "from clearspace.service.partitions import partition_of_key as p; print(p('t:张三', 16), p('a:x', 7))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert runs == {f"{partition_of_key('t:张三', 16)} {partition_of_key('a:x', 7)}\n"}


def test_bad_partition_count_is_refused() -> None:
    with pytest.raises(ValueError):
        partition_of_key("a:x", 0)
    assert chain_of_partition(3) == "p3"
