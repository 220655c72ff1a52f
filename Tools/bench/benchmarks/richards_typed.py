"""Richards (typed): the Richards task-scheduler simulation with full type annotations.

The same workload as richards.py (an idle task, a worker task, two handler
tasks and two device tasks exchanging packets under a priority scheduler,
each task waiting, held or runnable), written separately with a type
annotation on every parameter, return value and attribute (class-level
annotations; typing.Optional/List only, no runtime type checks) so that
Ember's Static Python can compile it from the real annotations; on any other
interpreter the annotations are inert.  It exercises method calls on small
objects, attribute access, linked lists and integer bit operations.  With
the standard count of 10000 idle-task steps the simulation queues 23246
packets and holds a task 9297 times; the result is those two counts for
each of the RUNS simulations and is checked against them.
"""

from typing import List, Optional, Tuple

GROUP = "object"

IDLE_COUNT: int = 10000   # steps the idle task takes before it stops the system
RUNS: int = 3             # simulations per run() (sized for ~40-120 ms on CPython)

# Known facts of the standard simulation (IDLE_COUNT = 10000).
EXPECTED_QUEUE_COUNT: int = 23246
EXPECTED_HOLD_COUNT: int = 9297

# Task identities (indexes into the scheduler's table).
IDLE: int = 1
WORKER: int = 2
HANDLER_A: int = 3
HANDLER_B: int = 4
DEVICE_A: int = 5
DEVICE_B: int = 6
TASK_SLOTS: int = 7

# Packet kinds.
DEVICE_PACKET: int = 0
WORK_PACKET: int = 1

# State flag bits of a task.
HAS_PACKET: int = 1   # packets are queued for it
WAITING: int = 2      # it waits for a packet
HELD: int = 4         # it has been put on hold
NOT_HELD: int = ~HELD

BUFFER_SIZE: int = 4      # characters carried by one work packet
ALPHABET_SIZE: int = 26


class Packet:
    """A message on a task's queue, carrying a counter and a small buffer."""

    link: Optional["Packet"]
    ident: int
    kind: int
    datum: int
    data: List[int]

    def __init__(self, link: Optional["Packet"], ident: int, kind: int) -> None:
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0] * BUFFER_SIZE


def enqueue(queue: Optional[Packet], packet: Packet) -> Packet:
    """Append packet to the end of queue; return the queue's head."""
    packet.link = None
    if queue is None:
        return packet
    tail: Packet = queue
    following: Optional[Packet] = tail.link
    while following is not None:
        tail = following
        following = tail.link
    tail.link = packet
    return queue


class Scheduler:
    """Owns the tasks, knows the running one, and counts sends and holds."""

    tasks: Optional["Task"]
    table: List[Optional["Task"]]
    current: Optional["Task"]
    queue_count: int
    hold_count: int

    def __init__(self) -> None:
        self.tasks = None
        self.table = [None] * TASK_SLOTS
        self.current = None
        self.queue_count = 0
        self.hold_count = 0

    def register(self, task: "Task") -> None:
        task.next = self.tasks
        self.tasks = task
        self.table[task.ident] = task

    def lookup(self, ident: int) -> "Task":
        task: Optional[Task] = self.table[ident]
        assert task is not None
        return task

    def running(self) -> "Task":
        task: Optional[Task] = self.current
        assert task is not None
        return task

    def hold_self(self) -> Optional["Task"]:
        self.hold_count += 1
        task: Task = self.running()
        task.state = task.state | HELD
        return task.next

    def wait_self(self) -> "Task":
        task: Task = self.running()
        task.state = task.state | WAITING
        return task

    def release(self, ident: int) -> "Task":
        task: Task = self.lookup(ident)
        me: Task = self.running()
        task.state = task.state & NOT_HELD
        if task.priority > me.priority:
            return task
        return me

    def send(self, packet: Packet) -> "Task":
        target: Task = self.lookup(packet.ident)
        me: Task = self.running()
        self.queue_count += 1
        packet.link = None
        packet.ident = me.ident
        if target.queue is None:
            target.queue = packet
            target.state = target.state | HAS_PACKET
            if target.priority > me.priority:
                return target
        else:
            target.queue = enqueue(target.queue, packet)
        return me

    def run_all(self) -> None:
        task: Optional[Task] = self.tasks
        while task is not None:
            state: int = task.state
            if state & HELD != 0 or state == WAITING:
                task = task.next
                continue
            packet: Optional[Packet] = None
            if state == WAITING | HAS_PACKET:
                packet = task.queue
                assert packet is not None
                task.queue = packet.link
                task.state = HAS_PACKET if task.queue is not None else 0
            self.current = task
            task = task.step(packet)


class Task:
    """A task control block; each kind of task overrides step()."""

    scheduler: Scheduler
    ident: int
    priority: int
    queue: Optional[Packet]
    state: int
    next: Optional["Task"]

    def __init__(self, scheduler: Scheduler, ident: int, priority: int,
                 queue: Optional[Packet], state: int) -> None:
        self.scheduler = scheduler
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.state = state
        self.next = None
        scheduler.register(self)

    def step(self, packet: Optional[Packet]) -> Optional["Task"]:
        raise NotImplementedError


