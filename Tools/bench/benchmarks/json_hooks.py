"""JSON with hooks: encoding custom types through default= and a JSONEncoder subclass, decoding with object_hook.

An order book of our own classes (Money with a currency, Trade with a
datetime.date and a set of flags, Account holding a list of trades and a
complex-number risk vector), built once with the shared LCG, is encoded
three ways: json.dumps with a default= function (the C encoder calling
back into Python for every custom object), a JSONEncoder subclass whose
default() method does the same through a dispatch on type, with sorted
keys, and the same subclass with indent=2 (the pure-Python encoder).
Each text is decoded with an object_hook that turns {"__type__": ...}
dicts back into the classes, and one with object_pairs_hook that keeps
the key order in a list of pairs.  It exercises the json module's calls
into Python hooks in both directions.  The result is checked: every
decoded copy equals the original, the three encodings decode to the
same value, the hook call counts equal the object counts computed from
the data, and the lengths and zlib.crc32 of the texts, computed once and
pinned.
"""

import datetime
import json
import zlib

from _lcg import Lcg

GROUP = "stdlib"

ACCOUNTS = 60
TRADES = 12          # per account, on average


class Money(object):
    __slots__ = ("cents", "currency")

    def __init__(self, cents, currency):
        self.cents = cents
        self.currency = currency

    def __eq__(self, other):
        return (type(other) is Money and self.cents == other.cents and
                self.currency == other.currency)


class Trade(object):
    def __init__(self, ident, symbol, price, quantity, day, flags):
        self.ident = ident
        self.symbol = symbol
        self.price = price
        self.quantity = quantity
        self.day = day
        self.flags = flags

    def __eq__(self, other):
        return type(other) is Trade and self.__dict__ == other.__dict__


class Account(object):
    def __init__(self, owner, balance, trades, risk):
        self.owner = owner
        self.balance = balance
        self.trades = trades
        self.risk = risk

    def __eq__(self, other):
        return type(other) is Account and self.__dict__ == other.__dict__


def encode_object(obj):
    """default= hook: a JSON-able dict for each custom type."""
    if isinstance(obj, Money):
        return {"__type__": "Money", "cents": obj.cents, "currency": obj.currency}
    if isinstance(obj, Trade):
        d = dict(obj.__dict__)
        d["__type__"] = "Trade"
        return d
    if isinstance(obj, Account):
        d = dict(obj.__dict__)
        d["__type__"] = "Account"
        return d
    if isinstance(obj, datetime.date):
        return {"__type__": "date", "iso": obj.isoformat()}
    if isinstance(obj, (set, frozenset)):
        return {"__type__": "set", "items": sorted(obj)}
    if isinstance(obj, complex):
        return {"__type__": "complex", "re": obj.real, "im": obj.imag}
    raise TypeError("not serializable: %r" % (type(obj),))


class LedgerEncoder(json.JSONEncoder):
    """The same conversions as a JSONEncoder subclass, by a type dispatch."""

    def __init__(self, **kwargs):
        super(LedgerEncoder, self).__init__(**kwargs)
        self.calls = 0
        self.table = {
            Money: self.money, Trade: self.plain, Account: self.plain,
            datetime.date: self.date, set: self.set, complex: self.complex,
        }

    def default(self, obj):
        self.calls += 1
        method = self.table.get(type(obj))
        if method is None:
            return super(LedgerEncoder, self).default(obj)
        return method(obj)

    def money(self, obj):
        return {"__type__": "Money", "cents": obj.cents, "currency": obj.currency}

    def plain(self, obj):
        d = dict(obj.__dict__)
        d["__type__"] = type(obj).__name__
        return d

    def date(self, obj):
        return {"__type__": "date", "iso": obj.isoformat()}

    def set(self, obj):
        return {"__type__": "set", "items": sorted(obj)}

    def complex(self, obj):
        return {"__type__": "complex", "re": obj.real, "im": obj.imag}


