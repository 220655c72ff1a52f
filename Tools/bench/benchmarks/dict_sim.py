"""Dict simulation: a bank ledger of account objects in dicts, updated by a stream of transactions.

Accounts (objects with a balance, an overdraft limit, a history list and
per-category totals in a dict) live in a dict by account number; a
second dict indexes them by owner.  A stream of 60,000 transactions
generated once with the shared LCG is applied every iteration:
deposits, withdrawals refused when they would pass the overdraft limit,
transfers between accounts, account openings and closings (refused when overdrawn; the balance
moves to the owner's other account or to a suspense account), monthly
interest and fees.  It exercises dict get/set/delete with int and str
keys, attribute access on small objects and method calls.  The result
is checked: money is conserved (the final total equals the opening
total plus deposits, interest and minus withdrawals and fees, all
tallied independently in integer cents), the number of applied and
refused transactions adds up, no open account is past its limit, and
the balances' checksum and counts (computed once and pinned).
"""

from _lcg import Lcg

GROUP = "object"

ACCOUNTS = 400
TRANSACTIONS = 60000
MOD = (1 << 61) - 1


class Refused(Exception):
    pass


class Account(object):
    def __init__(self, number, owner, balance, limit):
        self.number = number
        self.owner = owner
        self.balance = balance          # cents
        self.limit = limit              # how far below zero it may go
        self.history = []
        self.totals = {}

    def post(self, kind, amount):
        if self.balance + amount < -self.limit:
            return False
        self.balance += amount
        self.history.append((kind, amount))
        self.totals[kind] = self.totals.get(kind, 0) + amount
        return True


class Bank(object):
    def __init__(self):
        self.accounts = {}
        self.by_owner = {}
        self.suspense = 0
        self.next_number = 1000
        self.tally = {"deposit": 0, "withdraw": 0, "interest": 0, "fee": 0}
        self.applied = 0
        self.refused = 0

    def open(self, owner, balance, limit):
        acct = Account(self.next_number, owner, balance, limit)
        self.next_number += 1
        self.accounts[acct.number] = acct
        self.by_owner.setdefault(owner, []).append(acct.number)
        return acct

    def close(self, number):
        acct = self.accounts.get(number)
        if acct is None or acct.balance < 0:    # an overdrawn account stays
            self.refused += 1
            return
        del self.accounts[number]
        numbers = self.by_owner[acct.owner]
        numbers.remove(number)
        if numbers:
            self.accounts[numbers[0]].balance += acct.balance
        else:
            del self.by_owner[acct.owner]
            self.suspense += acct.balance
        self.applied += 1

    def deposit(self, number, amount):
        acct = self.accounts.get(number)
        if acct is None:
            self.refused += 1
        elif acct.post("deposit", amount):
            self.tally["deposit"] += amount
            self.applied += 1

    def withdraw(self, number, amount):
        acct = self.accounts.get(number)
        if acct is not None and acct.post("withdraw", -amount):
            self.tally["withdraw"] += amount
            self.applied += 1
        else:
            self.refused += 1

    def transfer(self, source, target, amount):
        a = self.accounts.get(source)
        b = self.accounts.get(target)
        if a is None or b is None or a is b:
            self.refused += 1
            return
        if a.post("transfer-out", -amount):
            b.post("transfer-in", amount)
            self.applied += 1
        else:
            self.refused += 1

    def month_end(self):
        for acct in list(self.accounts.values()):
            if acct.balance > 0:
                interest = acct.balance * 2 // 1000
                acct.post("interest", interest)
                self.tally["interest"] += interest
            elif acct.balance < 0:
                fee = min(500, acct.limit + acct.balance)
                if fee > 0 and acct.post("fee", -fee):
                    self.tally["fee"] += fee

    def total(self):
        return sum(a.balance for a in self.accounts.values()) + self.suspense


def make_stream():
    rng = Lcg(1212)
    opening = [("owner-%d" % (i % 300), 100 * rng.next(5000), 100 * rng.next(500))
               for i in range(ACCOUNTS)]
    stream = []
    for i in range(TRANSACTIONS):
        kind = rng.next(100)
        a = 1000 + rng.next(ACCOUNTS + 50)
        if kind < 35:
            stream.append(("deposit", a, 1 + rng.next(20000)))
        elif kind < 65:
            stream.append(("withdraw", a, 1 + rng.next(30000)))
        elif kind < 95:
            stream.append(("transfer", a, 1000 + rng.next(ACCOUNTS + 50), 1 + rng.next(25000)))
        elif kind < 97:
            stream.append(("open", "owner-%d" % rng.next(350), 100 * rng.next(1000),
                           100 * rng.next(200)))
        else:
            stream.append(("close", a))
        if i % 1000 == 999:
            stream.append(("month",))
    return opening, stream


def simulate(opening, stream):
    bank = Bank()
    for owner, balance, limit in opening:
        bank.open(owner, balance, limit)
    start = bank.total()
    for t in stream:
        kind = t[0]
        if kind == "deposit":
            bank.deposit(t[1], t[2])
        elif kind == "withdraw":
            bank.withdraw(t[1], t[2])
        elif kind == "transfer":
            bank.transfer(t[1], t[2], t[3])
        elif kind == "open":
            start += t[2]
            bank.open(t[1], t[2], t[3])
        elif kind == "close":
            bank.close(t[1])
        else:
            bank.month_end()
    return bank, start


_stream = None


def run():
    global _stream
    if _stream is None:
        _stream = make_stream()
    bank, start = simulate(*_stream)
    t = bank.tally
    expected_total = start + t["deposit"] - t["withdraw"] + t["interest"] - t["fee"]
    over = sum(1 for a in bank.accounts.values() if a.balance < -a.limit)
    h = 0
    for number in sorted(bank.accounts):
        a = bank.accounts[number]
        h = (h * 1000003 + number * 7 + a.balance + len(a.history)) % MOD
    return (bank.total() - expected_total, bank.applied + bank.refused,
            over, len(bank.accounts), len(bank.by_owner), bank.applied,
            bank.suspense, h)


# Golden values, computed once with this file and pinned: the open accounts,
# owners, applied transactions, the suspense balance and the checksum.
PINNED = (1199, 341, 12160, 54944878, 948813193082710939)


def check(result):
    assert len(result) == 8, "expected 8 values, got %r" % (result,)
    gap, handled, over = result[:3]
    assert gap == 0, "money is not conserved: %r cents unaccounted for" % (gap,)
    mutations = sum(1 for t in _stream[1] if t[0] not in ("open", "month")) \
        if _stream else TRANSACTIONS
    assert handled == mutations, "expected %d transactions handled, got %r" % (
        mutations, handled)
    assert over == 0, "%r accounts are past their limit" % (over,)
    assert result[3:] == PINNED, "expected %r, got %r" % (PINNED, result[3:])
