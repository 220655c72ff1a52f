"""Richards: Martin Richards' simulation of a small operating-system task scheduler.

Six tasks share one scheduler: an idle task that releases the two device
tasks in a pseudo-random pattern, a worker task that fills work packets and
sends them alternately to two handler tasks, and the two handler tasks that
pass the characters of each work packet to their device task one at a time
on device packets.  Each task is waiting, held or runnable (with or without
packets queued for it); the scheduler always resumes the highest-priority
runnable task.  It exercises method calls on small objects, attribute
access, linked lists and integer bit operations.  With the standard count of
10000 idle-task steps the simulation queues 23246 packets and holds a task
9297 times (the benchmark's classic verification); the result is those two
counts for each of the RUNS simulations and is checked against them.
"""

GROUP = "object"

IDLE_COUNT = 10000     # steps the idle task takes before it stops the system
RUNS = 3               # simulations per run() (sized for ~40-120 ms on CPython)

# Known facts of the standard simulation (IDLE_COUNT = 10000).
EXPECTED_QUEUE_COUNT = 23246
EXPECTED_HOLD_COUNT = 9297

# Task identities, in the order of the original program (index into the table).
IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = 1, 2, 3, 4, 5, 6

# Packet kinds.
DEVICE_PACKET = 0
WORK_PACKET = 1

# A task's state is three flag bits.
HAS_PACKET = 1   # packets are queued for it
WAITING = 2      # it waits for a packet
HELD = 4         # it has been put on hold

BUFFER_SIZE = 4  # characters carried by one work packet
ALPHABET_SIZE = 26


class Packet(object):
    """A message: queued on a task's input list, carrying a small buffer."""

    __slots__ = ("link", "ident", "kind", "datum", "data")

    def __init__(self, link, ident, kind):
        self.link = link      # next packet in the queue, or None
        self.ident = ident    # destination task (and, once sent, the sender)
        self.kind = kind
        self.datum = 0        # a counter or one character code
        self.data = [0] * BUFFER_SIZE

    def append_to(self, queue):
        """Put this packet at the end of queue (a packet or None); return the new head."""
        self.link = None
        if queue is None:
            return self
        last = queue
        while last.link is not None:
            last = last.link
        last.link = self
        return queue


class Task(object):
    """A task control block; subclasses supply step(packet)."""

    def __init__(self, system, ident, priority, queue, state):
        self.system = system
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.state = state
        self.next = system.task_list   # tasks are linked in creation order, newest first
        system.task_list = self
        system.table[ident] = self

    def is_blocked(self):
        """Held, or waiting with nothing queued."""
        state = self.state
        return state & HELD != 0 or state == WAITING

    def take_packet(self):
        """Remove the first queued packet and mark the task runnable."""
        packet = self.queue
        self.queue = packet.link
        self.state = HAS_PACKET if self.queue is not None else 0
        return packet

    def step(self, packet):
        raise NotImplementedError


class IdleTask(Task):
    """Wakes the two device tasks in a pseudo-random order, then stops."""

    def __init__(self, system, ident, priority, queue, state, seed, count):
        Task.__init__(self, system, ident, priority, queue, state)
        self.seed = seed
        self.count = count

    def step(self, packet):
        system = self.system
        self.count -= 1
        if self.count == 0:
            return system.hold_current()
        if self.seed & 1 == 0:
            self.seed >>= 1
            return system.release(DEVICE_A)
        self.seed = (self.seed >> 1) ^ 0xD008
        return system.release(DEVICE_B)


class WorkerTask(Task):
    """Fills each work packet with letters and sends it to a handler, alternately."""

    def __init__(self, system, ident, priority, queue, state):
        Task.__init__(self, system, ident, priority, queue, state)
        self.destination = HANDLER_A
        self.letter = 0

    def step(self, packet):
        system = self.system
        if packet is None:
            return system.wait_current()
        self.destination = HANDLER_A + HANDLER_B - self.destination
        packet.ident = self.destination
        packet.datum = 0
        data = packet.data
        for i in range(BUFFER_SIZE):
            self.letter += 1
            if self.letter > ALPHABET_SIZE:
                self.letter = 1
            data[i] = self.letter
        return system.send(packet)


