"""Pure-Python pickling: a small serializer and deserializer, written in Python, of nested objects.

A pickle-like protocol of our own: one tag byte per value, varint
lengths and integers (zig-zag for the sign), IEEE doubles, UTF-8
strings, lists, tuples, dicts, and instances of registered classes
(their class name and their attribute dict).  A memo numbers every
container and instance as it is written, so shared references and
cycles are written once and come back shared.  The Writer class
dispatches on type(value) through a dict of bound methods and falls
back to isinstance for subclasses; the Reader dispatches on the tag
byte.  The data is a small library built once with the shared LCG:
authors, books that share their author objects, loans that point at a
book and a member, members with a list of their loans (a cycle), plus
nested dicts and lists of numbers, floats, strings, bools and None.
Each iteration serializes it, reads it back and serializes the copy
again.  The result is checked: the copy equals the original (compared
field by field), the shared objects are shared in the copy and none is
the original, the two byte strings are identical, and the length and
zlib.crc32 of the bytes (computed once and pinned).
"""

import struct
import zlib

from _lcg import Lcg

GROUP = "object"

AUTHORS = 60
BOOKS = 600
MEMBERS = 400
LOANS = 1400

T_NONE, T_TRUE, T_FALSE, T_INT, T_FLOAT, T_STR = range(1, 7)
T_LIST, T_TUPLE, T_DICT, T_OBJECT, T_REF, T_BYTES = range(7, 13)
DOUBLE = struct.Struct(">d")


class Author(object):
    def __init__(self, name, born):
        self.name = name
        self.born = born


class Book(object):
    def __init__(self, isbn, title, author, year, tags):
        self.isbn = isbn
        self.title = title
        self.author = author
        self.year = year
        self.tags = tags
        self.rating = None


class Member(object):
    def __init__(self, number, name):
        self.number = number
        self.name = name
        self.loans = []
        self.settings = {"email": True, "limit": 5}


class Loan(object):
    def __init__(self, book, member, day, fee):
        self.book = book
        self.member = member
        self.day = day
        self.fee = fee
        self.returned = False


CLASSES = dict((cls.__name__, cls) for cls in (Author, Book, Member, Loan))


class Writer(object):
    """Serialize a value to bytes."""

    def __init__(self):
        self.out = bytearray()
        self.memo = {}
        self.dispatch = {
            type(None): self.write_none, bool: self.write_bool,
            int: self.write_int, float: self.write_float,
            str: self.write_str, bytes: self.write_bytes,
            list: self.write_list, tuple: self.write_tuple,
            dict: self.write_dict,
        }

    def dumps(self, value):
        self.write(value)
        return bytes(self.out)

    def write(self, value):
        method = self.dispatch.get(type(value))
        if method is None:
            if type(value).__name__ in CLASSES:
                method = self.write_object
            elif isinstance(value, dict):
                method = self.write_dict
            else:
                raise TypeError("cannot serialize %r" % (type(value),))
        method(value)

    def varint(self, n):
        out = self.out
        while n >= 0x80:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)

    def remembered(self, value):
        """Write a reference if value was written before; else number it."""
        index = self.memo.get(id(value))
        if index is not None:
            self.out.append(T_REF)
            self.varint(index)
            return True
        self.memo[id(value)] = len(self.memo)
        return False

    def write_none(self, value):
        self.out.append(T_NONE)

    def write_bool(self, value):
        self.out.append(T_TRUE if value else T_FALSE)

    def write_int(self, value):
        self.out.append(T_INT)
        self.varint(value * 2 if value >= 0 else -value * 2 - 1)

    def write_float(self, value):
        self.out.append(T_FLOAT)
        self.out += DOUBLE.pack(value)

    def write_str(self, value):
        data = value.encode("utf-8")
        self.out.append(T_STR)
        self.varint(len(data))
        self.out += data

    def write_bytes(self, value):
        self.out.append(T_BYTES)
        self.varint(len(value))
        self.out += value

    def write_list(self, value):
        if self.remembered(value):
            return
        self.out.append(T_LIST)
        self.varint(len(value))
        for item in value:
            self.write(item)

    def write_tuple(self, value):
        # Tuples are immutable and cannot be in a cycle: no memo entry.
        self.out.append(T_TUPLE)
        self.varint(len(value))
        for item in value:
            self.write(item)

    def write_dict(self, value):
        if self.remembered(value):
            return
        self.out.append(T_DICT)
        self.varint(len(value))
        for key, item in value.items():
            self.write(key)
            self.write(item)

    def write_object(self, value):
        if self.remembered(value):
            return
        self.out.append(T_OBJECT)
        name = type(value).__name__.encode("ascii")
        self.varint(len(name))
        self.out += name
        state = value.__dict__
        self.varint(len(state))
        for key, item in state.items():
            self.write_str(key)
            self.write(item)


