"""A :class:`~momentum.core.storage_kv.table.KeyValueTable` in a dict, guarded by one lock.

It checks conditions and answers index queries the way DynamoDB does, so the storage
contract suite proves :class:`~momentum.core.storage_kv.KvStorage` without a cloud; items
are copied in and out, so a caller mutating one can't change what is stored.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence

from momentum.core.storage_kv.table import (
    MAX_ATOMIC,
    PK,
    SK,
    Condition,
    ConditionFailed,
    Index,
    Item,
    holds,
)


class MemoryTable:
    """One key-value table in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[str, str], Item] = {}

    def get(self, pk: str, sk: str) -> Item | None:
        """The item under ``(pk, sk)`` (a copy), or ``None``."""
        with self._lock:
            item = self._items.get((pk, sk))
        return dict(item) if item is not None else None

    def put(self, item: Item, condition: Condition = ()) -> Item | None:
        """Replace the item under its key if ``condition`` holds; returns the old one."""
        key = (str(item[PK]), str(item[SK]))
        with self._lock:
            old = self._items.get(key)
            if not holds(condition, old):
                raise ConditionFailed(dict(old) if old is not None else None)
            self._items[key] = dict(item)
        return old

    def update(self, pk: str, sk: str, *, set_: Item, add: dict[str, int]) -> Item:
        """Set and add attributes in one step, creating the item if needed."""
        with self._lock:
            item = dict(self._items.get((pk, sk), {PK: pk, SK: sk}))
            item.update(set_)
            for name, delta in add.items():
                current = item.get(name, 0)
                item[name] = (current if isinstance(current, int) else 0) + delta
            self._items[(pk, sk)] = item
        return dict(item)

    def delete(self, pk: str, sk: str, condition: Condition = ()) -> Item | None:
        """Remove the item if ``condition`` holds; returns what was removed."""
        with self._lock:
            old = self._items.get((pk, sk))
            if not holds(condition, old):
                raise ConditionFailed(dict(old) if old is not None else None)
            self._items.pop((pk, sk), None)
        return old

    def write_all(self, puts: Sequence[Item], deletes: Sequence[tuple[str, str]]) -> None:
        """Every put and delete under the one lock: all or none."""
        if len(puts) + len(deletes) > MAX_ATOMIC:
            raise ValueError(f"a transaction touches at most {MAX_ATOMIC} items")
        with self._lock:
            for key in deletes:
                self._items.pop(key, None)
            for item in puts:
                self._items[(str(item[PK]), str(item[SK]))] = dict(item)

    def delete_many(self, keys: Iterable[tuple[str, str]]) -> None:
        """Remove every ``(pk, sk)`` listed."""
        with self._lock:
            for key in keys:
                self._items.pop(key, None)

    def query(
        self,
        index: Index,
        partition: str,
        *,
        prefix: str = "",
        between: tuple[str, str] | None = None,
    ) -> Iterator[Item]:
        """Items of one partition of ``index``, in sort-key order (a sparse index leaves
        out items without its attributes)."""
        with self._lock:
            found = [
                dict(item)
                for item in self._items.values()
                if item.get(index.partition) == partition
                and isinstance(sort := item.get(index.sort), str)
                and sort.startswith(prefix)
                and (between is None or between[0] <= sort <= between[1])
            ]
        return iter(sorted(found, key=lambda item: str(item[index.sort])))

    def purge_expired(self, attribute: str, now: int) -> int:
        """Delete items whose number ``attribute`` is at most ``now``."""
        with self._lock:
            expired = [
                key
                for key, item in self._items.items()
                if isinstance(until := item.get(attribute), int) and until <= now
            ]
            for key in expired:
                del self._items[key]
        return len(expired)