class HandlerTask(Task):
    """Copies a work packet's characters, one per device packet, to its device."""

    def __init__(self, system, ident, priority, queue, state):
        Task.__init__(self, system, ident, priority, queue, state)
        self.work = None      # queue of work packets to copy out
        self.devices = None   # queue of empty device packets

    def step(self, packet):
        system = self.system
        if packet is not None:
            if packet.kind == WORK_PACKET:
                self.work = packet.append_to(self.work)
            else:
                self.devices = packet.append_to(self.devices)
        work = self.work
        if work is not None:
            position = work.datum
            if position >= BUFFER_SIZE:
                # All characters sent: return the work packet to the worker.
                self.work = work.link
                return system.send(work)
            device = self.devices
            if device is not None:
                self.devices = device.link
                device.datum = work.data[position]
                work.datum = position + 1
                return system.send(device)
        return system.wait_current()


class DeviceTask(Task):
    """Holds on to one device packet at a time and hands it back when woken."""

    def __init__(self, system, ident, priority, queue, state):
        Task.__init__(self, system, ident, priority, queue, state)
        self.pending = None

    def step(self, packet):
        system = self.system
        if packet is None:
            pending = self.pending
            if pending is None:
                return system.wait_current()
            self.pending = None
            return system.send(pending)
        self.pending = packet
        return system.hold_current()


class System(object):
    """The scheduler: the task table, the running task and the two counters."""

    def __init__(self):
        self.task_list = None
        self.table = [None] * (DEVICE_B + 1)
        self.current = None
        self.queue_count = 0
        self.hold_count = 0

    # -- operations a running task asks for; each returns the task to run next --

    def hold_current(self):
        self.hold_count += 1
        current = self.current
        current.state |= HELD
        return current.next

    def wait_current(self):
        current = self.current
        current.state |= WAITING
        return current

    def release(self, ident):
        task = self.table[ident]
        task.state &= ~HELD
        if task.priority > self.current.priority:
            return task
        return self.current

    def send(self, packet):
        """Queue packet for its destination task; the sender becomes its ident."""
        task = self.table[packet.ident]
        self.queue_count += 1
        packet.link = None
        packet.ident = self.current.ident
        if task.queue is None:
            task.queue = packet
            task.state |= HAS_PACKET
            if task.priority > self.current.priority:
                return task
        else:
            task.queue = packet.append_to(task.queue)
        return self.current

    # -- the scheduler loop --

    def schedule(self):
        task = self.task_list
        while task is not None:
            if task.is_blocked():
                task = task.next
                continue
            packet = None
            if task.state == WAITING | HAS_PACKET:
                packet = task.take_packet()
            self.current = task
            task = task.step(packet)


def make_packets(count, ident, kind):
    """A queue of count fresh packets addressed to ident."""
    queue = None
    for _ in range(count):
        queue = Packet(queue, ident, kind)
    return queue


def simulate(idle_count):
    """Build the standard six-task system, run it to the end, return the counters."""
    system = System()
    IdleTask(system, IDLE, 0, None, 0, 1, idle_count)
    WorkerTask(system, WORKER, 1000, make_packets(2, 0, WORK_PACKET), WAITING | HAS_PACKET)
    HandlerTask(system, HANDLER_A, 2000, make_packets(3, DEVICE_A, DEVICE_PACKET),
                WAITING | HAS_PACKET)
    HandlerTask(system, HANDLER_B, 3000, make_packets(3, DEVICE_B, DEVICE_PACKET),
                WAITING | HAS_PACKET)
    DeviceTask(system, DEVICE_A, 4000, None, WAITING)
    DeviceTask(system, DEVICE_B, 5000, None, WAITING)
    system.schedule()
    return system.queue_count, system.hold_count


def run():
    results = []
    for _ in range(RUNS):
        queued, held = simulate(IDLE_COUNT)
        results.append(queued)
        results.append(held)
    return tuple(results)


def check(result):
    expected = (EXPECTED_QUEUE_COUNT, EXPECTED_HOLD_COUNT) * RUNS
    assert isinstance(result, tuple), "expected a tuple, got %r" % (result,)
    assert len(result) == len(expected), "expected %d counts, got %r" % (
        len(expected), result)
    for i, (want, got) in enumerate(zip(expected, result)):
        what = "queue" if i % 2 == 0 else "hold"
        assert type(got) is int and got == want, (
            "simulation %d: expected %s count %d, got %r" % (i // 2 + 1, what, want, got))
