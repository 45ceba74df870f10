"""A small wrapper over one Table Storage table: point reads, conditional writes by ETag
and single-partition queries, with the SDK's errors turned into plain results.

``create`` is If-None-Match (``False`` when the row exists); ``replace_if`` is If-Match on
the ETag read before (``False`` on 412). Callers turn those into a ConflictError or a lost
claim, so a race is never a crash. ``azure.data.tables`` is imported on first use.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

Entity = dict[str, Any]


class Table:
    """One table; ``connection_string`` for keys (Azurite, local), or ``endpoint`` plus a
    ``credential`` (a managed identity) in Azure."""

    def __init__(
        self,
        name: str,
        *,
        connection_string: str = "",
        endpoint: str = "",
        credential: Any = None,
    ) -> None:
        from azure.data.tables import TableClient

        if connection_string:
            self.client = TableClient.from_connection_string(connection_string, table_name=name)
        else:
            self.client = TableClient(endpoint=endpoint, table_name=name, credential=credential)
        self.name = name

    def ensure(self) -> None:
        """Create the table if it is missing (the stack creates it in Azure)."""
        from azure.core.exceptions import ResourceExistsError

        with contextlib.suppress(ResourceExistsError):
            self.client.create_table()

    def drop(self) -> None:
        """Delete the table (tests)."""
        self.client.delete_table()

    def get(self, pk: str, rk: str) -> Entity | None:
        """One row (its ETag under ``"etag"``), or ``None``."""
        from azure.core.exceptions import ResourceNotFoundError

        try:
            entity = self.client.get_entity(partition_key=pk, row_key=rk)
        except ResourceNotFoundError:
            return None
        found = dict(entity)
        found["etag"] = entity.metadata["etag"]
        return found

    def create(self, entity: Entity) -> bool:
        """Insert if absent (If-None-Match: *); ``False`` when the row exists."""
        from azure.core.exceptions import ResourceExistsError

        try:
            self.client.create_entity(entity=entity)
        except ResourceExistsError:
            return False
        return True

    def replace_if(self, entity: Entity, etag: str) -> bool:
        """Replace the row only if it still has ``etag`` (If-Match); ``False`` on 412 or
        when it has been deleted meanwhile."""
        from azure.core import MatchConditions
        from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
        from azure.data.tables import UpdateMode

        try:
            self.client.update_entity(
                entity=entity,
                mode=UpdateMode.REPLACE,
                etag=etag,
                match_condition=MatchConditions.IfNotModified,
            )
        except ResourceNotFoundError:
            return False
        except HttpResponseError as error:
            if error.status_code == 412:
                return False
            raise
        return True

    def upsert(self, entity: Entity) -> None:
        """Insert or replace the whole row."""
        from azure.data.tables import UpdateMode

        self.client.upsert_entity(entity=entity, mode=UpdateMode.REPLACE)

    def delete(self, pk: str, rk: str, etag: str = "") -> bool:
        """Delete a row (missing is fine); with ``etag``, only if unchanged (``False`` on
        412)."""
        from azure.core import MatchConditions
        from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

        try:
            if etag:
                self.client.delete_entity(
                    partition_key=pk,
                    row_key=rk,
                    etag=etag,
                    match_condition=MatchConditions.IfNotModified,
                )
            else:
                self.client.delete_entity(partition_key=pk, row_key=rk)
        except ResourceNotFoundError:
            return True
        except HttpResponseError as error:
            if error.status_code == 412:
                return False
            raise
        return True

    def query(
        self, pk: str, condition: str = "", params: dict[str, Any] | None = None
    ) -> Iterator[Entity]:
        """Rows of one partition (ascending RowKey) matching the OData ``condition``."""
        text = "PartitionKey eq @pk" + (f" and ( {condition} )" if condition else "")
        for entity in self.client.query_entities(text, parameters={"pk": pk, **(params or {})}):
            found = dict(entity)
            found["etag"] = entity.metadata.get("etag", "")
            yield found

    def query_rows(
        self, pk: str, low: str, high: str, condition: str = "", **params: Any
    ) -> Iterator[Entity]:
        """Rows of one partition with ``low <= RowKey < high``."""
        extra = f" and ( {condition} )" if condition else ""
        return self.query(
            pk, f"RowKey ge @low and RowKey lt @high{extra}", {"low": low, "high": high, **params}
        )

    def delete_all(self, entities: Iterable[Entity]) -> int:
        """Delete rows in transactions of up to 100 per partition; returns how many."""
        batches: dict[str, list[tuple[str, Entity]]] = {}
        for entity in entities:
            keys = {"PartitionKey": entity["PartitionKey"], "RowKey": entity["RowKey"]}
            batches.setdefault(keys["PartitionKey"], []).append(("delete", keys))
        count = 0
        for operations in batches.values():
            for start in range(0, len(operations), 100):
                chunk = operations[start : start + 100]
                self.client.submit_transaction(chunk)
                count += len(chunk)
        return count
