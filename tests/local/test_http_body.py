"""Request framing for the local gateway: Content-Length, chunked, and the refusals a client can act on."""

import io

import pytest

from local.http_body import BodyError, read_body


def read(headers, raw, limit=100):
    return read_body(headers, io.BytesIO(raw), limit)


def test_content_length_and_no_body():
    assert read({"Content-Length": "3"}, b"abcdef") == b"abc"
    assert read({}, b"ignored") == b""


def test_chunked_bodies_are_reassembled_with_extensions_and_trailers():
    raw = b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n"
    assert read({"Transfer-Encoding": "chunked"}, raw) == b"abcde"


@pytest.mark.parametrize(
    ("headers", "raw", "status"),
    [
        ({"Transfer-Encoding": "chunked"}, b"zz\r\nabc\r\n0\r\n\r\n", 400),
        ({"Transfer-Encoding": "chunked"}, b"3\r\nabcXX0\r\n\r\n", 400),
        ({"Transfer-Encoding": "chunked"}, b"65\r\n" + b"x" * 101 + b"\r\n0\r\n\r\n", 413),
        ({"Transfer-Encoding": "gzip"}, b"", 411),
        ({"Content-Length": "ten"}, b"", 400),
        ({"Content-Length": "101"}, b"x" * 101, 413),
    ],
    ids=["bad-size", "bad-terminator", "chunked-too-large", "unknown-coding", "bad-length", "too-large"],
)
def test_unreadable_framing_is_refused_with_a_status(headers, raw, status):
    with pytest.raises(BodyError) as refused:
        read(headers, raw)
    assert refused.value.status == status
