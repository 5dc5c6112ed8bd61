from __future__ import annotations

from pathlib import Path

import pytest

from clearspace.errors import InputError
from clearspace.service.settings import Settings


def test_precedence_file_env_overrides(tmp_path: Path) -> None:
    config = tmp_path / "clearspace.toml"
    config.write_text('[clearspace]\ndb = "file.db"\nlease_minutes = 5\nsla_hours = {minors = 0.5}\n')
    settings = Settings.from_env({"CLEARSPACE_LEASE_MINUTES": "7"}, config=config)
    assert settings.db == "file.db" and settings.lease_minutes == 7.0
    assert settings.sla_hours["minors"] == 0.5 and settings.sla_hours["standard"] == 24.0
    assert Settings.from_env({"CLEARSPACE_CONFIG": str(config)}, db="cli.db").db == "cli.db"
    assert Settings.from_env({}).db == "clearspace.db"


def test_errors_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="CLEARSPACE_MAX_BATCH must be a whole number"):
        Settings.from_env({"CLEARSPACE_MAX_BATCH": "lots"})
    bad = tmp_path / "bad.toml"
    bad.write_text("leese_minutes = 3\n")
    with pytest.raises(InputError, match="unknown setting"):
        Settings.from_env({}, config=bad)
    bad.write_text("lease_minutes = \n")
    with pytest.raises(InputError, match="not valid TOML"):
        Settings.from_env({}, config=bad)
    with pytest.raises(InputError, match="cannot read"):
        Settings.from_env({}, config=tmp_path / "missing.toml")


def test_the_debunk_encoder_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearspace.errors import ModelError
    from clearspace.service.factory import build_service, debunk_encoder

    (tmp_path / "my_encoder.py").write_text(
        "import numpy as np\n"
        "class Enc:\n"
        "    name = 'ones'\n"
        "    def encode(self, texts):\n"
        "        return np.ones((len(texts), 4), dtype=np.float32) / 2\n"
        "def make():\n"
        "    return Enc()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert Settings().debunk_encoder == "none" and debunk_encoder("none") is None and debunk_encoder("") is None
    settings = Settings.from_env({"CLEARSPACE_DEBUNK_ENCODER": "my_encoder:make"}, db=str(tmp_path / "e.db"))
    service = build_service(settings)
    try:
        assert service.debunk_index.encoder is not None and service.debunk_index.encoder.name == "ones"
        service.rumors.add_debunks({"id": "d", "claim": "5G towers spread the coronavirus"}, "fc")
        assert service.rumors.search("5G towers spread the coronavirus")[0]["debunk_id"] == "d"
    finally:
        service.store.close()
    with pytest.raises(ModelError):
        debunk_encoder("no_such_module:make")
    with pytest.raises(ModelError):
        debunk_encoder("word2vec")


def test_protection_settings_from_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "clearspace.toml"
    config.write_text('[clearspace]\npileon_detection = false\n\n[[clearspace.support_links]]\n'
                      'kind = "counselling"\ntitle = "Our helpline"\nurl = "https://help.example/"\nlang = "en"\n')
    settings = Settings.from_env({}, config=config)
    assert settings.pileon_detection is False
    assert settings.support_links == ({"kind": "counselling", "title": "Our helpline", "url": "https://help.example/",
                                       "lang": "en", "region": ""},)
    env = {"CLEARSPACE_PILEON_DETECTION": "yes",
           "CLEARSPACE_SUPPORT_LINKS": '[{"kind": "legal_aid", "title": "x", "url": "tel:12348"}]'}
    assert Settings.from_env(env).pileon_detection is True
    assert Settings.from_env(env).support_links[0]["url"] == "tel:12348"
    default = Settings().support_links
    assert {link["kind"] for link in default} == {"legal_aid", "counselling", "police_howto"}
    assert {link["lang"] for link in default} == {"zh", "en"}
    with pytest.raises(InputError, match="true or false"):
        Settings.from_env({"CLEARSPACE_PILEON_DETECTION": "maybe"})
    with pytest.raises(InputError, match="support link 0: 'url' must start with"):
        Settings.from_env({"CLEARSPACE_SUPPORT_LINKS": '[{"kind": "legal_aid", "title": "x", "url": "javascript:x"}]'})
    with pytest.raises(InputError, match="JSON list"):
        Settings.from_env({"CLEARSPACE_SUPPORT_LINKS": "not json"})


def test_the_debunk_reranker_is_a_setting(tmp_path: Path) -> None:
    from clearspace.errors import ModelError
    from clearspace.rumors.matcher import RERANK_THRESHOLD
    from clearspace.rumors.rerank import EmbeddingReranker
    from clearspace.service.factory import build_service, debunk_reranker

    assert Settings().debunk_reranker == "none" and debunk_reranker("none") is None and debunk_reranker("") is None
    assert isinstance(debunk_reranker("e5"), EmbeddingReranker)  # the model loads on first use
    with pytest.raises(ModelError):
        debunk_reranker("bert")
    settings = Settings.from_env({"CLEARSPACE_DEBUNK_RERANKER": "e5"}, db=str(tmp_path / "r.db"))
    service = build_service(settings)
    try:
        matcher = service.debunk_index.registry().matcher
        assert matcher.reranker is service.debunk_index.reranker is not None
        assert matcher.rerank_threshold == RERANK_THRESHOLD and matcher.threshold == 0.25 and matcher.encoder is None
    finally:
        service.store.close()


def test_pileon_mode_is_checked() -> None:
    with pytest.raises(InputError, match="pileon_mode must be one of local, shared, got 'cluster'"):
        Settings(pileon_mode="cluster")
    with pytest.raises(InputError, match="CLEARSPACE_PILEON_MODE must be one of local, shared"):
        Settings.from_env({"CLEARSPACE_PILEON_MODE": "Shared!"})
    assert Settings.from_env({"CLEARSPACE_PILEON_MODE": "shared"}).pileon_mode == "shared"
    assert Settings().pileon_mode == "local"
    with pytest.raises(InputError, match="less than pileon_lease_seconds"):
        Settings(pileon_tick_seconds=10, pileon_lease_seconds=10)
    with pytest.raises(InputError, match="pileon_reread_seconds"):
        Settings(pileon_reread_seconds=-1)
