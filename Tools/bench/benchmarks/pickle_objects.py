"""Pickle: dumps and loads (protocol 4) of an object graph of a small shop.

The graph is a dict holding lists of user-class instances: customers (with a
shared Address per household and a list of their orders, which point back
at the customer: a cycle), products, and orders whose line items (a
__slots__ class) share the product objects; plus an index dict by id, a
list of (int, str, float) tuples, nested lists and non-ASCII strings.  It
is generated once with a fixed LCG and cached.  Each iteration pickles the
graph with protocol 4, unpickles it, and pickles the copy again.  It
exercises the pickler and unpickler: instance reduction and rebuilding,
the memo (shared references and cycles), framing.  The result says that
the copy compares equal (each class compares its fields, following the
back references by id only), that the shared references are shared again
in the copy and none point into the original, that both pickles are
identical, and gives the pickle's length and zlib.crc32, computed once and
pinned.  The classes are registered under a fixed module name so that the
bytes do not depend on how this file was imported.
"""

import pickle
import sys
import types
import zlib

from _lcg import Lcg

GROUP = "stdlib"

PROTOCOL = 4
# Keep container sizes off multiples of 1000 (the pickler's batch size): at
# exact multiples the C pickler emits an extra empty batch and PyPy's does not.
CUSTOMERS = 1050
PRODUCTS = 60
ORDERS_PER_CUSTOMER = 3          # on average
MODEL_MODULE = "ember_bench_pickle_model"


class Address(object):
    def __init__(self, street, city, postcode):
        self.street = street
        self.city = city
        self.postcode = postcode

    def __eq__(self, other):
        return (type(other) is Address and self.street == other.street and
                self.city == other.city and self.postcode == other.postcode)


class Product(object):
    def __init__(self, sku, title, price, dims):
        self.sku = sku
        self.title = title
        self.price = price
        self.dims = dims          # tuple of floats

    def __eq__(self, other):
        return (type(other) is Product and self.sku == other.sku and
                self.title == other.title and self.price == other.price and
                self.dims == other.dims)


class LineItem(object):
    __slots__ = ("product", "quantity", "discount")

    def __init__(self, product, quantity, discount):
        self.product = product
        self.quantity = quantity
        self.discount = discount

    def __eq__(self, other):
        return (type(other) is LineItem and self.product == other.product and
                self.quantity == other.quantity and
                self.discount == other.discount)


class Order(object):
    def __init__(self, number, customer, lines, status, notes):
        self.number = number
        self.customer = customer  # back reference: compared by id only
        self.lines = lines
        self.status = status
        self.notes = notes

    def __eq__(self, other):
        return (type(other) is Order and self.number == other.number and
                self.customer.ident == other.customer.ident and
                self.lines == other.lines and self.status == other.status and
                self.notes == other.notes)


class Customer(object):
    def __init__(self, ident, name, address, vip):
        self.ident = ident
        self.name = name
        self.address = address
        self.vip = vip
        self.orders = []
        self.prefs = {"lang": "en", "news": vip, "limits": [ident % 7, 100]}

    def __eq__(self, other):
        return (type(other) is Customer and self.ident == other.ident and
                self.name == other.name and self.address == other.address and
                self.vip == other.vip and self.orders == other.orders and
                self.prefs == other.prefs)


# Pickles name classes by module and qualified name; give them a fixed home.
_model = types.ModuleType(MODEL_MODULE)
for _cls in (Address, Product, LineItem, Order, Customer):
    _cls.__module__ = MODEL_MODULE
    setattr(_model, _cls.__name__, _cls)
sys.modules[MODEL_MODULE] = _model

NAMES = ["Ana", "Zoë", "José", "Søren", "Łukasz", "Ming", "Дмитрий", "Priya"]
CITIES = ["Zürich", "Kraków", "東京", "Lisboa", "Oslo", "Montréal"]
STATUSES = ["new", "paid", "shipped", "returned"]


def make_graph():
    rng = Lcg(4242)
    products = [Product("SKU-%04d" % i, "Item %d %s" % (i, NAMES[i % 8]),
                        (99 + rng.next(100000)) / 100.0,
                        (rng.next(500) / 10.0, rng.next(500) / 10.0))
                for i in range(PRODUCTS)]
    customers, orders, address = [], [], None
    for ident in range(CUSTOMERS):
        if ident % 3 == 0:        # a new household; the next two share it
            address = Address("%d Main St" % rng.next(1000),
                              CITIES[rng.next(len(CITIES))],
                              "%05d" % rng.next(100000))
        customer = Customer(ident, NAMES[rng.next(8)] + " #%d" % ident,
                            address, rng.next(5) == 0)
        for _ in range(rng.next(2 * ORDERS_PER_CUSTOMER + 1)):
            lines = [LineItem(products[rng.next(PRODUCTS)], 1 + rng.next(5),
                              rng.next(30) / 100.0)
                     for _ in range(1 + rng.next(4))]
            order = Order(len(orders), customer, lines,
                          STATUSES[rng.next(4)],
                          None if rng.next(2) else ["gift", "wrap %d" % ident])
            customer.orders.append(order)
            orders.append(order)
        customers.append(customer)
    return {
        "clients": customers,
        "catalog": products,
        "ledger": orders,
        "by_id": dict((c.ident, c) for c in customers),
        "rates": [(i, "r%d" % i, i / 8.0) for i in range(200)],
        "grid": [[rng.next(1000) for _ in range(20)] for _ in range(20)],
        "version": (4, 2, "ß"),
    }


_graph = None


def graph():
    """The graph, built on first use and then reused."""
    global _graph
    if _graph is None:
        _graph = make_graph()
    return _graph


def sharing_ok(orig, copy):
    """Shared references are shared in the copy, and none lead to orig."""
    products = dict((p.sku, p) for p in copy["catalog"])
    ok = 0
    for c, oc in zip(copy["clients"], orig["clients"]):
        if c is oc or c.address is oc.address:
            return -1
        if copy["by_id"][c.ident] is not c:
            return -1
        for order in c.orders:
            if (order.customer is not c or
                    copy["ledger"][order.number] is not order):
                return -1
            for line in order.lines:
                if line.product is not products[line.product.sku]:
                    return -1
                ok += 1
        if c.ident % 3 and c.address is not copy["clients"][c.ident - 1].address:
            return -1
    return ok


def run():
    orig = graph()
    data = pickle.dumps(orig, protocol=PROTOCOL)
    copy = pickle.loads(data)
    again = pickle.dumps(copy, protocol=PROTOCOL)
    return (copy == orig, sharing_ok(orig, copy), again == data,
            len(copy["ledger"]), len(data), zlib.crc32(data))


# Facts: the copy equals the original and the second pickle equals the first.
# Golden values, computed once with this file and pinned: the number of line
# items (each checked to share its product), the order count, and the
# pickle's length and crc32.
EXPECTED = (True, 7816, True, 3124, 521822, 1922900183)
FIELDS = ("copy equal", "shared line items", "pickles identical", "orders",
          "pickle length", "pickle crc32")


def check(result):
    assert len(result) == len(EXPECTED), "expected %d values, got %r" % (
        len(EXPECTED), result)
    for name, want, got in zip(FIELDS, EXPECTED, result):
        assert type(got) is type(want) and got == want, (
            "expected %s %r, got %r" % (name, want, got))
