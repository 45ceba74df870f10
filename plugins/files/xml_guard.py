"""Refuse XML that declares a DOCTYPE or entities before any parser sees it.

Activity files never need them, and refusing them shuts out entity-expansion ("billion
laughs") and external-entity attacks whatever parser runs next.
"""

from __future__ import annotations

from momentum.core.errors import InputError


def check_xml(data: bytes, name: str) -> str:
    """The file's text, after checking it is XML without a DOCTYPE or entity declarations."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(name, "not a text XML file (binary data)") from None
    head = text.lstrip()[:1]
    if head != "<":
        raise InputError(name, "not an XML file")
    upper = text[:65536].upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise InputError(name, "XML with a DOCTYPE or entity declarations is not accepted")
    return text
