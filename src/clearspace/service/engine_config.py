"""The service's scoring engine built from its settings: the operator's policy, lexicons, model and
encoder (the options ``clearspace scan`` has), each file checked when the service starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clearspace.errors import InputError
from clearspace.service.settings import Settings

NONE = ("", "none")


def engine_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of :class:`clearspace.engine.Engine` for ``settings``; InputError naming the setting
    when a file it names does not exist."""
    for name, paths in (("policy", [settings.policy]), ("model", [settings.model]), ("lexicons", settings.lexicons)):
        for path in paths:
            if path and not Path(path).is_file():
                raise InputError(f"setting {name}: no file {path}")
    encoder = settings.encoder.strip()
    return {"policy": settings.policy or None, "lexicon_paths": tuple(settings.lexicons),
            "model_path": settings.model or None, "encoder": None if encoder.lower() in NONE else encoder,
            "embed_band": settings.embed_band}


def build_engine(settings: Settings) -> Any:
    """The :class:`~clearspace.engine.Engine` of ``settings`` (loaded on first use or by ``warm_up``)."""
    from clearspace.engine import Engine

    return Engine(**engine_options(settings))