class IdleTask(Task):
    """Releases one device task per step, chosen by a shift register, COUNT times."""

    seed: int
    count: int

    def __init__(self, scheduler: Scheduler, priority: int, count: int) -> None:
        Task.__init__(self, scheduler, IDLE, priority, None, 0)
        self.seed = 1
        self.count = count

    def step(self, packet: Optional[Packet]) -> Optional[Task]:
        self.count -= 1
        if self.count == 0:
            return self.scheduler.hold_self()
        seed: int = self.seed
        if seed & 1 == 0:
            self.seed = seed >> 1
            return self.scheduler.release(DEVICE_A)
        self.seed = (seed >> 1) ^ 0xD008
        return self.scheduler.release(DEVICE_B)


class WorkerTask(Task):
    """Fills work packets with letters and sends them to the handlers in turn."""

    handler: int
    letter: int

    def __init__(self, scheduler: Scheduler, priority: int, queue: Optional[Packet]) -> None:
        Task.__init__(self, scheduler, WORKER, priority, queue, WAITING | HAS_PACKET)
        self.handler = HANDLER_A
        self.letter = 0

    def step(self, packet: Optional[Packet]) -> Optional[Task]:
        if packet is None:
            return self.scheduler.wait_self()
        self.handler = HANDLER_A + HANDLER_B - self.handler
        packet.ident = self.handler
        packet.datum = 0
        data: List[int] = packet.data
        letter: int = self.letter
        i: int = 0
        while i < BUFFER_SIZE:
            letter += 1
            if letter > ALPHABET_SIZE:
                letter = 1
            data[i] = letter
            i += 1
        self.letter = letter
        return self.scheduler.send(packet)


class HandlerTask(Task):
    """Sends a work packet's characters to its device, one device packet each."""

    work: Optional[Packet]
    devices: Optional[Packet]

    def __init__(self, scheduler: Scheduler, ident: int, priority: int,
                 queue: Optional[Packet]) -> None:
        Task.__init__(self, scheduler, ident, priority, queue, WAITING | HAS_PACKET)
        self.work = None
        self.devices = None

    def step(self, packet: Optional[Packet]) -> Optional[Task]:
        if packet is not None:
            if packet.kind == WORK_PACKET:
                self.work = enqueue(self.work, packet)
            else:
                self.devices = enqueue(self.devices, packet)
        work: Optional[Packet] = self.work
        if work is not None:
            position: int = work.datum
            if position >= BUFFER_SIZE:
                self.work = work.link
                return self.scheduler.send(work)
            device: Optional[Packet] = self.devices
            if device is not None:
                self.devices = device.link
                device.datum = work.data[position]
                work.datum = position + 1
                return self.scheduler.send(device)
        return self.scheduler.wait_self()


class DeviceTask(Task):
    """Keeps the device packet it was sent and returns it when next woken."""

    pending: Optional[Packet]

    def __init__(self, scheduler: Scheduler, ident: int, priority: int) -> None:
        Task.__init__(self, scheduler, ident, priority, None, WAITING)
        self.pending = None

    def step(self, packet: Optional[Packet]) -> Optional[Task]:
        if packet is None:
            pending: Optional[Packet] = self.pending
            if pending is None:
                return self.scheduler.wait_self()
            self.pending = None
            return self.scheduler.send(pending)
        self.pending = packet
        return self.scheduler.hold_self()


def packet_chain(count: int, ident: int, kind: int) -> Optional[Packet]:
    """count fresh packets linked into a queue, each addressed to ident."""
    head: Optional[Packet] = None
    i: int = 0
    while i < count:
        head = Packet(head, ident, kind)
        i += 1
    return head


def simulate(idle_count: int) -> Tuple[int, int]:
    """Run the standard six-task system to the end; return (queue count, hold count)."""
    scheduler: Scheduler = Scheduler()
    IdleTask(scheduler, 0, idle_count)
    WorkerTask(scheduler, 1000, packet_chain(2, 0, WORK_PACKET))
    HandlerTask(scheduler, HANDLER_A, 2000, packet_chain(3, DEVICE_A, DEVICE_PACKET))
    HandlerTask(scheduler, HANDLER_B, 3000, packet_chain(3, DEVICE_B, DEVICE_PACKET))
    DeviceTask(scheduler, DEVICE_A, 4000)
    DeviceTask(scheduler, DEVICE_B, 5000)
    scheduler.run_all()
    return scheduler.queue_count, scheduler.hold_count


def run() -> Tuple[int, ...]:
    counts: List[int] = []
    for _ in range(RUNS):
        queued, held = simulate(IDLE_COUNT)
        counts.append(queued)
        counts.append(held)
    return tuple(counts)


def check(result: Tuple[int, ...]) -> None:
    expected: Tuple[int, ...] = (EXPECTED_QUEUE_COUNT, EXPECTED_HOLD_COUNT) * RUNS
    assert isinstance(result, tuple), "expected a tuple, got %r" % (result,)
    assert len(result) == len(expected), "expected %d counts, got %r" % (
        len(expected), result)
    for i in range(len(expected)):
        want: int = expected[i]
        got: int = result[i]
        what: str = "queue" if i % 2 == 0 else "hold"
        assert type(got) is int and got == want, (
            "simulation %d: expected %s count %d, got %r" % (i // 2 + 1, what, want, got))
