"""Worker processes fed directly by the asyncio event loop: no threads.

:class:`ProcessPool` runs one function in ``workers`` processes (forked from
a forkserver that preloads the given modules). Each worker has its own
socket pair. A task is one length-prefixed pickle frame, appended whole to
the worker's output buffer, which a writer callback drains; answers come back
through a reader callback. The reactor thread does all the bookkeeping
itself: unlike ``concurrent.futures.ProcessPoolExecutor`` there is no
queue-feeder or result-manager thread contending with it for the GIL, and a
worker that dies takes only its own pages.

- At most ``per_worker`` tasks are queued on one worker; a task goes to the
  least busy worker, and waits when every worker is full or being replaced.
- A worker is replaced by a fresh one after ``max_tasks`` tasks (0: never):
  it gets no new task, finishes what it has, exits, then its replacement
  starts, so the pool never holds more than ``workers`` processes.
- A worker that dies (killed, out of memory, a crash in C code) fails its
  queued tasks with :class:`WorkerDied` and is replaced; callers may retry.
  ``WorkerDied.ran`` is true only for the task it was running (the likely
  cause); the tasks queued behind it never started. A replacement that cannot
  be started while other workers run is tried again later.
- A task running longer than ``task_timeout`` seconds (0: no limit; a page
  that sends lxml into a loop) gets its worker killed: it fails with
  ``WorkerDied(ran=True)`` like any death, and the worker is replaced.
- A worker says it is ready once its initializer has run. After
  ``MAX_START_FAILURES`` workers in a row died before being ready (they
  cannot start: a broken install, no memory) the pool gives up: every task
  then fails with :class:`WorkerDied` at once, instead of forking forever.

The frames and the worker's side are in :mod:`pipelines.workerwire`.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import pickle
import socket
import time

from pipelines.workerwire import Worker, serve

logger = logging.getLogger(__name__)

MAX_START_FAILURES = 3


class WorkerDied(Exception):
    """The task's worker ended before answering. ``ran`` is true for the task
    it was running (the likely cause), false for the tasks queued behind it,
    which never started and can be sent again."""

    def __init__(self, message: str, ran: bool = False):
        super().__init__(message)
        self.ran = ran


class ProcessPool:
    """``workers`` processes running ``target(*args)``; see the module docstring.
    ``target`` and ``initializer`` are callables or ``"module:attribute"``
    names, imported in the workers only.

    Start and use it from one running event loop; :meth:`close` ends it
    (``async with ProcessPool(...) as pool:`` does both)."""

    def __init__(self, workers: int, target, initializer=None, initargs: tuple = (),
                 per_worker: int = 8, max_tasks: int = 0, preload: list[str] | None = None,
                 start_method: str = "forkserver", task_timeout: float = 0,
                 respawn_delay: float = 5.0):
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        for ref in (target, initializer):
            if isinstance(ref, str) and not all(ref.partition(":")[::2]):
                raise ValueError(f"{ref!r}: a worker function is named 'module:attribute'")
        self.size = workers
        self.target = target
        self.initializer = initializer
        self.initargs = initargs
        self.per_worker = max(per_worker, 1)
        self.max_tasks = max_tasks
        self.task_timeout = task_timeout
        self._watchdog: asyncio.TimerHandle | None = None
        self._context = multiprocessing.get_context(start_method)
        if preload and start_method == "forkserver":
            self._context.set_forkserver_preload(list(preload))
        self._workers: list[Worker] = []
        self._exited: list = []          # processes told to stop, reaped when they have
        self._waiters: list[asyncio.Future] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self.broken: str | None = None   # why the pool gave up, if it did
        self._start_failures = 0
        self.respawn_delay = respawn_delay   # seconds before a failed replacement is tried again
        self._respawn_delay = respawn_delay  # the next wait (doubles while starts fail)
        self._respawn: asyncio.TimerHandle | None = None
        self.started = 0                 # processes started, replacements included
        self.died = 0

    @property
    def usable(self) -> bool:
        """False once closed or given up: tasks fail at once."""
        return not self._closed and not self.broken

    # --- life cycle -----------------------------------------------------------

    def start(self) -> None:
        """Start the workers (call from the loop's thread)."""
        self._loop = asyncio.get_running_loop()
        try:
            for _ in range(self.size):
                self._spawn()
        except BaseException:
            self.close()   # the workers started so far
            raise
        if self.task_timeout > 0:
            self._watch()

    async def __aenter__(self) -> "ProcessPool":
        self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        self.close()

    def _watch(self) -> None:
        """Kill a worker whose current task has run over ``task_timeout``: no
        answer since it last answered or got work while idle."""
        now = time.monotonic()
        for worker in self._workers:
            if (worker.pending and worker.killed is None
                    and now - worker.progress > self.task_timeout):
                worker.killed = f"a task ran over {self.task_timeout:g} s"
                logger.error("worker pool: worker %s: %s; killing it",
                             worker.process.pid, worker.killed)
                worker.process.kill()   # its end of the socket closes: _readable sees EOF
        if not self._closed:
            self._watchdog = self._loop.call_later(min(self.task_timeout / 4, 5.0), self._watch)

    def _spawn(self) -> None:
        parent, child = socket.socketpair()
        process = self._context.Process(
            target=serve, args=(child, self.target, self.initializer, self.initargs),
            name="extract-worker", daemon=True)
        try:
            process.start()
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        parent.setblocking(False)
        worker = Worker(process, parent)
        try:
            self._loop.add_reader(worker.fd, self._readable, worker)
        except BaseException:
            parent.close()
            process.kill()
            self._exited.append(process)
            raise
        self._workers.append(worker)
        self.started += 1
        self._reap()
        self._wake()

    def close(self) -> None:
        """Stop every worker: pending tasks fail, processes are joined (blocking,
        briefly: idle workers exit at once on the closed socket)."""
        self._closed = True
        for timer in (self._watchdog, self._respawn):
            if timer is not None:
                timer.cancel()
        for worker in list(self._workers):
            self._retire(worker, "the pool was closed")
        self._wake()
        for process in self._exited:
            process.join(5)
            if process.is_alive():
                logger.warning("worker pool: worker %s did not exit; killing it", process.pid)
                process.kill()
                process.join(5)
        self._exited.clear()

    def _retire(self, worker: Worker, reason: str | None, head_ran: bool = False) -> bool:
        """Take ``worker`` out: reader and writer unregistered, socket closed
        (the process then exits), pending tasks failed with ``reason``.
        ``head_ran``: the first pending task was running (the worker died on it).
        False when the worker was out already."""
        if worker not in self._workers:
            return False
        self._workers.remove(worker)
        self._loop.remove_reader(worker.fd)
        if worker.writing:
            self._loop.remove_writer(worker.fd)
            worker.writing = False
        worker.sock.close()
        # tasks run in order; only a task whose frame was written whole can have started
        written = len(worker.pending) - len(worker.out)
        for i, future in enumerate(worker.pending):
            if not future.done():
                future.set_exception(WorkerDied(reason or "worker retired",
                                                ran=head_ran and i == 0 and written > 0))
        worker.pending.clear()
        worker.out.clear()
        self._exited.append(worker.process)
        return True

    def _reap(self) -> None:
        self._exited = [p for p in self._exited if p.is_alive()]

    def _replace(self, worker: Worker, reason: str | None, head_ran: bool = False) -> None:
        if not self._retire(worker, reason, head_ran) or not self.usable:
            return
        self._top_up()

    def _top_up(self) -> None:
        """Start workers until the pool is full again. When a start fails
        (out of processes, the forkserver gone) with workers left, try again
        later (``respawn_delay``, doubling up to a minute); with none left,
        give up."""
        if self._respawn is not None:   # a retry was due later: this call is it
            self._respawn.cancel()
            self._respawn = None
        while self.usable and len(self._workers) < self.size:
            try:
                self._spawn()
            except Exception as e:  # noqa: BLE001 - the forkserver gone, out of processes...
                logger.error("worker pool: could not start a replacement worker: %r", e)
                if not self._workers:
                    self._give_up(f"no worker left and none can be started ({e!r})")
                    return
                logger.error("worker pool: going on with %d of %d workers; trying again in "
                             "%g s", len(self._workers), self.size, self._respawn_delay)
                self._respawn = self._loop.call_later(self._respawn_delay, self._top_up)
                self._respawn_delay = min(self._respawn_delay * 2, 60.0)
                return
        self._respawn_delay = self.respawn_delay

    def _give_up(self, reason: str) -> None:
        self.broken = reason
        if self._respawn is not None:
            self._respawn.cancel()
            self._respawn = None
        logger.error("worker pool: giving up: %s", reason)
        for worker in list(self._workers):
            self._retire(worker, f"the worker pool is broken: {reason}")
        self._wake()

    def _died(self, worker: Worker, how: str) -> None:
        if worker not in self._workers:   # already taken out
            return
        self.died += 1
        worker.process.join(0)   # reaps it if it has exited, without waiting
        code = worker.process.exitcode
        logger.error("worker pool: worker %s died (%s%s) with %d tasks queued",
                     worker.process.pid, how,
                     f", exit code {code}" if code is not None else "", len(worker.pending))
        if not worker.ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                self._retire(worker, "worker process died before it was ready")
                self._give_up(f"{self._start_failures} workers in a row died before they "
                              "were ready (see their errors above)")
                return
        reason = (f"worker killed: {worker.killed}" if worker.killed else
                  "worker process died" + (f" (exit code {code})" if code is not None else ""))
        self._replace(worker, reason, head_ran=worker.ready)

    # --- tasks ------------------------------------------------------------------

    async def run(self, *args):
        """``target(*args)`` in a worker; its exception is raised here, and
        :class:`WorkerDied` when the worker ended first."""
        frame = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        worker = await self._free_worker()
        future = self._loop.create_future()
        if not worker.pending:
            worker.progress = time.monotonic()
        worker.pending.append(future)
        worker.tasks += 1
        if self.max_tasks and worker.tasks >= self.max_tasks:
            worker.retiring = True       # no new task; replaced once idle
        worker.queue(frame)
        if not worker.writing:
            self._writable(worker)
        ok, value = await future
        if not ok:
            raise value
        return value

    async def _free_worker(self) -> Worker:
        while True:
            if self._closed:
                raise WorkerDied("the pool is closed")
            if self.broken:
                raise WorkerDied(f"the worker pool is broken: {self.broken}")
            ready = [w for w in self._workers
                     if not w.retiring and len(w.pending) < self.per_worker]
            if ready:
                return min(ready, key=lambda w: len(w.pending))
            waiter = self._loop.create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def _writable(self, worker: Worker) -> None:
        """Write buffered frames; the writer callback is registered only while
        something is left."""
        try:
            left = worker.flush()
        except OSError as e:
            self._died(worker, f"writing to it failed: {e}")
            return
        if left and not worker.writing:
            self._loop.add_writer(worker.fd, self._writable, worker)
            worker.writing = True
        elif not left and worker.writing:
            self._loop.remove_writer(worker.fd)
            worker.writing = False

    def _readable(self, worker: Worker) -> None:
        try:
            frames = worker.receive()
        except OSError as e:
            self._died(worker, f"reading from it failed: {e}")
            return
        if frames is None:
            self._died(worker, "its process ended")
            return
        for payload in frames:
            worker.progress = time.monotonic()
            if not payload:              # "ready"
                worker.ready = True
                self._start_failures = 0
                continue
            future = worker.pending.popleft()
            try:
                answer = pickle.loads(payload)
            except Exception as e:  # noqa: BLE001 - e.g. an exception class that cannot be rebuilt
                answer = (False, RuntimeError(f"unreadable answer from the worker: {e!r}"))
            if not future.done():            # the caller may have been cancelled
                future.set_result(answer)
        if len(worker.pending) < self.per_worker:
            if worker.retiring and not worker.pending:
                self._replace(worker, None)
            else:
                self._wake()
