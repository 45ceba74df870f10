"""core's parse_secret_object: one JSON secret holding several settings (Secrets Manager on
AWS reads it through here). Errors name where the secret is, never its value."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.errors import ConfigError
from momentum.core.ports.secrets import parse_secret_object

settings_names = st.from_regex(r"[A-Z][A-Z0-9_]{0,15}", fullmatch=True)


@given(st.dictionaries(settings_names, st.text(max_size=20), max_size=5))
def test_an_object_of_setting_names_and_strings_reads_back(values: dict[str, str]) -> None:
    assert parse_secret_object(json.dumps(values), "secret s") == values


@pytest.mark.parametrize(
    "text", ["not json", '["a"]', '{"GROQ_API_KEY": 3}', '{"lower": "x"}', None, "null"]
)
def test_anything_else_is_refused_naming_the_secret_not_the_value(text: str | None) -> None:
    with pytest.raises(ConfigError, match=r"^secret s: value must") as refused:
        parse_secret_object(text, "secret s")
    assert "GROQ" not in str(refused.value)
