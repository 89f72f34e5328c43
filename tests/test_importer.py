"""Uploads and pasted content turned into passages (annotations.importer)."""

import pytest

from annotations.importer import MAX_IMPORT_BYTES, decode_upload, parse_article
from annotations.models import DomainError, Passage

# The first bytes of a real PNG file: signature, then the IHDR chunk of a 1x1 image.
PNG_HEADER = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
              b"\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")


# -- decode_upload ------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"   ", b"\n\r\n\t \n"])
def test_empty_or_blank_upload_is_refused(data):
    with pytest.raises(DomainError) as info:
        decode_upload(data, "file")
    assert info.value.field == "file"
    assert "empty" in info.value.message


@pytest.mark.parametrize("data", [
    b"Some text\x00with a NUL byte",
    PNG_HEADER,
    PNG_HEADER + b"\x00" * 64 + b"IDAT",
])
def test_binary_upload_is_refused(data):
    with pytest.raises(DomainError) as info:
        decode_upload(data, "article_file")
    assert info.value.field == "article_file"
    assert "binary" in info.value.message


def test_control_characters_without_nul_are_refused_as_binary():
    data = ("Header" + "".join(chr(c) for c in range(1, 9)) + "\x0e\x0f\x10\x11 text").encode()
    with pytest.raises(DomainError) as info:
        decode_upload(data)
    assert "binary" in info.value.message


def test_latin1_upload_is_refused_as_not_utf8():
    data = "Le café de la gare, près de Genève.".encode("latin-1")
    with pytest.raises(DomainError) as info:
        decode_upload(data, "file")
    assert info.value.field == "file"
    assert "UTF-8" in info.value.message
    # The message points at the first bad byte (the "é" of café).
    assert str(data.index(b"\xe9")) in info.value.message


def test_oversized_upload_is_refused():
    data = b"a" * (MAX_IMPORT_BYTES + 1)
    with pytest.raises(DomainError) as info:
        decode_upload(data, "file")
    assert info.value.field == "file"
    assert "larger than 5 MB" in info.value.message


def test_upload_of_exactly_the_limit_is_accepted():
    assert MAX_IMPORT_BYTES == 5 * 1024 * 1024
    text = decode_upload(b"a" * MAX_IMPORT_BYTES)
    assert len(text) == MAX_IMPORT_BYTES


def test_utf8_with_bom_is_accepted_and_the_bom_removed():
    body = "“Neutrality” — 中立, нейтралитет.\nSecond line."
    assert decode_upload(b"\xef\xbb\xbf" + body.encode("utf-8")) == body


def test_plain_utf8_is_returned_as_written():
    body = "Line one.\r\n\tIndented — line two 🕊️\n"
    assert decode_upload(body.encode("utf-8")) == body


# -- parse_article ---------------------------------------------------------------------

def test_html_is_detected_and_split_as_html():
    parsed = parse_article("<html><head><title>Lisbon  accord | The Daily</title></head>"
                           "<body><h1>Lisbon accord</h1><p>Ministers <b>agreed</b>.</p></body></html>")
    assert parsed.format == "html"
    # The headline, without the site's name the <title> adds.
    assert parsed.title == "Lisbon accord"
    assert parsed.passages == [Passage("heading", "Lisbon accord"),
                               Passage("paragraph", "Ministers agreed.")]


def test_html_fragment_without_html_element_is_detected():
    parsed = parse_article("<p>One.</p>\n<p>Two.</p>")
    assert parsed.format == "html"
    assert parsed.passages == [Passage("paragraph", "One."), Passage("paragraph", "Two.")]


def test_plain_text_is_detected_even_with_angle_brackets():
    parsed = parse_article("Turnout was < 40% and costs > €12m.\nI. Next steps\n")
    assert parsed.format == "text"
    assert parsed.title == ""
    assert parsed.passages == [
        Passage("paragraph", "Turnout was < 40% and costs > €12m."),
        Passage("heading", "I. Next steps"),
    ]


def test_explicit_text_format_keeps_markup_as_text():
    parsed = parse_article("<p>Shown literally.</p>", "text")
    assert parsed.format == "text"
    assert [p.text for p in parsed.passages] == ["<p>Shown literally.</p>"]


def test_unknown_format_is_refused():
    with pytest.raises(DomainError) as info:
        parse_article("Some text.", "markdown")
    assert info.value.field == "format"


@pytest.mark.parametrize("content, content_format", [
    ("", "auto"),
    ("   \n\n\t\u00a0\n", "auto"),
    ("<html><body><script>var x = 1;</script><nav>Menu</nav></body></html>", "auto"),
    ("<p></p><p>   </p>", "html"),
    ("\n\n\n", "text"),
])
def test_content_with_no_text_is_refused(content, content_format):
    with pytest.raises(DomainError) as info:
        parse_article(content, content_format, field_name="body")
    assert info.value.field == "body"
    assert "no text" in info.value.message


def test_binary_or_non_string_content_is_refused():
    with pytest.raises(DomainError) as info:
        parse_article("text\x00more")
    assert "binary" in info.value.message
    with pytest.raises(DomainError):
        parse_article(b"bytes, not text")


def test_oversized_content_is_refused():
    with pytest.raises(DomainError) as info:
        parse_article("é" * (MAX_IMPORT_BYTES // 2 + 1))  # 2 bytes each in UTF-8
    assert "larger than 5 MB" in info.value.message
