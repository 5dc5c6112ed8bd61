from __future__ import annotations

import pytest

from clearspace.service.batcher import Batcher


def test_merges_submissions_and_splits_results() -> None:
    calls: list[int] = []

    def handle(items: list[int]) -> list[int]:
        calls.append(len(items))
        return [i * 2 for i in items]

    batcher: Batcher[int, int] = Batcher(handle, max_items=100)
    futures = [batcher.submit([i, i + 1], autostart=False) for i in range(0, 20, 2)]  # queued before the thread starts
    batcher.start()
    assert [f.result(timeout=5) for f in futures] == [[i * 2, i * 2 + 2] for i in range(0, 20, 2)]
    assert sum(calls) == 20 and len(calls) < 10
    batcher.stop()


def test_errors_reach_every_waiting_request() -> None:
    def handle(items: list[int]) -> list[int]:
        raise RuntimeError("disk full")

    batcher: Batcher[int, int] = Batcher(handle).start()
    with pytest.raises(RuntimeError, match="disk full"):
        batcher.submit([1]).result(timeout=5)
    batcher.stop()


def test_a_failing_submission_fails_alone_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    """One bad item in a merged batch: the batch is handled again one submission at a time, so
    only the bad submission gets the error; the others get their results (issue 11, point 2)."""
    calls: list[list[int]] = []

    def handle(items: list[int]) -> list[int]:
        calls.append(list(items))
        if -1 in items:
            raise RuntimeError("value too deep to store")
        return [i * 2 for i in items]

    batcher: Batcher[int, int] = Batcher(handle, max_items=100, name="t")
    futures = [batcher.submit(items, autostart=False) for items in ([1, 2], [-1], [3], [4, 5])]
    with caplog.at_level("ERROR", logger="clearspace.batcher"):
        batcher.start()
        results = []
        for future in futures:
            try:
                results.append(future.result(timeout=5))
            except RuntimeError as exc:
                results.append(str(exc))
    batcher.stop()
    assert results == [[2, 4], "value too deep to store", [6], [8, 10]]
    assert calls[0] == [1, 2, -1, 3, 4, 5]
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and errors[0].exc_info is not None and "value too deep" in str(errors[0].exc_info[1])
