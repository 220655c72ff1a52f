"""JSON decoding: json.loads of an API-response-like document (2000 users).

The document is built like json_dumps's, with fewer records: a dict
holding paging fields and a list of user records, each a dict of ints,
floats, bools, None, strings (names and cities in several scripts,
including characters outside the BMP, and descriptions with quotes,
backslashes and newlines), a nested address dict with a [lat, lon] list, a
list of tags and a list of small friend dicts.  It is generated once with a
fixed LCG and encoded twice with sort_keys=True, and the two texts are
cached: compact with backslash-u escapes (ensure_ascii) and with raw
non-ASCII characters and indent=1.
Each iteration parses both texts, compares the two parsed documents for
equality, and walks one of them once to compute a structural fingerprint:
counts of dicts, lists, strings, ints, floats, bools and nulls, a hash of
the ints, the sum of the floats (in document order), and zlib.crc32 of all
strings and keys joined.  It exercises the JSON decoder (string unescaping,
number parsing, building dicts and lists).  The counts, the hash, the float
sum and the crc were computed once and pinned.
"""

import json
import zlib

from _api_document import make_document

GROUP = "stdlib"

USERS = 2000            # records in the document
MOD = (1 << 61) - 1     # modulus of the integer hash

_texts = None


def texts():
    """The two JSON texts of the document, built on first use and then reused."""
    global _texts
    if _texts is None:
        doc = make_document(USERS)
        _texts = (json.dumps(doc, sort_keys=True),
                  json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=1))
    return _texts


class Fingerprint(object):
    """Walks parsed JSON data in document order and tallies what it finds."""

    def __init__(self):
        self.dicts = self.lists = self.ints = self.floats = 0
        self.bools = self.nulls = 0
        self.int_hash = 0
        self.float_sum = 0.0
        self.strings = []

    def walk(self, value):
        kind = type(value)
        if kind is dict:
            self.dicts += 1
            for key, item in value.items():
                self.strings.append(key)
                self.walk(item)
        elif kind is list:
            self.lists += 1
            for item in value:
                self.walk(item)
        elif kind is str:
            self.strings.append(value)
        elif kind is bool:               # before int: bool is an int subclass
            self.bools += 1
        elif kind is int:
            self.ints += 1
            self.int_hash = (self.int_hash * 1000003 + value) % MOD
        elif kind is float:
            self.floats += 1
            self.float_sum += value
        elif value is None:
            self.nulls += 1
        else:
            raise TypeError("unexpected %r in parsed JSON" % (kind,))

    def result(self):
        joined = "\x00".join(self.strings).encode("utf-8")
        return (self.dicts, self.lists, len(self.strings), self.ints,
                self.floats, self.bools, self.nulls, self.int_hash,
                self.float_sum, zlib.crc32(joined))


def run():
    ascii_text, unicode_text = texts()
    first = json.loads(ascii_text)
    second = json.loads(unicode_text)
    same = first == second
    fp = Fingerprint()
    fp.walk(first)
    return (len(first["items"]), same) + fp.result()


# Golden values: the fingerprint of the parsed document, computed once with
# this file and pinned.  (USERS records, and both texts must parse equal.)
EXPECTED = (USERS, True, 6969, 9972, 73453, 17852, 10001, 4000, 471,
            2278425771802805647, 244320404.9974761, 4152704228)
NAMES = ("records", "texts parse equal", "dicts", "lists", "strings", "ints",
         "floats", "bools", "nulls", "int hash", "float sum", "string crc32")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(NAMES, EXPECTED, result):
        if isinstance(want, float):
            ok = type(got) is float and abs(got - want) <= 1e-12 * abs(want)
        else:
            ok = type(got) is type(want) and got == want
        assert ok, "expected %s %r, got %r" % (name, want, got)
