"""How many times each message failed in this worker, which decides when it goes to the dead letters.

The bus's own delivery count is no count of failures: JetStream also counts a delivery lost to a pull
that timed out just as the message came (it is delivered again after the ack wait), so on a loaded
machine a message that failed once can already show three deliveries. The worker counts the tries that
failed itself, and a message goes to the dead letters at its ``bus_max_deliver``-th failed try. A count
lives only in the worker that made it: a message that failed in a worker that lost its partition
starts again from nought in the next, so the bus's count bounds it there (``BUS_BOUND`` times the
setting).
"""

from __future__ import annotations

import threading
from typing import Final

BUS_BOUND: Final = 2  # the bus's deliveries, in multiples of the setting, that dead-letter whatever this worker counted


class FailureCounts:
    """Failed tries per message (partition, sequence), for the messages still pending in this worker."""

    def __init__(self, max_tries: int) -> None:
        self.max_tries = max_tries
        self._tries: dict[tuple[int, int], int] = {}
        self._lock = threading.Lock()

    def failed(self, partition: int, seq: int, deliveries: int) -> tuple[int, bool]:
        """Count a failed try: how many this worker has seen, and whether the message goes to the dead letters."""
        key = (partition, seq)
        with self._lock:
            tries = self._tries.get(key, 0) + 1
            dead = tries >= self.max_tries or deliveries >= self.max_tries * BUS_BOUND
            if dead:
                self._tries.pop(key, None)
            else:
                self._tries[key] = tries
        return tries, dead

    def settled(self, partition: int, seq: int) -> None:
        """The message was decided (acknowledged): forget its failures."""
        with self._lock:
            self._tries.pop((partition, seq), None)

    def drop(self, partition: int) -> None:
        """This worker no longer owns ``partition``: forget its messages."""
        with self._lock:
            for key in [k for k in self._tries if k[0] == partition]:
                del self._tries[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._tries)
