"""The meals profile: validated as a whole with errors naming the key, kept in
``AthleteProfile.domain_profiles["meals"]``, idempotent updates."""

from __future__ import annotations

import pytest

from momentum import InputError
from momentum.plugins.meals.profile import load_profile, parse_profile, update_profile
from momentum.testing import InMemoryStorage, sample_athlete


@pytest.mark.parametrize(
    ("raw", "key", "reason"),
    [
        ({"diet": "carnivore"}, "diet", "not one of omnivore"),
        ({"allergies": ["kiwi"]}, "allergies", "not an allergen this coach can check"),
        ({"household": 0}, "household", "outside 1–12"),
        ({"weight_kg": "heavy"}, "weight_kg", "not a number"),
        ({"cooking_minutes": 12.5}, "cooking_minutes", "not a whole number"),
        ({"budget": "lavish"}, "budget", "not one of low"),
        ({"favourite": "pie"}, "favourite", "unknown"),
        ({"dislikes": [""]}, "dislikes", "not a word"),
    ],
)
def test_a_wrong_key_is_named(raw: dict[str, object], key: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_profile(raw)
    assert f"meals profile key '{key}'" in str(caught.value)
    assert reason in str(caught.value)


def test_aliases_and_lists_are_normalised() -> None:
    profile = parse_profile(
        {"allergies": "Peanuts, sesame", "intolerances": ["lactose", "coeliac"], "diet": "Vegan"}
    )
    assert profile.allergies == ("peanut", "sesame")
    assert profile.intolerances == ("milk", "gluten")
    assert profile.avoided == {"peanut", "sesame", "milk", "gluten"}
    assert profile.diet == "vegan"


def test_update_keeps_the_profile_in_domain_profiles_and_writes_nothing_on_error() -> None:
    storage = InMemoryStorage()
    storage.put_athlete(sample_athlete("ada", domain_profiles={"sleep": {"need_hours": 8.0}}))
    update_profile(storage, "ada", {"allergies": ["egg"], "household": 3})
    stored = storage.get_athlete("ada")
    assert stored is not None
    assert stored.domain_profiles["sleep"] == {"need_hours": 8.0}
    assert stored.domain_profiles["meals"]["allergies"] == ["egg"]
    with pytest.raises(InputError):
        update_profile(storage, "ada", {"household": 2, "diet": "raw"})
    assert load_profile(storage, "ada").household == 3
    again = update_profile(storage, "ada", {"allergies": ["egg"]})
    assert again == load_profile(storage, "ada")
