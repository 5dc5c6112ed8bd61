"""Which account wrote a post: the pile-on detector's map from post ids to authors, in fixed memory.

The detector needs the author of a post that sent people somewhere (a reply's parent, a shared link)
to tell a referral from the target's own thread and to name who the referral came from. It remembers
the last ``capacity`` posts it saw. A Python ``dict`` of id strings holds a string object and a table
entry per post, about 100 bytes; this map holds, in flat arrays, a 64-bit hash of each id and a
reference to its author (author names are interned, so one copy of each is shared by every post and
window that names it): 24 to 40 bytes a post, and no object per post for the collector to walk.
Open addressing with linear probing at a load of at most one half; the table doubles while it fills
(starting at 1,024 slots, so the detectors of many partitions cost little until they are used) and
stops growing at ``capacity``: from then on its memory is flat, the oldest post forgotten first (a ring
of hashes in arrival order), deletion by backward shift (no tombstones to clean up).

Two different ids with the same 64-bit hash (about one chance in 10^9 at full capacity) would share
an author: the cost is one referral attributed to the wrong post, never a crash.
"""

from __future__ import annotations

from array import array

from clearspace.errors import InputError

INITIAL_SLOTS = 1024


class PostAuthors:
    """The authors of the last ``capacity`` posts, by post id (or any string key, such as ``link:URL``)."""

    __slots__ = ("_authors", "_capacity", "_count", "_head", "_keys", "_mask", "_order")

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise InputError(f"a post map needs a capacity of 1 or more, got {capacity}")
        self._capacity = capacity
        self._order = array("q")  # keys in arrival order; a ring from _head once it holds capacity
        self._head = 0
        self._count = 0
        size = min(INITIAL_SLOTS, 1 << (2 * capacity - 1).bit_length())  # doubles while the load passes 1/2
        self._mask = size - 1
        self._keys = array("q", bytes(8 * size))  # 0: an empty slot
        self._authors: list[str | None] = [None] * size

    def __len__(self) -> int:
        return self._count

    @property
    def capacity(self) -> int:
        return self._capacity

    def get(self, post: str) -> str | None:
        """The author of ``post``, or ``None`` when it was never seen or has been forgotten."""
        key = _key(post)
        keys, mask = self._keys, self._mask
        i = key & mask
        while True:
            found = keys[i]
            if found == key:
                return self._authors[i]
            if found == 0:
                return None
            i = (i + 1) & mask

    def add(self, post: str, author: str, *, replace: bool = True) -> None:
        """Remember that ``author`` wrote ``post`` (a known post keeps its first author unless ``replace``);
        past ``capacity`` posts the oldest is forgotten."""
        key = _key(post)
        i = self._slot(key)
        if self._keys[i] == key:
            if replace:
                self._authors[i] = author
            return
        if self._count == self._capacity:  # full: the oldest post makes room
            self._delete(self._order[self._head])
            self._order[self._head] = key
            self._head = (self._head + 1) % self._capacity
            i = self._slot(key)  # the deletion may have moved entries
        else:
            self._order.append(key)
            self._count += 1
            if 2 * self._count > len(self._keys):
                self._resize(2 * len(self._keys))
                i = self._slot(key)
        self._keys[i] = key
        self._authors[i] = author

    def _resize(self, size: int) -> None:
        """Rehash the posts remembered so far into ``size`` slots."""
        old_keys, old_authors = self._keys, self._authors
        self._mask = size - 1
        self._keys = array("q", bytes(8 * size))
        self._authors = [None] * size
        for key, author in zip(old_keys, old_authors, strict=True):
            if key:
                i = self._slot(key)
                self._keys[i] = key
                self._authors[i] = author

    def _slot(self, key: int) -> int:
        """The slot holding ``key``, else the empty slot where it would go."""
        keys, mask = self._keys, self._mask
        i = key & mask
        while True:
            found = keys[i]
            if found == key or found == 0:
                return i
            i = (i + 1) & mask

    def _delete(self, key: int) -> None:
        """Forget ``key`` (absent: nothing happens), shifting later entries of its run back."""
        keys, authors, mask = self._keys, self._authors, self._mask
        i = self._slot(key)
        if keys[i] != key:
            return
        j = i
        while True:
            j = (j + 1) & mask
            moving = keys[j]
            if moving == 0:
                break
            home = moving & mask
            if (j - home) & mask >= (j - i) & mask:  # its home is not between the hole and it: it moves up
                keys[i] = moving
                authors[i] = authors[j]
                i = j
        keys[i] = 0
        authors[i] = None


def _key(post: str) -> int:
    """A non-zero 64-bit hash of ``post`` (Python's string hash: SipHash, seeded per process)."""
    return hash(post) or 1
