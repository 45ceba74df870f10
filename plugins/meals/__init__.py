"""The meal-planning coach: a domain plugin (``plugins/meals``).

A per-athlete profile (diet pattern, allergies, budget, cooking time, household), energy and
protein targets computed by code, a weekly meal plan with a grocery list, food logging by
chat with nutrients from USDA FoodData Central, and allergens as hard constraints checked
by code. It imports only ``momentum`` (the public API), as a plugin written outside this
repository would.
"""
