"""The loop-fed process pool (pipelines/workerpool.py), with real worker
processes: answers, raised errors, a dying worker, workers that cannot
start, recycling, many tasks in flight."""

from __future__ import annotations

import asyncio
import os

import pytest

from pipelines.workerpool import ProcessPool, WorkerDied


def square(x):
    return x * x


def pid_of(_):
    return os.getpid()


def fails(message):
    raise ValueError(message)


def dies(_):
    os._exit(3)


def cannot_start():
    raise RuntimeError("initializer fails")


def run(coro):
    return asyncio.run(coro)


def pool(target, **kw) -> ProcessPool:
    kw.setdefault("start_method", "forkserver")
    return ProcessPool(kw.pop("workers", 2), target, **kw)


def test_answers_in_order_with_many_tasks_in_flight():
    async def go():
        async with pool(square, per_worker=3) as p:
            return await asyncio.gather(*(p.run(i) for i in range(200)))

    assert run(go()) == [i * i for i in range(200)]


def echo(x):
    return x


def test_large_arguments_and_answers_cross_intact():
    """A 3 MB value, larger than the socket buffers, both ways."""
    blob = os.urandom(3 * 2**20)

    async def go():
        async with pool(echo, workers=1) as p:
            return await asyncio.gather(p.run(blob), p.run(b"small"), p.run(blob[::-1]))

    assert run(go()) == [blob, b"small", blob[::-1]]


def test_an_exception_in_the_task_is_raised_to_the_caller_and_the_worker_lives():
    async def go():
        async with pool(fails, workers=1) as p:
            with pytest.raises(ValueError, match="bad page"):
                await p.run("bad page")
            with pytest.raises(ValueError, match="again"):
                await p.run("again")
            return p.started, p.died

    assert run(go()) == (1, 0)


def test_a_dying_worker_fails_its_tasks_and_is_replaced():
    async def go():
        async with pool(dies, workers=1) as p:
            with pytest.raises(WorkerDied, match="died") as died:
                await p.run(None)
            assert died.value.ran   # the task it was running
            return p.started, p.died, len(p._workers)

    started, died, alive = run(go())
    assert died == 1 and started == 2 and alive == 1


def test_workers_that_cannot_start_make_the_pool_give_up_not_fork_forever(caplog):
    async def go():
        async with pool(square, initializer=cannot_start) as p:
            for _ in range(100):
                if p.broken:
                    break
                await asyncio.sleep(0.05)
            with pytest.raises(WorkerDied, match="broken"):
                await p.run(2)
            return p.started, p.broken

    started, broken = run(go())
    assert broken and "before they were ready" in broken
    assert started < 10
    assert "giving up" in caplog.text


def test_workers_are_replaced_after_max_tasks():
    async def go():
        async with pool(pid_of, workers=1, max_tasks=5) as p:
            pids = [await p.run(None) for _ in range(12)]
            return pids, p.started, len(p._workers)

    pids, started, alive = run(go())
    assert [len(set(pids[i:i + 5])) for i in (0, 5, 10)] == [1, 1, 1]
    assert len(set(pids)) == 3
    assert started == 3 and alive == 1       # never more than `workers` at once


def test_close_fails_waiting_tasks_and_ends_the_processes():
    async def go():
        p = pool(square, workers=1)
        p.start()
        processes = [w.process for w in p._workers]
        assert await p.run(3) == 9
        p.close()
        with pytest.raises(WorkerDied, match="closed"):
            await p.run(4)
        return processes

    processes = run(go())
    assert all(not proc.is_alive() for proc in processes)


def test_when_no_replacement_can_start_waiting_tasks_fail_instead_of_hanging(caplog, monkeypatch):
    async def go():
        async with pool(dies, workers=1) as p:
            def no_more_processes(*a, **kw):
                raise OSError("fork: resource temporarily unavailable")

            # every later start fails (the context is shared: monkeypatch restores it)
            monkeypatch.setattr(p._context, "Process", no_more_processes)
            with pytest.raises(WorkerDied, match="died"):
                await p.run(None)
            with pytest.raises(WorkerDied, match="broken"):
                await asyncio.wait_for(p.run(None), 10)
            return p.broken

    broken = run(go())
    assert "none can be started" in broken
    assert "could not start a replacement worker" in caplog.text


