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
    with pytest.raises(InputError, match="CLEARSPACE_MAX_BATCH must be a int"):
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
