"""A fake USDA FoodData Central API on 127.0.0.1, speaking FDC's JSON shapes, for the
meals plugin's real httpx client.

Its foods are real FDC SR Legacy records: the meals plugin's shipped catalogue
(``plugins/meals/data/foods.json``, built from two extracts of FDC's April 2018 SR Legacy
release, see ``scripts/meals/build_foods.py``), served as FDC serves them:

- ``GET /v1/food/{fdcId}``: the food-details shape (``foodNutrients[].nutrient.{id,
  number, name, unitName}`` and ``amount``, ``foodCategory.description``,
  ``foodPortions[].gramWeight``);
- ``POST /v1/foods`` with ``{"fdcIds": [...]}``: a list of those;
- ``GET /v1/foods/search?query=&pageSize=&dataType=``: ``totalHits``, ``currentPage``,
  ``totalPages``, ``foodSearchCriteria`` and ``foods[]`` in the search-hit shape
  (``foodNutrients[].{nutrientId, nutrientName, nutrientNumber, unitName, value}``,
  ``foodCategory`` as text).

Every call needs ``api_key`` (FDC answers 403 with an ``error`` object without one).
:meth:`FakeFdc.fail_next` answers the next calls with 429 (and ``Retry-After``) or 5xx.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from momentum.plugins.meals.foods import catalogue_records

API_KEY = "fake-fdc-key-0123456789"

OATS = {
    "fdcId": 173904,
    "description": "Cereals, oats, regular and quick, not fortified, dry",
    "dataType": "SR Legacy",
    "foodCategory": {"description": ""},
    "foodNutrients": [
        {
            "type": "FoodNutrient",
            "nutrient": {"id": nid, "number": number, "name": name, "unitName": unit},
            "amount": amount,
        }
        for nid, number, name, unit, amount in (
            (1008, "208", "Energy", "kcal", 379),
            (1003, "203", "Protein", "g", 13.15),
            (1004, "204", "Total lipid (fat)", "g", 6.52),
        )
    ],
    "foodPortions": [{"amount": 1.0, "gramWeight": 81.0}],
}
"""An SR Legacy food outside the shipped catalogue, for the online path: FDC id,
description, energy, protein, fat and the cup's 81 g as CruxCoach's SR Legacy extract
(``usda_sr_legacy.tsv``) gives them; its carbohydrate is left out (that extract holds only
available carbohydrate, not FDC's nutrient 1005)."""


PEANUT_BUTTER = {
    "fdcId": 172470,
    "description": "Peanut butter, smooth style, without salt",
    "dataType": "SR Legacy",
    "foodCategory": {"description": ""},
    "foodNutrients": [
        {
            "type": "FoodNutrient",
            "nutrient": {"id": nid, "number": number, "name": name, "unitName": unit},
            "amount": amount,
        }
        for nid, number, name, unit, amount in (
            (1008, "208", "Energy", "kcal", 598),
            (1003, "203", "Protein", "g", 22.21),
            (1004, "204", "Total lipid (fat)", "g", 51.36),
        )
    ],
    "foodPortions": [{"amount": 1.0, "gramWeight": 16.0}],
}
"""An allergen outside the shipped catalogue (for the peanut-allergy chat): FDC id,
description, energy, protein, fat and the tablespoon's 16 g as CruxCoach's SR Legacy
extract (``usda_sr_legacy.tsv``, commit 49adc48c) gives them, like :data:`OATS`."""


def search_hit(record: dict[str, Any]) -> dict[str, Any]:
    """A food-details record in the search endpoint's shape."""
    return {
        "fdcId": record["fdcId"],
        "description": record["description"],
        "dataType": record["dataType"],
        "foodCategory": record["foodCategory"]["description"],
        "foodNutrients": [
            {
                "nutrientId": item["nutrient"]["id"],
                "nutrientName": item["nutrient"]["name"],
                "nutrientNumber": item["nutrient"]["number"],
                "unitName": item["nutrient"]["unitName"].upper(),
                "value": item["amount"],
            }
            for item in record["foodNutrients"]
        ],
    }


@dataclass
class FakeFdc:
    """The fake's state: its foods, the calls it saw (without the key) and injected faults."""

    foods: dict[int, dict[str, Any]] = field(
        default_factory=lambda: {r["fdcId"]: r for r in [*catalogue_records(), OATS, PEANUT_BUTTER]}
    )
    calls: list[str] = field(default_factory=list)
    keys_seen: list[str] = field(default_factory=list)
    faults: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def fail_next(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        """Answer the next ``times`` calls with ``status``."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.faults.extend([(status, headers)] * times)

    def start(self) -> FakeFdc:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                fake.keys_seen.append(query.get("api_key", ""))
                fake.calls.append(f"{method} {parts.path}")
                if query.get("api_key") != API_KEY:
                    self._send(
                        403,
                        {
                            "error": {
                                "code": "API_KEY_INVALID",
                                "message": "An invalid api_key was supplied.",
                            }
                        },
                    )
                    return
                if fake.faults:
                    status, headers = fake.faults.pop(0)
                    self._send(status, {"error": {"code": "OVER_RATE_LIMIT"}}, headers)
                    return
                if method == "GET" and parts.path.startswith("/v1/food/"):
                    fdc_id = int(parts.path.rsplit("/", 1)[1])
                    record = fake.foods.get(fdc_id)
                    if record is None:
                        self._send(404, {"error": "Not Found", "status": 404})
                    else:
                        self._send(200, record)
                elif method == "POST" and parts.path == "/v1/foods":
                    length = int(self.headers.get("Content-Length", "0"))
                    body = json.loads(self.rfile.read(length) or b"{}")
                    ids = body.get("fdcIds", [])
                    self._send(200, [fake.foods[i] for i in ids if i in fake.foods])
                elif method == "GET" and parts.path == "/v1/foods/search":
                    words = query.get("query", "").lower().split()
                    size = int(query.get("pageSize", "50"))
                    hits = [
                        search_hit(r)
                        for r in fake.foods.values()
                        if words and all(w in r["description"].lower() for w in words)
                    ]
                    self._send(
                        200,
                        {
                            "totalHits": len(hits),
                            "currentPage": 1,
                            "totalPages": 1 if hits else 0,
                            "foodSearchCriteria": {
                                "query": query.get("query", ""),
                                "pageSize": size,
                            },
                            "foods": hits[:size],
                        },
                    )
                else:
                    self._send(404, {"error": "Not Found", "status": 404})

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
