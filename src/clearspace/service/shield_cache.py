"""Every shield in force, mirrored in memory so ``POST /v1/shield/check`` never waits for the database.

The mirror is loaded once (shields not turned off and not expired) and then refreshed from the
rows whose ``updated_at`` moved (turning a shield on, replacing it and turning it off all set
``updated_at``), at most every ``refresh_s`` seconds. Changes made through this process are
applied at once; changes made by another process (another worker, the CLI, another host on the
same PostgreSQL) show within ``refresh_s`` (1 s by default). Each refresh re-reads the rows of
the last ``margin_s`` seconds as well, so a transaction that committed late, or a host whose clock
lags, is not missed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from clearspace.protection.shield import Shield
from clearspace.service.clock import iso, parse_time
from clearspace.service.shields import from_row
from clearspace.store import Op, Row, Store

PRUNE_EVERY_S = 60.0


class ShieldCache:
    """``get(account)`` answers from memory; ``refresh()`` catches up with the store."""

    def __init__(self, store: Store, now: Callable[[], float], *, refresh_s: float = 1.0,
                 margin_s: float = 60.0) -> None:
        self.store = store
        self.now = now
        self.refresh_s = refresh_s
        self.margin_s = margin_s
        self._shields: dict[str, Shield] = {}
        self._seen: str | None = None  # highest updated_at applied; None: not loaded yet
        self._due = 0.0  # monotonic time of the next refresh
        self._pruned = 0.0
        self._lock = threading.Lock()

    def get(self, account: str, *, refresh: bool = True) -> Shield | None:
        """The account's shield (possibly expired: :func:`check` looks at the time), or None.

        With ``refresh=False`` (the event loop's fast path, where a background thread refreshes)
        the store is read only if no refresh happened for five intervals.
        """
        moment = time.monotonic()
        if moment >= self._due + (0.0 if refresh else 4 * self.refresh_s):
            self.refresh()
        return self._shields.get(account)

    def refresh(self) -> None:
        """Load the mirror, or apply the rows changed since the last refresh."""
        with self._lock:
            now = self.now()
            with self.store.read() as tx:
                if self._seen is None:
                    rows = tx.select("shields", {"ended_at": None, "expires_at": Op(">", now)})
                else:
                    since = iso(parse_time(self._seen, "updated_at") - timedelta(seconds=self.margin_s))
                    rows = tx.select("shields", {"updated_at": Op(">=", since)})
            self._apply(rows, now)
            moment = time.monotonic()
            self._due = moment + self.refresh_s
            if moment - self._pruned > PRUNE_EVERY_S:
                self._pruned = moment
                for account in [a for a, s in self._shields.items() if s.expires_at <= now]:
                    del self._shields[account]

    def _apply(self, rows: list[Row], now: float) -> None:
        seen = self._seen or iso(datetime.fromtimestamp(now, UTC))
        for row in rows:
            seen = max(seen, row["updated_at"])
            if row["ended_at"] is not None or float(row["expires_at"]) <= now:
                self._shields.pop(row["account"], None)
            else:
                self._shields[row["account"]] = from_row(row)
        self._seen = seen

    def put(self, shield: Shield) -> None:
        """This process turned ``shield`` on (after its transaction committed)."""
        with self._lock:
            self._shields[shield.account] = shield

    def drop(self, account: str) -> None:
        """This process turned the account's shield off."""
        with self._lock:
            self._shields.pop(account, None)

    def __len__(self) -> int:
        return len(self._shields)
