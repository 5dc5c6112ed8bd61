"""The message bus of bus mode (issue 15, docs/scaleout.md): a small protocol (:mod:`.base`) and its
first implementation over NATS JetStream (:mod:`.jetstream`, the official ``nats-py`` client).

Infrastructure, like ``store/``: nothing here imports the service. :mod:`.loop` runs the bus's
asyncio client on its own thread so that the (threaded) service and the HTTP event loop can both
use it.
"""

from clearspace.bus.base import Bus, BusInfo, DeadLetter, Delivery, PartitionInfo
from clearspace.bus.names import Names

__all__ = ["Bus", "BusInfo", "DeadLetter", "Delivery", "Names", "PartitionInfo"]
