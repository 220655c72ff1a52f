"""String building: a sales report templated with f-strings, %-format, str.format, join and padding.

Invoice records (built once with the shared LCG) are turned into a text
report every iteration: a header centred in a ruled box, one table row
per invoice line with ljust/rjust columns and format specs (thousands
separators, fixed decimals, percentages, zero padding, hex), subtotals
per customer with %-formatting, a str.format template filled from a
dict per customer, a string.Template footer, and CSV and key=value
renderings of the same rows joined with str.join; a small hand-written
template engine substitutes {{name}} fields with str.replace and
str.partition.  It exercises the string formatting paths (f-string
FORMAT_VALUE and BUILD_STRING, the % operator, format()), join, padding
and str methods.  The result is checked: the report's line count and
the number of rows equal what the data implies, the grand total parsed
back out of the report equals the sum computed from the records, and
the length and zlib.crc32 of each rendering (computed once and pinned).
"""

import string
import zlib

from _lcg import Lcg

GROUP = "stdlib"

CUSTOMERS = 40
LINES_PER_CUSTOMER = 12        # on average
WIDTH = 78
REPEAT = 30                    # renderings per iteration

PRODUCTS = ["widget", "gadget", "sprocket", "flange", "gizmo", "doohickey",
            "thingamajig", "whatsit", "Zubehör", "café crème"]
REGIONS = ["north", "south", "east", "west"]

FOOTER = string.Template("$count invoices for $customers customers; "
                         "grand total $total ($currency)")
CUSTOMER_HEAD = "Customer {name:<20} region {region:>6} | id {ident:05d} | since {year}"


def make_invoices():
    rng = Lcg(1234)
    customers = []
    for c in range(CUSTOMERS):
        lines = []
        for i in range(rng.next(2 * LINES_PER_CUSTOMER) + 1):
            lines.append((PRODUCTS[rng.next(len(PRODUCTS))], 1 + rng.next(40),
                          rng.next(100000) / 100.0, rng.next(30) / 100.0))
        customers.append({"name": "customer-%d" % c, "ident": c * 37,
                          "region": REGIONS[rng.next(4)],
                          "year": 1990 + rng.next(30), "lines": lines})
    return customers


def cents(amount):
    return int(round(amount * 100))


def table_report(customers):
    out = []
    rule = "+" + "-" * (WIDTH - 2) + "+"
    out.append(rule)
    out.append("|" + "QUARTERLY SALES REPORT".center(WIDTH - 2) + "|")
    out.append("|" + ("%d customers" % len(customers)).center(WIDTH - 2) + "|")
    out.append(rule)
    grand = 0
    count = 0
    for cust in customers:
        out.append(CUSTOMER_HEAD.format(**cust))
        subtotal = 0
        for n, (product, qty, price, discount) in enumerate(cust["lines"], 1):
            net = cents(qty * price * (1 - discount))
            subtotal += net
            count += 1
            out.append(f"  {n:>3}. {product:<12.12} {qty:>4} x {price:>9,.2f}"
                       f" -{discount:>4.0%} = {net / 100:>12,.2f}  #{net & 0xffff:04x}")
        grand += subtotal
        out.append("  %-40s %20s" % ("subtotal for " + cust["name"],
                                      "{:,.2f}".format(subtotal / 100)))
        out.append("")
    out.append(rule)
    out.append(FOOTER.substitute(count=count, customers=len(customers),
                                 total="{:,.2f}".format(grand / 100), currency="EUR"))
    return "\n".join(out), count, grand


def csv_report(customers):
    rows = ["customer,region,product,quantity,price,discount"]
    for cust in customers:
        for product, qty, price, discount in cust["lines"]:
            rows.append(",".join([cust["name"], cust["region"],
                                  '"%s"' % product, str(qty), "%.2f" % price,
                                  repr(discount)]))
    return "\n".join(rows)


def kv_report(customers):
    parts = []
    for cust in customers:
        fields = " ".join("%s=%s" % (k, v) for k, v in sorted(cust.items())
                          if k != "lines")
        qty = sum(line[1] for line in cust["lines"])
        parts.append("[" + fields + " qty=" + str(qty) + "]")
    return "; ".join(parts)


def render(template, values):
    """A tiny template engine: {{name}} and {{name|upper}} fields."""
    out = []
    rest = template
    while True:
        before, found, after = rest.partition("{{")
        out.append(before)
        if not found:
            break
        field, _, rest = after.partition("}}")
        name, _, filt = field.strip().partition("|")
        value = str(values[name])
        if filt == "upper":
            value = value.upper()
        elif filt == "pad":
            value = value.rjust(10, ".")
        out.append(value)
    return "".join(out)


LETTER = ("Dear {{name|upper}},\nyour region {{region}} bought {{count}} items "
          "since {{year}}.\nReference: {{ident|pad}}\n")


def letters(customers):
    return "\n".join(render(LETTER, dict(cust, count=len(cust["lines"])))
                     for cust in customers)


def parse_total(report):
    """The grand total printed in the footer, in cents."""
    last = report.rsplit("\n", 1)[1]
    total = last.split("grand total ", 1)[1].split(" ", 1)[0]
    return int(total.replace(",", "").replace(".", ""))


_invoices = None


def run():
    global _invoices
    if _invoices is None:
        _invoices = make_invoices()
    results = []
    for _ in range(REPEAT):
        report, count, grand = table_report(_invoices)
        csv = csv_report(_invoices)
        kv = kv_report(_invoices)
        mail = letters(_invoices)
        results = [count, report.count("\n") + 1, grand, parse_total(report)]
        for text in (report, csv, kv, mail):
            results.append(len(text))
            results.append(zlib.crc32(text.encode("utf-8")))
    return tuple(results)


def expected_counts():
    customers = _invoices or make_invoices()
    rows = sum(len(c["lines"]) for c in customers)
    grand = sum(cents(q * p * (1 - d)) for c in customers for _, q, p, d in c["lines"])
    return rows, 4 + rows + 3 * len(customers) + 2, grand


# Golden values, computed once with this file and pinned: the length and
# crc32 of the table, the CSV, the key=value line and the letters.
PINNED = (39381, 2304291237, 22027, 952063166, 2410, 645826423, 3435, 132898179)


def check(result):
    assert len(result) == 12, "expected 12 values, got %r" % (result,)
    rows, lines, grand = expected_counts()
    assert result[0] == rows, "expected %d rows, got %r" % (rows, result[0])
    assert result[1] == lines, "expected %d report lines, got %r" % (lines, result[1])
    assert result[2] == grand, "expected grand total %d, got %r" % (grand, result[2])
    assert result[3] == grand, "the report prints total %r, not %d" % (result[3], grand)
    assert result[4:] == PINNED, "expected lengths and crc32s %r, got %r" % (
        PINNED, result[4:])
