"""Plans and OAuth tokens of :class:`~momentum.core.storage_kv.KvStorage`: the records that
carry a version, written conditionally on the version stored (a lost race is
:class:`~momentum.core.ports.storage.ConflictError` naming the version found)."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from momentum.core.model import OAuthToken
from momentum.core.model.domain_plan import P, plan_key, with_version
from momentum.core.ports.storage import ConflictError
from momentum.core.storage_kv import layout as k
from momentum.core.storage_kv.links import KvLinks
from momentum.core.storage_kv.table import PK, SK, Absent, ConditionFailed, Equals, Item, number

T = TypeVar("T")


class KvVersioned(KvLinks):
    """Versioned records over ``self.kv`` (links: a token links its provider account)."""

    def _versioned(self, cls: type[T], item: Item | None) -> T | None:
        if item is None:
            return None
        record: Any = k.decode_body(cls, item)
        versioned: T = dataclasses.replace(record, version=number(item, k.VERSION))
        return versioned

    def _put_versioned(self, item: Item, expected_version: int, *, what: str) -> None:
        """Put ``item`` at ``expected_version + 1`` only if the stored version matches."""
        item[k.VERSION] = expected_version + 1
        condition = (Absent(),) if expected_version == 0 else (Equals(k.VERSION, expected_version),)
        try:
            self.kv.put(item, condition)
        except ConditionFailed as failed:
            current = number(failed.current or {}, k.VERSION)
            raise ConflictError(f"{what} is at version {current}, not {expected_version}") from None

    # -- plans -----------------------------------------------------------------------------
    def put_plan(self, plan: P, expected_version: int | None = None) -> P:
        """Store the plan as the next version: conditional on ``expected_version`` when
        given, else one atomic update that bumps the version."""
        pk, sk = k.athlete_pk(plan.athlete_id), k.plan_sk(plan_key(plan))
        if expected_version is None:
            now = self.kv.update(pk, sk, set_={k.BODY: k.encode_body(plan)}, add={k.VERSION: 1})
            return with_version(plan, number(now, k.VERSION))
        stored = with_version(plan, expected_version + 1)
        item: Item = {PK: pk, SK: sk, k.BODY: k.encode_body(stored)}
        self._put_versioned(item, expected_version, what=f"plan for {plan.athlete_id}")
        return stored

    def get_plan(self, kind: type[P], athlete_id: str) -> P | None:
        """The current plan, its version from the item's version attribute."""
        item = self.kv.get(k.athlete_pk(athlete_id), k.plan_sk(plan_key(kind)))
        return self._versioned(kind, item)

    # -- oauth tokens ----------------------------------------------------------------------
    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        """The stored token set, its version from the item's version attribute."""
        item = self.kv.get(k.athlete_pk(athlete_id), k.record_sk("TOK", provider))
        return self._versioned(OAuthToken, item)

    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        """Conditional on the stored version, so a concurrent refresh can't be lost."""
        stored = dataclasses.replace(token, version=expected_version + 1)
        item: Item = {
            PK: k.athlete_pk(token.athlete_id),
            SK: k.record_sk("TOK", token.provider),
            k.BODY: k.encode_body(stored),
        }
        what = f"{token.provider} token for {token.athlete_id}"
        self._put_versioned(item, expected_version, what=what)
        if token.provider_athlete_id:
            self.link_identity(token.provider, token.provider_athlete_id, token.athlete_id)
        return stored

    def delete_token(self, athlete_id: str, provider: str) -> None:
        """Forget the token set and its account link."""
        self._unlink_athlete(athlete_id, provider)
        self.kv.delete(k.athlete_pk(athlete_id), k.record_sk("TOK", provider))