class Decoder(object):
    """object_hook: rebuild the custom types, counting what it saw."""

    def __init__(self):
        self.calls = 0
        self.built = 0

    def __call__(self, d):
        self.calls += 1
        kind = d.pop("__type__", None)
        if kind is None:
            return d
        self.built += 1
        if kind == "Money":
            return Money(d["cents"], d["currency"])
        if kind == "Trade":
            return Trade(d["ident"], d["symbol"], d["price"], d["quantity"],
                         d["day"], d["flags"])
        if kind == "Account":
            return Account(d["owner"], d["balance"], d["trades"], d["risk"])
        if kind == "date":
            return datetime.date.fromisoformat(d["iso"])
        if kind == "set":
            return set(d["items"])
        if kind == "complex":
            return complex(d["re"], d["im"])
        raise ValueError("unknown type %r" % (kind,))


def pairs_hook(pairs):
    """object_pairs_hook: keep each object as its list of pairs."""
    return pairs


def make_book():
    rng = Lcg(31337)
    symbols = ["ACME", "EMBR", "PYTH", "JITC", "ZOË", "ÅLAND", "東証"]
    flags = ["short", "margin", "odd-lot", "after-hours", "block"]
    currencies = ["EUR", "USD", "CHF", "JPY"]
    start = datetime.date(2020, 1, 1)
    accounts, ident = [], 0
    for i in range(ACCOUNTS):
        trades = []
        for _ in range(rng.next(2 * TRADES + 1)):
            trades.append(Trade(
                ident, symbols[rng.next(len(symbols))],
                Money(rng.next(10 ** 7), currencies[rng.next(4)]),
                rng.next(1000) - 200,
                start + datetime.timedelta(days=rng.next(1500)),
                set(flags[rng.next(len(flags))] for _ in range(rng.next(3)))))
            ident += 1
        accounts.append(Account("owner %d" % i,
                                Money(rng.next(10 ** 9), currencies[rng.next(4)]),
                                trades,
                                [complex(rng.next(1000) / 8.0, -rng.next(1000) / 16.0)
                                 for _ in range(3)]))
    return {"exchange": "Ember Exchange", "version": [1, 2, 3],
            "accounts": accounts, "open": True, "closed_days": None}


def count_custom(book):
    """How many custom objects default() must convert (and the hook rebuild)."""
    n = 0
    for acct in book["accounts"]:
        n += 1 + 1 + len(acct.risk)            # account, balance, risk
        n += 4 * len(acct.trades)              # trade, price, day, flags
    return n


_book = None


def run():
    global _book
    if _book is None:
        _book = make_book()
    book = _book
    text1 = json.dumps(book, default=encode_object)
    encoder = LedgerEncoder(sort_keys=True)
    text2 = encoder.encode(book)
    indented = LedgerEncoder(indent=2, sort_keys=True)
    text3 = indented.encode(book)
    copies, hooks = [], []
    for text in (text1, text2, text3):
        hook = Decoder()
        copies.append(json.loads(text, object_hook=hook))
        hooks.append(hook.built)
    pairs = json.loads(text1, object_pairs_hook=pairs_hook)
    first_keys = [k for k, _ in pairs]
    return (all(c == book for c in copies), encoder.calls, indented.calls,
            hooks, first_keys, len(text1), len(text2), len(text3),
            zlib.crc32(text1.encode("utf-8")), zlib.crc32(text3.encode("utf-8")))


# Golden values, computed once with this file and pinned: the text lengths
# and crc32s.  The hook counts are facts: one per custom object.
LENGTHS = (195505, 195505, 376577)
CRCS = (1778761628, 689697415)


def check(result):
    assert len(result) == 10, "expected 10 values, got %r" % (result,)
    equal, calls2, calls3, hooks, keys, len1, len2, len3, crc1, crc3 = result
    assert equal is True, "a decoded copy differs from the original"
    custom = count_custom(_book if _book is not None else make_book())
    assert calls2 == custom, "expected %d default() calls, got %r" % (custom, calls2)
    assert calls3 == custom, "expected %d default() calls, got %r" % (custom, calls3)
    assert hooks == [custom] * 3, "expected %d objects rebuilt each time, got %r" % (
        custom, hooks)
    want = ["exchange", "version", "accounts", "open", "closed_days"]
    assert keys == want, "expected keys %r, got %r" % (want, keys)
    assert (len1, len2, len3) == LENGTHS, "expected lengths %r, got %r" % (
        LENGTHS, (len1, len2, len3))
    assert (crc1, crc3) == CRCS, "expected crc32s %r, got %r" % (CRCS, (crc1, crc3))
