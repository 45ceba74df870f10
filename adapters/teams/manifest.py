"""The Teams app package: ``manifest.json`` (schema 1.24), a colour and an outline icon.

The bot is personal-scope only (athlete data goes to one person). The manifest is checked
against Microsoft's published JSON schema for its version (kept in ``schema/``) before the
package is written; a manifest that fails is an :class:`InputError` naming the field, and
no file is written.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from momentum.adapters.teams.icons import color_icon, outline_icon
from momentum.core.errors import InputError

MANIFEST_VERSION = "1.24"
SCHEMA_FILE = Path(__file__).with_name("schema") / f"MicrosoftTeams.v{MANIFEST_VERSION}.schema.json"
SCHEMA_URL = (
    "https://developer.microsoft.com/json-schemas/teams/"
    f"v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)
ACCENT = "#E8590C"
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
COMMANDS = (
    ("week", "This week's tree: done, planned, missed, and the Aerobic bar"),
    ("plan", "Your plan: goal, phases, Minimum Viable Week and this week"),
)


@dataclass(frozen=True)
class AppDetails:
    """What the manifest says about the app and who publishes it."""

    bot_app_id: str
    name: str = "Momentum"
    developer: str = "Momentum"
    website: str = "https://github.com/momentum-coach/momentum"
    privacy_url: str = "https://github.com/momentum-coach/momentum/blob/main/docs/chat/teams.md"
    terms_url: str = "https://github.com/momentum-coach/momentum/blob/main/docs/chat/teams.md"
    version: str = "1.0.0"
    app_id: str = ""
    """The Teams app's own id; defaults to one derived from the bot's, stable across builds."""


def build_manifest(details: AppDetails) -> dict[str, Any]:
    """The manifest for ``details`` (not yet validated: see :func:`validate_manifest`)."""
    app_id = details.app_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"teams:{details.bot_app_id}"))
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": details.version,
        "id": app_id,
        "developer": {
            "name": details.developer,
            "websiteUrl": details.website,
            "privacyUrl": details.privacy_url,
            "termsOfUseUrl": details.terms_url,
        },
        "name": {"short": details.name, "full": f"{details.name}: your running coach"},
        "description": {
            "short": "A personal running coach that checks in at 6 am and reviews every run.",
            "full": (
                "Momentum is a personal AI coach you run yourself. It checks in at 6 am with "
                "today's session, reviews each run as soon as it syncs, lays out the week on "
                "Monday and reshuffles it when days are missed. Code computes every number; "
                "the model writes the words. Say 'week' or 'plan' for the pictures."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": details.bot_app_id,
                "scopes": ["personal"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": ["personal"],
                        "commands": [{"title": t, "description": d} for t, d in COMMANDS],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def validate_manifest(manifest: dict[str, Any]) -> None:
    """:class:`InputError` naming the first field that breaks the manifest's schema."""
    errors = sorted(_validator().iter_errors(manifest), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "(top level)"
        raise InputError("manifest.json", f"{where}: {first.message}")
    # What Teams checks on upload but the schema only describes.
    if not SEMVER.fullmatch(str(manifest["version"])):
        raise InputError("manifest.json", f"version: {manifest['version']!r} is not x.y.z")
    if not GUID.fullmatch(str(manifest["bots"][0]["botId"])):
        raise InputError("manifest.json", "bots/0/botId: is not the bot's Microsoft App ID")


def package(details: AppDetails) -> bytes:
    """The validated app package (a zip: manifest.json, color.png, outline.png)."""
    manifest = build_manifest(details)
    validate_manifest(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
        archive.writestr("color.png", color_icon(ACCENT))
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()


def write_package(details: AppDetails, out: Path) -> Path:
    """Validate, then write the package to ``out`` (nothing is written if it fails)."""
    data = package(details)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out
