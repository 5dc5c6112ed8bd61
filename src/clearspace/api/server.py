"""Building the app from settings, for ``clearspace serve`` (also with several worker processes).

``uvicorn --factory clearspace.api.server:app_from_env`` works too; it reads ``CLEARSPACE_*``
environment variables (``CLEARSPACE_DB`` for the database file; ``clearspace serve --workers N``
also sets ``CLEARSPACE_PILEON_MODE=shared``, so the workers detect pile-ons over each other's events).
"""

from __future__ import annotations

from fastapi import FastAPI

from clearspace.api.app import create_app


def app_from_env() -> FastAPI:
    """A warmed-up app over the database named by ``CLEARSPACE_DB`` (default ``clearspace.db``).

    In a worker of ``serve --workers N`` the process is first tied to the supervisor's life
    (:mod:`clearspace.api.lifeline`)."""
    from clearspace.api.lifeline import tie_to_supervisor

    tie_to_supervisor()
    from clearspace.service.factory import build_service, lexical_debunks_warning
    from clearspace.service.malloc import fix_mmap_threshold
    from clearspace.service.settings import Settings

    settings = Settings.from_env()
    fix_mmap_threshold(settings.malloc_mmap_threshold_kib)
    service = build_service(settings).warm_up()
    lexical_debunks_warning(service.settings.debunk_encoder)
    import gc

    gc.collect()
    gc.freeze()  # the model and tables stay out of the collector's sight: shorter pauses while serving
    return create_app(service, deliver_webhooks=True, protection_jobs=True)
