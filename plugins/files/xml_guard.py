"""Refuse XML that declares a DOCTYPE or entities, anywhere in the document, before any
other parser sees it.

Activity files never need them, and refusing them shuts out entity-expansion ("billion
laughs") and external-entity attacks whatever parser runs next. defusedxml parses the
whole document with DTDs, entities and external references forbidden (an earlier check
looked only at the first 64 KB, so a declaration further in slipped through).
"""

from __future__ import annotations

from momentum.core.errors import InputError


def check_xml(data: bytes, name: str) -> str:
    """The file's text, after checking with defusedxml that the whole document holds no
    DOCTYPE, entity declarations or external references. (A document that is not
    well-formed is left to the format's own parser, which names the problem.)"""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(name, "not a text XML file (binary data)") from None
    if text.lstrip()[:1] != "<":
        raise InputError(name, "not an XML file")
    try:
        fromstring(_without_declaration(text), forbid_dtd=True)
    except DefusedXmlException:
        raise InputError(
            name, "XML with a DOCTYPE or entity declarations is not accepted"
        ) from None
    except ParseError:
        pass  # malformed, but declares nothing: the format's parser says what is wrong
    return text


def _without_declaration(text: str) -> str:
    """The text without its ``<?xml … encoding=…?>`` line: it is already decoded, and an
    encoding declaration on a ``str`` makes expat refuse it."""
    stripped = text.lstrip()
    if stripped.startswith("<?xml"):
        end = stripped.find("?>")
        if end != -1:
            return stripped[end + 2 :]
    return stripped
