"""Shadow mode: a candidate scores beside the active engine without acting; disagreements are stored."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from importlib.resources import files
from pathlib import Path

import pytest

from clearspace.errors import Conflict, InputError, ModelError, NotFound, PolicyError
from clearspace.service.core import Service
from clearspace.service.settings import Settings
from clearspace.service.shadow_candidates import CandidateSpec, Judgement, ShadowItem

DEFAULT = files("clearspace").joinpath("data/policy/default.yaml").read_text(encoding="utf-8")
STRICTER = re.sub(r"(?m)^version: \d+$", "version: 7", DEFAULT.replace("name: default\n", "name: stricter\n")).replace(
    "    action: nudge\n    category: abuse\n    priority: 10\n",
    "    action: hold\n    category: abuse\n    priority: 10\n")
EVENTS = [
    {"id": "e1", "text": "你这个傻逼", "author": "a1"},      # default: nudge; stricter: hold
    {"id": "e2", "text": "今天天气不错", "author": "a2"},     # allow in both
    {"id": "e3", "text": "you idiot", "author": "a3"},      # nudge -> hold
    {"id": "e4", "text": "杀了你", "author": "a4"},          # remove in both (threat)
]


def stored_decisions(service: Service) -> list[tuple[str, str]]:
    with service.store.read() as tx:
        return sorted((r["event_id"], r["action"]) for r in tx.select("decisions"))


def test_policy_candidate_disagreements_are_counted_with_examples(service: Service) -> None:
    assert "action: hold\n    category: abuse\n    priority: 10" in STRICTER
    run = service.learning.start_shadow(CandidateSpec(policy=STRICTER), "admin:ops")
    assert run["status"] == "running" and run["label"] == "policy stricter@7"
    answers = service.ingest.events(EVENTS)
    assert service.shadow.drain(10)
    summary = service.learning.shadow_summary()
    assert summary["run"]["compared"] == 4 and summary["run"]["disagreed"] == 2
    assert summary["counts"] == {"action:nudge->hold": 2}
    assert {e["event_id"] for e in summary["examples"]} == {"e1", "e3"}
    example = next(e for e in summary["examples"] if e["event_id"] == "e1")
    assert example["text"] == "你这个傻逼" and example["active"]["action"] == "nudge"
    assert example["candidate"]["action"] == "hold" and "abuse-nudge@1" in example["candidate"]["rules"]
    # the candidate never acted: the stored decisions are the active engine's
    assert [a["action"] for a in answers] == ["nudge", "allow", "nudge", "remove"]
    assert stored_decisions(service) == [("e1", "nudge"), ("e2", "allow"), ("e3", "nudge"), ("e4", "remove")]
    assert service.learning.shadow_summary(kind="action:nudge->hold", limit=1)["examples"][0]["event_id"] in ("e1",
                                                                                                              "e3")
    assert service.learning.shadow_summary(kind="abusive:false->true")["examples"] == []


def test_start_and_stop_are_audited_and_one_run_at_a_time(service: Service) -> None:
    service.learning.start_shadow(CandidateSpec(policy=STRICTER), "admin:ops")
    with pytest.raises(Conflict, match="already running"):
        service.learning.start_shadow(CandidateSpec(policy=DEFAULT), "admin:ops")
    stopped = service.learning.stop_shadow("admin:ops")
    assert stopped["status"] == "stopped" and stopped["stopped_by"] == "admin:ops"
    with pytest.raises(NotFound):
        service.learning.stop_shadow("admin:ops")
    service.ingest.events(EVENTS[:1])
    assert service.learning.shadow_summary()["run"]["compared"] == 0  # nothing is judged after the stop
    kinds = [r["kind"] for r in service.admin.audit_page(limit=10)]
    assert "shadow.started" in kinds and "shadow.stopped" in kinds


@pytest.mark.parametrize(("spec", "error", "message"), [
    (CandidateSpec(policy="name: x\nversion: 1\nrules:\n  - name: r\n    version: 1\n"
                          "    when: {signal: abuse, min: 2}\n    action: hold\n"),
     PolicyError, "<candidate policy>:6"),
    (CandidateSpec(model_path="/nowhere/model.npz"), ModelError, "no model file"),
    (CandidateSpec(version="v7"), NotFound, "v7"),  # no such stored version
    (CandidateSpec(model_path="/tmp/a\x00b"), ModelError, "no model file"),
    (CandidateSpec(model_path="/" + "x" * 5000), ModelError, "no model file"),
])
def test_a_bad_candidate_fails_at_start_and_nothing_runs(service: Service, spec: CandidateSpec,
                                                         error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        service.learning.start_shadow(spec, "admin:ops")
    assert service.learning.shadow_summary()["run"] is None
    assert service.ingest.events(EVENTS[:1])[0]["action"] == "nudge"


def test_an_empty_spec_is_refused() -> None:
    with pytest.raises(InputError, match="needs a policy"):
        CandidateSpec()


def test_a_malformed_model_file_is_a_model_error(service: Service, tmp_path: Path) -> None:
    bad = tmp_path / "model.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a model")
    with pytest.raises(ModelError, match="cannot read model"):
        service.learning.start_shadow(CandidateSpec(model_path=str(bad)), "admin:ops")


class Exploding:
    label = "explodes"

    def judge(self, items: Sequence[ShadowItem]) -> list[Judgement | None]:
        raise RuntimeError("candidate crashed")


class Blocking:
    """Judges nothing until released, so the queue fills up."""

    label = "blocks"

    def __init__(self) -> None:
        self.release = threading.Event()

    def judge(self, items: Sequence[ShadowItem]) -> list[Judgement | None]:
        self.release.wait(10)
        return [Judgement("remove", True, 1.0) for _ in items]


def test_a_failing_candidate_never_touches_the_active_decision(service: Service) -> None:
    service.shadow.loader = lambda spec, active: Exploding()
    service.learning.start_shadow(CandidateSpec(policy=DEFAULT), "admin:ops")
    answers = service.ingest.events(EVENTS)
    assert service.shadow.drain(10)
    assert [a["action"] for a in answers] == ["nudge", "allow", "nudge", "remove"]
    run = service.learning.shadow_summary()["run"]
    assert (run["errors"], run["compared"], run["disagreed"]) == (4, 0, 0)


def test_when_behind_posts_are_dropped_and_counted(open_service: Callable[..., Service]) -> None:
    service = open_service(settings=Settings(shadow_queue_size=2))
    blocking = Blocking()
    service.shadow.loader = lambda spec, active: blocking
    service.learning.start_shadow(CandidateSpec(policy=DEFAULT), "admin:ops")
    events = [{"id": f"q{i}", "text": "you idiot"} for i in range(20)]
    for event in events:
        service.ingest.events(event)  # never waits on the blocked candidate
    blocking.release.set()
    assert service.shadow.drain(10)
    service.learning.shadow_tick()
    run = service.learning.shadow_summary()["run"]
    assert run["compared"] + run["dropped"] == 20 and run["dropped"] >= 15
    assert run["disagreed"] == run["compared"]
    assert service.learning.shadow_summary()["counts"]["action:nudge->remove"] == run["compared"]


def test_sample_rate_and_examples_cap(open_service: Callable[..., Service]) -> None:
    service = open_service(settings=Settings(shadow_sample_rate=0.5, shadow_examples_per_kind=3))
    service.learning.start_shadow(CandidateSpec(policy=STRICTER), "admin:ops")
    service.ingest.events([{"id": f"s{i}", "text": "you idiot"} for i in range(200)])
    assert service.shadow.drain(10)
    summary = service.learning.shadow_summary(limit=100)
    assert 60 <= summary["run"]["compared"] <= 140  # about half, by a hash of the event id
    assert summary["counts"]["action:nudge->hold"] == summary["run"]["compared"]
    assert len(summary["examples"]) == 3


def test_every_process_follows_the_run_in_the_store(open_service: Callable[..., Service]) -> None:
    cli, worker = open_service(), open_service()
    cli.learning.start_shadow(CandidateSpec(policy=STRICTER), "cli")
    cli.shadow.close()  # the CLI exits; the run stays in the store
    worker.ingest.events(EVENTS[:1])
    assert worker.shadow.local()["run_id"] is None  # not followed before the next tick
    worker.learning.shadow_tick()
    assert worker.shadow.local()["candidate"] == "policy stricter@7"
    worker.ingest.events(EVENTS[2:3])
    assert worker.shadow.drain(10)
    assert worker.learning.shadow_summary()["counts"] == {"action:nudge->hold": 1}
    cli.learning.stop_shadow("cli")
    worker.learning.shadow_tick()
    assert worker.shadow.local()["run_id"] is None


def test_a_candidate_that_cannot_load_in_a_process_is_reported_not_retried(
        open_service: Callable[..., Service]) -> None:
    first = open_service()
    first.learning.start_shadow(CandidateSpec(policy=STRICTER), "cli")
    second = open_service()
    calls: list[int] = []

    def failing(spec: CandidateSpec, active: object) -> Exploding:
        calls.append(1)
        raise ModelError("the model file is not on this host")

    second.shadow.loader = failing  # type: ignore[assignment]
    second.learning.shadow_tick()
    second.learning.shadow_tick()
    assert calls == [1] and "not on this host" in second.shadow.local()["load_error"]
    assert second.ingest.events(EVENTS[:1])[0]["action"] == "nudge"


def test_model_file_candidate_scores_again_with_a_second_engine(service: Service) -> None:
    shipped = files("clearspace").joinpath("data/models/abuse.npz")
    run = service.learning.start_shadow(CandidateSpec(model_path=str(shipped)), "admin:ops")
    assert run["label"] == "model abuse.npz" and run["candidate"]["model_path"] == str(shipped)
    service.ingest.events(EVENTS)
    assert service.shadow.drain(60)
    summary = service.learning.shadow_summary()
    assert summary["run"]["compared"] == 4 and summary["run"]["errors"] == 0
    # the keyword stand-in and the real model disagree about at least one of these posts
    assert summary["run"]["disagreed"] == sum(1 for e in summary["examples"]) >= 1


class Timed:
    """Takes 50 ms per batch and notes when each batch started."""

    label = "timed"

    def __init__(self) -> None:
        self.starts: list[float] = []

    def judge(self, items: Sequence[ShadowItem]) -> list[Judgement | None]:
        import time

        self.starts.append(time.monotonic())
        time.sleep(0.05)
        return [item.active for item in items]


def test_the_shadow_thread_rests_to_stay_within_its_busy_share(open_service: Callable[..., Service]) -> None:
    service = open_service(settings=Settings(shadow_max_busy=0.2))
    timed = Timed()
    service.shadow.loader = lambda spec, active: timed
    service.learning.start_shadow(CandidateSpec(policy=DEFAULT), "admin:ops")
    service.ingest.events([{"id": f"t{i}",
                            "text": "hello"} for i in range(130)])  # at least three batches (64 at most each)
    assert service.shadow.drain(10)
    assert len(timed.starts) >= 3
    gaps = [b - a for a, b in zip(timed.starts, timed.starts[1:], strict=False)]
    assert all(gap >= 0.05 + 0.2 - 0.01 for gap in gaps), gaps  # 50 ms of work, then 200 ms of rest
    service.shadow.close()
    with pytest.raises(InputError, match="shadow_max_busy"):
        Settings(shadow_max_busy=0)


def test_a_policy_candidate_sees_the_verdicts_target_and_stance(service: Service) -> None:
    from clearspace.policy import parse_policy
    from clearspace.result import ScoreResult
    from clearspace.service.events import Event
    from clearspace.service.shadow import _item
    from clearspace.service.shadow_candidates import PolicyCandidate
    from clearspace.types import Signal

    policy = parse_policy("name: p\nversion: 1\nrules:\n  - name: condemn\n    version: 1\n"
                          "    when: {context: stance, equals: quoting_to_condemn}\n    action: label\n")
    result = ScoreResult("q1", False, "allow", {"abuse": 0.2}, (Signal("abuse", 0.2),), stance="quoting_to_condemn")
    item = _item(Event(id="q1", text="他说“你是傻逼”，这太过分了", type="post", context={}), result, {})
    assert PolicyCandidate(policy).judge([item])[0].action == "label"  # type: ignore[union-attr]


def test_a_stored_model_version_runs_in_shadow(open_service: Callable[..., Service]) -> None:
    from clearspace.engine import Engine
    from tests.learning_data import community

    service = open_service(engine=Engine())
    data = community(120, seed=4)
    service.ingest.events([{"id": f"c{i}", "author": f"u{i % 5}", "text": text} for i, (text, _) in enumerate(data)])
    service.learning.add_labels([{"event_id": f"c{i}", "abusive": abusive} for i, (_, abusive) in enumerate(data)],
                                "moderator:carol")
    version = service.learning.train_model("cli", holdout=0.25, seed=3)["version"]
    run = service.learning.start_shadow(CandidateSpec(version=version), "admin:ops")
    assert run["label"] == f"model version {version}"
    service.ingest.events(EVENTS)
    assert service.shadow.drain(60)
    assert service.learning.shadow_summary()["run"]["compared"] == len(EVENTS)
    service.learning.stop_shadow("admin:ops")
    with pytest.raises(NotFound):
        service.learning.start_shadow(CandidateSpec(version="no-such-version"), "admin:ops")


def test_migration_13_tables_hold_a_run_and_its_disagreements(service: Service) -> None:
    from clearspace.store.schema import KEYS, LATEST

    assert LATEST >= 13 and service.store.schema_version() == LATEST
    assert KEYS["shadow_runs"] == "id" and KEYS["shadow_disagreements"] == "id"
    policy = ("name: p\nversion: 2\nrules:\n  - name: all\n    version: 1\n"
              "    when: {signal: abuse, min: 0}\n    action: label\n")
    run = service.learning.start_shadow(CandidateSpec(policy=policy), "admin:ops")
    service.ingest.events([{"id": "a", "text": "hello"}, {"id": "b", "text": "you idiot"}])
    assert service.shadow.drain(10)
    summary = service.learning.shadow_summary(run["id"])
    assert summary["counts"] == {"action:allow->label": 1, "action:nudge->label": 1}
    assert sorted(e["event_id"] for e in summary["examples"]) == ["a", "b"]
    assert summary["examples"][0]["candidate"]["rules"] == ["all@1"]
