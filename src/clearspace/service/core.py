"""The service object: its lifecycle, and one facade per domain (issue 14 point 18).

The HTTP API, the console and the CLI are thin shells over :class:`Service`: they call the typed public
methods of its facades (``service.cases.decide(...)``, ``service.ingest.events(...)``), which take plain
values, return JSON-ready values and raise errors from :mod:`clearspace.errors`. The facades share one
:class:`~clearspace.service.context.ServiceContext`; the rules live in the domain modules they call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from clearspace.model.embeddings import Encoder
from clearspace.plugins.config import PluginSet
from clearspace.rumors.matcher import Reranker
from clearspace.service import pipeline
from clearspace.service.clock import Clock, system_clock
from clearspace.service.context import ServiceContext
from clearspace.service.events import Event
from clearspace.service.facades.accounts import AccountsFacade
from clearspace.service.facades.admin import AdminFacade
from clearspace.service.facades.cases import CasesFacade
from clearspace.service.facades.ingest import IngestFacade
from clearspace.service.facades.learning import LearningFacade
from clearspace.service.facades.protection import ProtectionFacade
from clearspace.service.facades.rumors import RumorsFacade
from clearspace.service.ids import IdFactory
from clearspace.service.partitions import ADMIN_CHAIN
from clearspace.service.ratelimit import RateLimiter
from clearspace.service.results import Answer
from clearspace.service.settings import Settings
from clearspace.service.unit import Unit
from clearspace.store import Store


class Service:
    """clearspace as a service over one :class:`~clearspace.store.Store`.

    ``engine`` defaults to the fast configuration (built on first use or by :meth:`warm_up`); ``clock`` and
    ``ids`` are injectable for tests. ``debunk_encoder`` embeds texts for claim matching (``None``: lexical
    matching only); ``debunk_reranker`` re-ranks its short list (``None``: off, the default, as it costs one
    e5 embedding per post).
    """

    def __init__(self, store: Store, *, engine: pipeline.ScoringEngine | None = None, settings: Settings | None = None,
                 clock: Clock = system_clock, ids: IdFactory | None = None,
                 debunk_encoder: Encoder | None = None, debunk_reranker: Reranker | None = None) -> None:
        self.context = ServiceContext(store, engine=engine, settings=settings or Settings(), clock=clock,
                                      ids=ids or IdFactory(), debunk_encoder=debunk_encoder,
                                      debunk_reranker=debunk_reranker)
        self.ingest = IngestFacade(self.context)
        self.cases = CasesFacade(self.context)
        self.protection = ProtectionFacade(self.context)
        self.rumors = RumorsFacade(self.context)
        self.accounts = AccountsFacade(self.context)
        self.admin = AdminFacade(self.context)
        self.learning = LearningFacade(self.context)

    # ------------------------------------------------------------------ lifecycle
    def warm_up(self) -> Service:
        """Load the engine's model and tables now rather than on the first event; rebuild the
        pile-on detector from the stored events (local mode; in shared mode the lease holder
        rebuilds when it takes the lease); load the shields in force."""
        self.context.scoring()
        self.context.policy_at_start()
        self.context.pileons_ready()
        self.context.shield_cache.refresh()
        return self

    def stop_threads(self) -> None:
        """Stop this process's background threads (the shadow worker), writing what they hold; the store stays open."""
        self.context.shadow.close()

    def close(self) -> None:
        """Stop the background threads and release the store's connections (the end of a CLI command)."""
        self.stop_threads()
        self.context.store.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the two entries of bus workers
    def check_events(self, raw: Any) -> list[Event]:
        """:meth:`IngestFacade.check` (kept here for the bus worker)."""
        return self.ingest.check(raw)

    def ingest_events(self, events: list[Event], actor: str = "ingest", *,
                      in_transaction: pipeline.InTransaction | None = None) -> list[Answer]:
        """:meth:`IngestFacade.checked` (kept here for the HTTP batcher and the bus worker)."""
        return self.ingest.checked(events, actor, in_transaction=in_transaction)

    # ------------------------------------------------------------------ for scripts and tests (not the faces)
    def unit(self, *, chains: Sequence[str] = (ADMIN_CHAIN,),
             locks: Iterable[str] = ()) -> AbstractContextManager[Unit]:
        """A transaction of this service (:meth:`ServiceContext.unit`)."""
        return self.context.unit(chains=chains, locks=locks)

    def now(self) -> str:
        return self.context.now()

    @property
    def store(self) -> Store:
        return self.context.store

    @property
    def settings(self) -> Settings:
        return self.context.settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self.context.settings = value

    @property
    def clock(self) -> Clock:
        return self.context.clock

    @property
    def ids(self) -> IdFactory:
        return self.context.ids

    @property
    def engine(self) -> pipeline.ScoringEngine | None:
        return self.context.engine

    @property
    def limiter(self) -> RateLimiter:
        return self.context.limiter

    @limiter.setter
    def limiter(self, value: RateLimiter) -> None:
        self.context.limiter = value

    @property
    def plugin_set(self) -> PluginSet:
        return self.context.plugin_set

    @plugin_set.setter
    def plugin_set(self, value: PluginSet) -> None:
        self.context.plugin_set = value

    @property
    def shadow(self) -> Any:
        return self.context.shadow

    @property
    def pileons(self) -> Any:
        return self.context.pileons

    @pileons.setter
    def pileons(self, value: Any) -> None:  # bus mode: the workers detect pile-ons per partition
        self.context.pileons = value

    @property
    def shared_pileons(self) -> Any:
        return self.context.shared_pileons

    @shared_pileons.setter
    def shared_pileons(self, value: Any) -> None:
        self.context.shared_pileons = value

    @property
    def announce(self) -> Callable[[str, Mapping[str, Any]], None]:
        """Tells the other nodes of a change (bus mode, service/bus_caches.py); does nothing when embedded."""
        return self.context.announce

    @announce.setter
    def announce(self, value: Callable[[str, Mapping[str, Any]], None]) -> None:
        self.context.announce = value

    @property
    def debunk_index(self) -> Any:
        return self.context.debunk_index

    @property
    def shield_cache(self) -> Any:
        return self.context.shield_cache
