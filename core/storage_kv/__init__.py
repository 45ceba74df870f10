"""The Storage port written once over a small key-value table protocol.

A cloud adapter implements :class:`KeyValueTable` (get, conditional put and delete, an
atomic update, batched deletes, queries by partition and sort-key prefix or range) and
gets the whole port from :class:`KvStorage`; :class:`MemoryTable` is the in-memory table
the contract suite proves the core on.
"""

from momentum.core.storage_kv.memory import MemoryTable
from momentum.core.storage_kv.storage import KvStorage
from momentum.core.storage_kv.table import (
    Absent,
    AtMost,
    Condition,
    ConditionFailed,
    Equals,
    Index,
    Item,
    KeyValueTable,
)

__all__ = [
    "Absent",
    "AtMost",
    "Condition",
    "ConditionFailed",
    "Equals",
    "Index",
    "Item",
    "KeyValueTable",
    "KvStorage",
    "MemoryTable",
]