class Reader(object):
    """Rebuild a value from the bytes of Writer.dumps()."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.memo = []
        self.dispatch = {
            T_NONE: self.read_none, T_TRUE: self.read_true,
            T_FALSE: self.read_false, T_INT: self.read_int,
            T_FLOAT: self.read_float, T_STR: self.read_str,
            T_BYTES: self.read_bytes, T_LIST: self.read_list,
            T_TUPLE: self.read_tuple, T_DICT: self.read_dict,
            T_OBJECT: self.read_object, T_REF: self.read_ref,
        }

    def loads(self):
        value = self.read()
        if self.pos != len(self.data):
            raise ValueError("%d bytes left over" % (len(self.data) - self.pos))
        return value

    def read(self):
        tag = self.data[self.pos]
        self.pos += 1
        return self.dispatch[tag]()

    def varint(self):
        data, pos = self.data, self.pos
        n = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            n |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
        self.pos = pos
        return n

    def read_none(self):
        return None

    def read_true(self):
        return True

    def read_false(self):
        return False

    def read_int(self):
        n = self.varint()
        return n >> 1 if not n & 1 else -((n + 1) >> 1)

    def read_float(self):
        value, = DOUBLE.unpack_from(self.data, self.pos)
        self.pos += 8
        return value

    def read_raw(self):
        size = self.varint()
        start = self.pos
        self.pos = start + size
        return self.data[start:start + size]

    def read_str(self):
        return self.read_raw().decode("utf-8")

    def read_bytes(self):
        return bytes(self.read_raw())

    def read_list(self):
        result = []
        self.memo.append(result)
        for _ in range(self.varint()):
            result.append(self.read())
        return result

    def read_tuple(self):
        return tuple([self.read() for _ in range(self.varint())])

    def read_dict(self):
        result = {}
        self.memo.append(result)
        for _ in range(self.varint()):
            key = self.read()
            result[key] = self.read()
        return result

    def read_object(self):
        cls = CLASSES[self.read_raw().decode("ascii")]
        obj = cls.__new__(cls)
        self.memo.append(obj)
        state = obj.__dict__
        for _ in range(self.varint()):
            self.pos += 1                     # the key's T_STR tag
            key = self.read_str()
            state[key] = self.read()
        return obj

    def read_ref(self):
        return self.memo[self.varint()]


def make_library():
    rng = Lcg(777)
    words = ["river", "stone", "night", "garden", "ember", "winter", "glass",
             "city", "ocean", "letter", "mirror", "Zoë", "café", "東京"]
    authors = [Author("Author %d %s" % (i, words[i % len(words)]),
                      1900 + rng.next(100)) for i in range(AUTHORS)]
    books = []
    for i in range(BOOKS):
        title = " ".join(words[rng.next(len(words))] for _ in range(1 + rng.next(4)))
        book = Book("978-%09d" % rng.next(10 ** 9), title,
                    authors[rng.next(AUTHORS)], 1950 + rng.next(70),
                    [words[rng.next(len(words))] for _ in range(rng.next(4))])
        if rng.next(3):
            book.rating = rng.next(50) / 10.0
        books.append(book)
    members = [Member(i, "member-%d" % i) for i in range(MEMBERS)]
    loans = []
    for i in range(LOANS):
        member = members[rng.next(MEMBERS)]
        loan = Loan(books[rng.next(BOOKS)], member, rng.next(365),
                    rng.next(1000) / 4.0)
        loan.returned = rng.next(2) == 0
        member.loans.append(loan)
        loans.append(loan)
    return {
        "name": "Ember library",
        "authors": authors,
        "books": books,
        "members": members,
        "loans": loans,
        "stats": {"opened": (1999, 4, 1), "ratio": 0.625, "negative": -12345678901234,
                  "raw": b"\x00\x01\xfe\xff", "nested": [[i, -i, i * 0.5] for i in range(50)]},
    }


def same_object(a, b, seen):
    """Field-by-field equality of two library objects; `seen` stops cycles."""
    if type(a) is not type(b):
        return False
    if type(a).__name__ in CLASSES:
        if (id(a), id(b)) in seen:
            return True
        seen.add((id(a), id(b)))
        if a.__dict__.keys() != b.__dict__.keys():
            return False
        return all(same_object(a.__dict__[k], b.__dict__[k], seen) for k in a.__dict__)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_object(x, y, seen) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_object(a[k], b[k], seen) for k in a)
    return a == b


def sharing_ok(orig, copy):
    """Shared objects are shared in the copy and none is an original."""
    books = dict((id(b), i) for i, b in enumerate(copy["books"]))
    authors = dict((id(a), i) for i, a in enumerate(copy["authors"]))
    shared = 0
    for loan, old in zip(copy["loans"], orig["loans"]):
        if loan is old or id(loan.book) not in books or loan not in loan.member.loans:
            return -1
        if loan.member is not copy["members"][loan.member.number]:
            return -1
        shared += 1
    for book in copy["books"]:
        if id(book.author) not in authors:
            return -1
        shared += 1
    return shared


_library = None


def run():
    global _library
    if _library is None:
        _library = make_library()
    data = Writer().dumps(_library)
    copy = Reader(data).loads()
    again = Writer().dumps(copy)
    return (same_object(_library, copy, set()), sharing_ok(_library, copy),
            again == data, len(data), zlib.crc32(data))


# Facts: the copy equals the original, every loan and book shares its
# objects (LOANS + BOOKS), and the second serialization equals the first.
# Golden values, computed once with this file and pinned: the length and
# crc32 of the bytes.
EXPECTED = (True, LOANS + BOOKS, True, 183990, 1203957504)
FIELDS = ("copy equal", "shared references", "serializations identical",
          "length", "crc32")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(FIELDS, EXPECTED, result):
        assert type(got) is type(want) and got == want, (
            "expected %s %r, got %r" % (name, want, got))