def die_on(x):
    if x == "die":
        os._exit(3)
    return len(x)


def test_a_worker_dying_with_large_frames_still_being_written():
    """The worker dies while megabytes of queued frames are still waiting to be
    written to it: the frame it ran fails with ran=True, the queued ones with
    ran=False, and the pool carries on with one fresh worker."""
    big = b"x" * (8 * 2**20)

    async def go():
        async with pool(die_on, workers=1) as p:
            results = await asyncio.gather(p.run("die"), p.run(big), p.run(big), p.run(big),
                                           return_exceptions=True)
            after = await asyncio.wait_for(p.run(b"ok"), 30)
            return results, after, p.started, len(p._workers)

    (first, *queued), after, started, alive = run(go())
    assert isinstance(first, WorkerDied) and first.ran
    assert all(isinstance(q, WorkerDied) and not q.ran for q in queued), queued
    assert after == 2 and started == 2 and alive == 1


class TwoArgs(Exception):
    def __init__(self, a, b):
        super().__init__(a)


def returns_unrebuildable(_):
    return TwoArgs("a", "b")   # pickles, but cannot be unpickled


def test_an_answer_that_cannot_be_read_fails_its_task_only():
    async def go():
        async with pool(returns_unrebuildable, workers=1) as p:
            with pytest.raises(RuntimeError, match="unreadable answer"):
                await p.run(1)
            with pytest.raises(RuntimeError, match="unreadable answer"):
                await asyncio.wait_for(p.run(2), 10)   # the worker still answers
            return p.died

    assert run(go()) == 0


def slow_square(x):
    import time
    time.sleep(0.2)
    return x * x


def test_a_cancelled_caller_does_not_disturb_the_others():
    async def go():
        async with pool(slow_square, workers=1) as p:
            doomed = asyncio.ensure_future(p.run(5))
            others = [asyncio.ensure_future(p.run(i)) for i in range(3)]
            await asyncio.sleep(0.05)
            doomed.cancel()
            return await asyncio.gather(*others), p.died

    assert run(go()) == ([0, 1, 4], 0)


def sleeps(seconds):
    import time
    time.sleep(seconds)
    return seconds


def test_a_task_over_the_timeout_gets_its_worker_killed_and_the_pool_goes_on():
    async def go():
        async with pool(sleeps, workers=1, task_timeout=0.5) as p:
            with pytest.raises(WorkerDied, match="ran over 0.5 s") as died:
                await asyncio.wait_for(p.run(60), 20)
            quick = await asyncio.wait_for(p.run(0.01), 20)
            return died.value.ran, quick, p.died, p.started

    assert run(go()) == (True, 0.01, 1, 2)


def dies_on_none(x):
    if x is None:
        os._exit(3)
    return x * x


def test_a_replacement_that_fails_to_start_is_tried_again_later(caplog):
    """A worker dies and its replacement cannot be started (out of processes):
    the pool goes on with the worker it has, and tries again until it is full."""
    async def go():
        async with pool(dies_on_none, workers=2, respawn_delay=0.2) as p:
            real, failures = p._spawn, [OSError("no more processes")] * 2

            def flaky():
                if failures:
                    raise failures.pop()
                real()

            p._spawn = flaky
            with pytest.raises(WorkerDied):
                await p.run(None)
            short = len(p._workers)
            answers = await asyncio.gather(*(p.run(i) for i in range(20)))   # one worker serves
            for _ in range(100):
                if len(p._workers) == 2:
                    break
                await asyncio.sleep(0.05)
            return short, answers, len(p._workers), p.usable, p.started

    short, answers, full, usable, started = run(go())
    assert short == 1 and usable
    assert answers == [i * i for i in range(20)]
    assert full == 2 and started == 3
    assert "trying again in 0.2 s" in caplog.text and "trying again in 0.4 s" in caplog.text
