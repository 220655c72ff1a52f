"""Eager tasks: a task's first step runs when the task is created.

Ember's eager task execution for asyncio on 3.11, with the interface users
know from Python 3.12: `Task(coro, eager_start=True)`, the task factory
`eager_task_factory` for `loop.set_task_factory()`, and
`create_eager_task_factory(task_constructor)`.  A task created eagerly while
its loop runs takes its first step at once, in its own context and as the
current task; if the coroutine finishes there, the task is done when
create_task() returns and is never scheduled.  If it suspends, it goes on
like any task.  `asyncio.gather()` counts children that are already done
without a trip through the loop, so a gather whose children all finish
eagerly is done when it returns.  docs/eager.md has the details.

Owns no data: the task's own state is the Task's; this file holds the
steps that both Task implementations (the C one in _asyncio, the Python
one in tasks.py) share.
"""

__all__ = ('create_eager_task_factory', 'eager_task_factory')

from . import tasks


def _first_step(task, step):
    """Run `step` (the Python Task's __step) now, with `task` as the current
    task of its loop; the task that was current steps aside meanwhile."""
    loop = task._loop
    previous = tasks._current_tasks.get(loop)
    if previous is not None:
        tasks._leave_task(loop, previous)
    try:
        task._context.run(step)
    finally:
        if previous is not None:
            tasks._enter_task(loop, previous)


def create_eager_task_factory(custom_task_constructor):
    """A task factory that creates tasks with custom_task_constructor (a
    Task class or a callable with its signature) passing eager_start=True."""

    def factory(loop, coro, *, name=None, context=None):
        return custom_task_constructor(
            coro, loop=loop, name=name, context=context, eager_start=True)

    return factory


def eager_task_factory(loop, coro, *, name=None, context=None):
    """The task factory for eager tasks of asyncio.Task:
    loop.set_task_factory(asyncio.eager_task_factory)."""
    return tasks.Task(coro, loop=loop, name=name, context=context,
                      eager_start=True)
