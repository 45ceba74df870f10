"""``check_xml`` refuses DTDs and entities anywhere in the document, not only its start."""

from __future__ import annotations

import pytest

from momentum.core.errors import InputError
from momentum.plugins.files.xml_guard import check_xml

GPX = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="t">{}</gpx>'


def test_plain_gpx_passes_and_comes_back_as_text():
    text = GPX.format("<trk><name>Run &amp; done</name></trk>")
    assert check_xml(text.encode(), "a.gpx") == text


@pytest.mark.parametrize(
    "body",
    [
        '<!DOCTYPE gpx [<!ENTITY lol "lol">]><gpx>&lol;</gpx>',
        '<!DOCTYPE gpx SYSTEM "http://evil.example/x.dtd"><gpx/>',
    ],
)
def test_declarations_at_the_start_are_refused(body):
    with pytest.raises(InputError, match="DOCTYPE or entity"):
        check_xml(body.encode(), "bad.gpx")


def test_an_entity_past_the_first_64_kb_is_refused():
    padding = "<!--" + "x" * 70_000 + "-->"
    body = f'<?xml version="1.0"?>{padding}<!DOCTYPE gpx [<!ENTITY a "b">]><gpx>&a;</gpx>'
    with pytest.raises(InputError, match="DOCTYPE or entity"):
        check_xml(body.encode(), "late.gpx")


def test_utf16_documents_are_checked_too():
    body = '<!DOCTYPE gpx [<!ENTITY a "b">]><gpx>&a;</gpx>'
    with pytest.raises(InputError, match="DOCTYPE or entity"):
        check_xml(body.encode("utf-16"), "wide.gpx")
