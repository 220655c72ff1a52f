"""Eager tasks (asyncio.eager_task_factory, Task(eager_start=True)) and
gather() of children that finished eagerly: docs/eager.md.  Every test
runs for the C Task and for the Python Task."""

import asyncio
import contextvars
import unittest
from asyncio import tasks


def tearDownModule():
    asyncio.set_event_loop_policy(None)


class EagerTaskMixin:
    Task = None

    def setUp(self):
        self.loop = asyncio.new_event_loop()
        self.addCleanup(self.loop.close)
        self.loop.set_task_factory(
            asyncio.create_eager_task_factory(self.Task))

    def run_main(self, main):
        return self.loop.run_until_complete(main())

    def test_finishes_inside_create_task(self):
        log = []

        async def child():
            log.append("child ran")
            return 42

        async def main():
            task = self.loop.create_task(child())
            log.append("after create_task")
            self.assertIsInstance(task, self.Task)
            self.assertTrue(task.done())
            self.assertEqual(task.result(), 42)
            return await task

        self.assertEqual(self.run_main(main), 42)
        self.assertEqual(log, ["child ran", "after create_task"])

    def test_current_task_during_and_after_the_first_step(self):
        seen = {}

        async def child():
            seen["inside"] = asyncio.current_task()
            return None

        async def main():
            me = asyncio.current_task()
            task = self.loop.create_task(child())
            seen["after"] = asyncio.current_task()
            return me, task

        me, task = self.run_main(main)
        self.assertIs(seen["inside"], task)
        self.assertIs(seen["after"], me)

    def test_suspending_child_goes_on_as_a_task(self):
        log = []

        async def child():
            log.append("first step")
            await asyncio.sleep(0)
            log.append("second step")
            return "done"

        async def main():
            task = self.loop.create_task(child())
            log.append("creator")
            self.assertFalse(task.done())
            result = await task
            return result

        self.assertEqual(self.run_main(main), "done")
        self.assertEqual(log, ["first step", "creator", "second step"])

    def test_exception_in_first_step_is_the_tasks(self):
        async def child():
            raise ValueError("eager")

        async def main():
            task = self.loop.create_task(child())
            self.assertTrue(task.done())
            self.assertIsInstance(task.exception(), ValueError)
            return "creator unaffected"

        self.assertEqual(self.run_main(main), "creator unaffected")

    def test_runs_in_its_own_context(self):
        var = contextvars.ContextVar("var", default="unset")

        async def child():
            var.set("child")
            return var.get()

        async def main():
            task = self.loop.create_task(child())
            return task.result(), var.get()

        self.assertEqual(self.run_main(main), ("child", "unset"))

    def test_explicit_context(self):
        var = contextvars.ContextVar("var", default="unset")
        ctx = contextvars.copy_context()
        ctx.run(var.set, "given")

        async def child():
            return var.get()

        async def main():
            return self.loop.create_task(child(), context=ctx).result()

        self.assertEqual(self.run_main(main), "given")

    def test_scheduled_as_usual_when_the_loop_is_not_running(self):
        log = []

        async def child():
            log.append("ran")
            return 1

        task = self.loop.create_task(child())
        self.assertEqual(log, [])
        self.assertFalse(task.done())
        self.assertEqual(self.loop.run_until_complete(task), 1)
        self.assertEqual(log, ["ran"])

    def test_gather_of_eager_children_is_done_at_once(self):
        async def child(i):
            return i * 2

        async def sometimes(i):
            if i % 2:
                await asyncio.sleep(0)
            return i

        async def main():
            fut = asyncio.gather(*[child(i) for i in range(5)])
            self.assertTrue(fut.done())
            self.assertEqual(fut.result(), [0, 2, 4, 6, 8])
            mixed = asyncio.gather(*[sometimes(i) for i in range(5)])
            self.assertFalse(mixed.done())
            self.assertEqual(await mixed, [0, 1, 2, 3, 4])

            async def fails():
                raise KeyError("k")
            failing = asyncio.gather(child(1), fails())
            self.assertTrue(failing.done())
            self.assertIsInstance(failing.exception(), KeyError)
            return await asyncio.gather(child(1), fails(),
                                        return_exceptions=True)

        results = self.run_main(main)
        self.assertEqual(results[0], 2)
        self.assertIsInstance(results[1], KeyError)

    def test_eager_start_argument(self):
        async def child():
            return "direct"

        async def main():
            task = self.Task(child(), loop=self.loop, eager_start=True)
            self.assertTrue(task.done())
            lazy = self.Task(child(), loop=self.loop, eager_start=False)
            self.assertFalse(lazy.done())
            return task.result(), await lazy

        self.assertEqual(self.run_main(main), ("direct", "direct"))


class CTaskTests(EagerTaskMixin, unittest.TestCase):
    Task = getattr(tasks, "_CTask", None)

    def setUp(self):
        if self.Task is None:
            self.skipTest("no _asyncio")
        super().setUp()


class PyTaskTests(EagerTaskMixin, unittest.TestCase):
    Task = tasks._PyTask


class DefaultFactoryTests(unittest.TestCase):
    """Without the eager factory nothing changes."""

    def test_gather_and_create_task_are_scheduled(self):
        log = []

        async def child():
            log.append("child")
            return 1

        async def main():
            task = asyncio.get_running_loop().create_task(child())
            log.append("creator")
            fut = asyncio.gather(child())
            self.assertFalse(task.done())
            self.assertFalse(fut.done())
            return await task, await fut

        self.assertEqual(asyncio.run(main()), (1, [1]))
        self.assertEqual(log, ["creator", "child", "child"])

    def test_names_are_exported(self):
        self.assertIn("eager_task_factory", asyncio.__all__)
        self.assertIn("create_eager_task_factory", asyncio.__all__)
        self.assertIs(asyncio.eager_task_factory,
                      asyncio.eager_tasks.eager_task_factory)


if __name__ == "__main__":
    unittest.main()
