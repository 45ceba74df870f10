"""The few primitives a key-value store gives :class:`~momentum.core.storage_kv.KvStorage`.

A table holds items (``dict`` of attribute name to ``str``, ``int`` or ``bytes``), each
found by its partition key ``pk`` and sort key ``sk``. Besides the base key a table
answers queries on two secondary indexes, named by :data:`TIME_INDEX` (same partition,
sort key ``lsi1sk``; strongly consistent) and :data:`GLOBAL_INDEX` (partition ``gsi1pk``,
sort key ``gsi1sk``; may lag a write). An item without an index's attributes is not in that
index (sparse indexes).

Writes may carry a :data:`Condition`: a tuple of clauses of which at least one must hold
(``attribute_not_exists(pk) OR #a = :v`` in DynamoDB's words). A write whose condition
fails changes nothing and raises :class:`ConditionFailed`. That is all the Storage port's
conditional operations need (claims, plan and token versions, put-if-absent, deleting a
link only if it still points where we think).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

Value = str | int | bytes
Item = dict[str, Value]

PK = "pk"
SK = "sk"
TIME_SK = "lsi1sk"
GLOBAL_PK = "gsi1pk"
GLOBAL_SK = "gsi1sk"
MAX_ATOMIC = 25
"""The most items one :meth:`KeyValueTable.write_all` may touch (DynamoDB allows 100)."""


@dataclass(frozen=True)
class Index:
    """Which key a query reads: its name on the platform (``None``: the base key), its
    partition and sort attributes, and whether a read is strongly consistent there."""

    name: str | None
    partition: str
    sort: str
    consistent: bool = True


BASE_INDEX = Index(None, PK, SK)
TIME_INDEX = Index("lsi1", PK, TIME_SK)
GLOBAL_INDEX = Index("gsi1", GLOBAL_PK, GLOBAL_SK, consistent=False)


@dataclass(frozen=True)
class Absent:
    """Holds when there is no item under the key."""


@dataclass(frozen=True)
class Equals:
    """Holds when the item exists and ``attribute`` equals ``value``."""

    attribute: str
    value: Value


@dataclass(frozen=True)
class AtMost:
    """Holds when the item exists and its number ``attribute`` is at most ``value``."""

    attribute: str
    value: int


Clause = Absent | Equals | AtMost
Condition = tuple[Clause, ...]
"""Clauses joined by OR; an empty tuple means no condition."""


class ConditionFailed(Exception):
    """A conditional write found its condition false and changed nothing."""

    def __init__(self, current: Item | None) -> None:
        super().__init__("the condition on the write did not hold")
        self.current = current
        """The item as stored when the write failed (``None`` if there was none or the
        platform did not say)."""


def number(item: Item, attribute: str) -> int:
    """A number attribute of ``item`` (0 when it has none)."""
    value = item.get(attribute, 0)
    return value if isinstance(value, int) else 0


def holds(condition: Condition, item: Item | None) -> bool:
    """Whether ``condition`` holds for the stored ``item`` (for tables that check
    conditions in code, such as :class:`~momentum.core.storage_kv.memory.MemoryTable`)."""
    if not condition:
        return True
    for clause in condition:
        if isinstance(clause, Absent):
            if item is None:
                return True
        elif item is not None and clause.attribute in item:
            stored = item[clause.attribute]
            if isinstance(clause, Equals) and stored == clause.value:
                return True
            if isinstance(clause, AtMost) and isinstance(stored, int) and stored <= clause.value:
                return True
    return False


class KeyValueTable(Protocol):
    """One table on a key-value store: the primitives Storage is written over."""

    def get(self, pk: str, sk: str) -> Item | None:
        """The item under ``(pk, sk)``, read strongly consistently, or ``None``."""

    def put(self, item: Item, condition: Condition = ()) -> Item | None:
        """Write ``item`` whole (replacing any item under its key) if ``condition`` holds,
        else :class:`ConditionFailed`. Returns the item it replaced, or ``None``."""

    def update(self, pk: str, sk: str, *, set_: Item, add: dict[str, int]) -> Item:
        """In one atomic write, set the ``set_`` attributes and add ``add``'s numbers to
        theirs (a missing number counts as 0), creating the item if needed; returns the
        item as it is now."""

    def delete(self, pk: str, sk: str, condition: Condition = ()) -> Item | None:
        """Remove the item if ``condition`` holds (else :class:`ConditionFailed`); returns
        what was removed, or ``None``. Removing a missing item is not an error."""

    def write_all(self, puts: Sequence[Item], deletes: Sequence[tuple[str, str]]) -> None:
        """Write every item of ``puts`` and remove every ``(pk, sk)`` of ``deletes``, all
        or none (a transaction of at most :data:`MAX_ATOMIC` items, each key once)."""

    def delete_many(self, keys: Iterable[tuple[str, str]]) -> None:
        """Remove many items by ``(pk, sk)`` in as few requests as the store allows (each
        removal atomic, the whole batch not)."""

    def query(
        self,
        index: Index,
        partition: str,
        *,
        prefix: str = "",
        between: tuple[str, str] | None = None,
    ) -> Iterator[Item]:
        """The items in ``partition`` of ``index`` whose sort key starts with ``prefix``
        and, with ``between``, lies in the inclusive range; in sort-key order."""

    def purge_expired(self, attribute: str, now: int) -> int:
        """Delete items whose number ``attribute`` is at most ``now``; returns how many. A
        store that sweeps expired items itself (DynamoDB's TTL) may do nothing and return 0."""
