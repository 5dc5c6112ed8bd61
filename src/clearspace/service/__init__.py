"""The clearspace service: one :class:`~clearspace.service.core.Service` object over a store.

Modules hold one idea each: ``events`` (checking input), ``ingest`` (score and record),
``decisions`` and ``statements`` (statements of reasons, DSA fields), ``cases`` (queues, leases,
SLA), ``reports`` and ``brigade`` (notice and action), ``appeals``, ``strikes`` (graduated
restrictions), ``audit`` (hash chain), ``transparency``, ``access`` and ``ratelimit`` (API keys),
``webhooks`` (outbox delivery) and ``demo`` (a synthetic community). Import
``clearspace.service.core.Service``; nothing here does work at import time.
"""
