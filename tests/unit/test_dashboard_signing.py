"""Signed dashboard links: a token opens one athlete's pages until it expires, and nothing
else opens anything (tampered, forged, other athlete's, expired, malformed)."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.dashboard.signing import (
    MIN_KEY_CHARS,
    SCOPE,
    LinkGrant,
    LinkRefused,
    new_key,
    sign,
    verify,
)

KEY = "k" * 43
OTHER_KEY = "z" * 43
NOW = 1_772_535_600  # 2026-03-03 11:00 UTC
athlete_ids = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s)


@given(athlete_ids, st.integers(min_value=1, max_value=10**7))
def test_a_token_opens_its_athletes_pages_until_it_expires(athlete_id: str, ahead: int) -> None:
    token = sign(KEY, athlete_id, NOW + ahead)
    assert verify(KEY, token, NOW) == LinkGrant(athlete_id, NOW + ahead)
    assert verify(KEY, token, NOW + ahead - 0.5).athlete_id == athlete_id
    with pytest.raises(LinkRefused, match="expired"):
        verify(KEY, token, NOW + ahead)


def test_the_signature_is_hmac_sha256_over_scope_athlete_and_expiry() -> None:
    """The published construction (RFC 2104 HMAC with SHA-256), recomputed here."""
    token = sign(KEY, "adam", NOW)
    athlete_part, expires, signature = token.split(".")
    assert base64.urlsafe_b64decode(athlete_part + "=" * (-len(athlete_part) % 4)) == b"adam"
    expected = hmac.new(
        KEY.encode(), b"\n".join((SCOPE, athlete_part.encode(), expires.encode())), hashlib.sha256
    ).digest()
    assert base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)) == expected
    assert expires == str(NOW)


@given(athlete_ids, st.data())
def test_any_change_to_a_token_is_refused(athlete_id: str, data: st.DataObject) -> None:
    token = sign(KEY, athlete_id, NOW + 3600)
    at = data.draw(st.integers(min_value=0, max_value=len(token) - 1))
    replacement = data.draw(st.sampled_from("AZaz09-_.x"))
    tampered = token[:at] + replacement + token[at + 1 :]
    if tampered == token:
        return
    try:
        grant = verify(KEY, tampered, NOW)
    except LinkRefused:
        return
    # Base64 has several spellings of the same last bits: those decode to the same token.
    assert grant == LinkGrant(athlete_id, NOW + 3600)


def test_another_athletes_signature_and_another_key_are_refused() -> None:
    adam = sign(KEY, "adam", NOW + 3600)
    eve = sign(KEY, "eve", NOW + 3600)
    swapped = ".".join([eve.split(".")[0], *adam.split(".")[1:]])
    with pytest.raises(LinkRefused, match="signature"):
        verify(KEY, swapped, NOW)
    with pytest.raises(LinkRefused, match="signature"):
        verify(OTHER_KEY, adam, NOW)
    later = ".".join([adam.split(".")[0], str(NOW + 10**6), adam.split(".")[2]])
    with pytest.raises(LinkRefused, match="signature"):
        verify(KEY, later, NOW)  # a longer life can't be written in


@given(st.text(max_size=500))
def test_random_text_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(LinkRefused) as refused:
        verify(KEY, text, NOW)
    assert str(refused.value)


def test_a_short_key_is_refused_and_new_keys_are_long_and_fresh() -> None:
    with pytest.raises(LinkRefused, match="too short"):
        sign("short", "adam", NOW)
    keys = {new_key() for _ in range(20)}
    assert len(keys) == 20 and all(len(k) >= MIN_KEY_CHARS for k in keys)
