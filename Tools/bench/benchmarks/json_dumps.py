"""JSON encoding: json.dumps of an API-response-like document (3000 users).

The document is a dict holding paging fields and a list of user records,
each a dict of ints, floats, bools, None, strings (names and cities in
several scripts, including characters outside the BMP, and descriptions
with quotes, backslashes and newlines to escape), a nested address dict
with a [lat, lon] list, a list of tags and a list of small friend dicts.  It
is generated once, with a fixed LCG, and cached.  Each iteration encodes it
three ways with sort_keys=True: compact with ensure_ascii (the default),
compact with ensure_ascii=False, and a 200-record slice with indent=2
(which takes the encoder's pure-Python path on CPython).  It exercises the
JSON encoder: string escaping, float repr, dict key sorting.  The result is
the length and zlib.crc32 of each output, computed once and pinned.
"""

import json
import zlib

from _api_document import make_document

GROUP = "stdlib"

USERS = 3000            # records in the document
INDENTED = 200          # records in the slice dumped with indent=2

_document = None


def document():
    """The document, built on first use and then reused."""
    global _document
    if _document is None:
        _document = make_document(USERS)
    return _document


def run():
    doc = document()
    ascii_text = json.dumps(doc, sort_keys=True)
    unicode_text = json.dumps(doc, sort_keys=True, ensure_ascii=False,
                              separators=(",", ":"))
    indented = json.dumps(doc["items"][:INDENTED], sort_keys=True, indent=2)
    result = []
    for text in (ascii_text, unicode_text, indented):
        result.append(len(text))
        result.append(zlib.crc32(text.encode("utf-8")))
    return tuple(result)


# Golden values: (length, crc32 of the UTF-8 bytes) of each output, computed
# once with this file and pinned.
EXPECTED = (1890447, 47230170, 1598815, 708746002, 175222, 4107681907)
NAMES = ("ascii length", "ascii crc32", "unicode length", "unicode crc32",
         "indented length", "indented crc32")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(NAMES, EXPECTED, result):
        assert got == want, "expected %s %r, got %r" % (name, want, got)
