from __future__ import annotations

from clearspace.service.stub_engine import KeywordEngine


def test_keyword_engine_runs_the_real_policy_with_spans() -> None:
    engine = KeywordEngine().warm_up()
    assert engine.score("hello there").action == "allow"
    threat = engine.score("你就是个傻逼 去死吧")
    assert threat.action == "hold" and "threat-review@2" in threat.rules
    assert any(s.spans == ((4, 6),) for s in threat.signals if s.kind == "lexicon.insult")
    dox = next(iter(engine.score_many([{"text": "他的手机号是13812345678，住在幸福小区3栋", "id": 1}])))
    assert dox.action == "remove" and dox.id == 1
