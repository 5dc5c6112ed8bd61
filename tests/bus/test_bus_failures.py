"""The worker's own count of failed tries decides the dead letters, not the bus's delivery count
(which also counts deliveries lost to pulls that timed out)."""

from __future__ import annotations

from clearspace.service.bus_failures import BUS_BOUND, FailureCounts


def test_a_message_goes_to_the_dead_letters_at_its_nth_failed_try_whatever_the_bus_counted() -> None:
    counts = FailureCounts(3)
    # the bus says 3 deliveries at the first failure (two lost to timed-out pulls): not dead yet
    assert counts.failed(0, 7, deliveries=3) == (1, False)
    assert counts.failed(0, 7, deliveries=4) == (2, False)
    assert counts.failed(0, 7, deliveries=5) == (3, True)
    assert len(counts) == 0  # a dead message is forgotten


def test_messages_are_counted_apart_and_forgotten_once_decided() -> None:
    counts = FailureCounts(2)
    assert counts.failed(0, 1, 1) == (1, False)
    assert counts.failed(1, 1, 1) == (1, False)  # same sequence, other partition
    counts.settled(0, 1)
    assert counts.failed(0, 1, 2) == (1, False)  # decided in between: counting starts again
    assert counts.failed(1, 1, 2) == (2, True)


def test_a_partition_taken_over_is_bounded_by_the_bus_count() -> None:
    counts = FailureCounts(5)
    counts.failed(3, 9, 1)
    counts.failed(2, 4, 1)
    counts.drop(3)
    assert len(counts) == 1
    # a message that failed in the worker that lost its partition: the bus's count bounds it here
    assert counts.failed(3, 9, deliveries=5 * BUS_BOUND - 1) == (1, False)
    assert counts.failed(3, 9, deliveries=5 * BUS_BOUND) == (2, True)
