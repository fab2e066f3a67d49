"""Worker processes fed directly by the asyncio event loop: no threads.

:class:`ProcessPool` runs one function in ``workers`` processes (forked from
a forkserver that preloads the given modules). Each worker has its own
socket pair; the loop writes a task as one length-prefixed pickle frame and
reads results with a reader callback, so the reactor thread does all the
bookkeeping itself. Compared with ``concurrent.futures.ProcessPoolExecutor``
there is no queue-feeder or result-manager thread contending for the GIL
with the reactor, and a worker that dies takes only its own pages.

- At most ``per_worker`` tasks are queued on one worker; a task goes to the
  least busy worker, and waits when every worker is full or being replaced.
- A worker is replaced by a fresh one after ``max_tasks`` tasks (0: never):
  it gets no new task, finishes what it has, exits, then its replacement
  starts, so the pool never holds more than ``workers`` processes.
- A worker that dies (killed, out of memory, a crash in C code) fails its
  queued tasks with :class:`WorkerDied` and is replaced; callers may retry
  (``WorkerDied.ran`` tells the task it was running from those queued
  behind it).
  After ``MAX_DEATHS_IN_A_ROW`` deaths with no answer in between (workers
  that cannot even start) the pool gives up: every task then fails with
  :class:`WorkerDied` at once, instead of forking forever.

Frames: 4-byte big-endian length, then a pickle of the call's arguments
(to the worker) or of ``(ok, result-or-exception)`` (back).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import pickle
import signal
import socket
import struct
from collections import deque

logger = logging.getLogger(__name__)

_HEADER = struct.Struct("!I")
_READ_SIZE = 1 << 20
MAX_DEATHS_IN_A_ROW = 5


class WorkerDied(Exception):
    """The task's worker ended before answering. ``ran`` is true for the task
    it was running (the likely cause), false for the tasks queued behind it,
    which never started and can be sent again."""

    def __init__(self, message: str, ran: bool = False):
        super().__init__(message)
        self.ran = ran


def _serve(sock: socket.socket, target, initializer, initargs) -> None:
    """A worker's life: read a frame, call ``target``, write the answer; EOF ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    if initializer is not None:
        initializer(*initargs)
    rfile = sock.makefile("rb")
    while True:
        header = rfile.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        args = pickle.loads(rfile.read(_HEADER.unpack(header)[0]))
        try:
            answer = (True, target(*args))
        except Exception as e:  # noqa: BLE001 - handed to the caller
            answer = (False, e)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # noqa: BLE001 - an unpicklable result or exception
            data = pickle.dumps((False, RuntimeError(f"unpicklable answer: {e!r}")))
        try:
            sock.sendall(_HEADER.pack(len(data)) + data)
        except OSError:   # the parent closed the pool or is gone
            return


class _Worker:
    __slots__ = ("process", "sock", "pending", "buf", "tasks", "retiring", "send_lock")

    def __init__(self, process, sock: socket.socket):
        self.process = process
        self.sock = sock
        self.pending: deque[asyncio.Future] = deque()
        self.buf = bytearray()
        self.tasks = 0
        self.retiring = False
        self.send_lock = asyncio.Lock()


class ProcessPool:
    """``workers`` processes running ``target(*args)``; see the module docstring.

    Start and use it from one running event loop; :meth:`close` ends it."""

    def __init__(self, workers: int, target, initializer=None, initargs: tuple = (),
                 per_worker: int = 8, max_tasks: int = 0, preload: list[str] | None = None,
                 start_method: str = "forkserver"):
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.size = workers
        self.target = target
        self.initializer = initializer
        self.initargs = initargs
        self.per_worker = max(per_worker, 1)
        self.max_tasks = max_tasks
        self._context = multiprocessing.get_context(start_method)
        if preload and start_method == "forkserver":
            self._context.set_forkserver_preload(list(preload))
        self._workers: list[_Worker] = []
        self._exited: list = []          # processes told to stop, reaped when they have
        self._waiters: list[asyncio.Future] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self.broken: str | None = None   # why the pool gave up, if it did
        self._deaths_in_a_row = 0
        self.started = 0                 # processes started, replacements included
        self.died = 0

    # --- life cycle -----------------------------------------------------------

    def start(self) -> None:
        """Start the workers (call from the loop's thread)."""
        self._loop = asyncio.get_running_loop()
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        parent, child = socket.socketpair()
        process = self._context.Process(
            target=_serve, args=(child, self.target, self.initializer, self.initargs),
            name="extract-worker", daemon=True)
        try:
            process.start()
        finally:
            child.close()
        parent.setblocking(False)
        worker = _Worker(process, parent)
        self._workers.append(worker)
        self._loop.add_reader(parent.fileno(), self._readable, worker)
        self.started += 1
        self._reap()
        self._wake()

    def close(self) -> None:
        """Stop every worker: pending tasks fail, processes are joined (blocking,
        briefly: a worker exits at the end of its current task)."""
        self._closed = True
        for worker in list(self._workers):
            self._retire(worker, WorkerDied("the pool was closed"))
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(WorkerDied("the pool was closed"))
        for process in self._exited:
            process.join(10)
            if process.is_alive():
                logger.warning("worker pool: worker %s did not exit; killing it", process.pid)
                process.kill()
                process.join(5)
        self._exited.clear()

    def _retire(self, worker: _Worker, error: Exception | None) -> None:
        """Take ``worker`` out: its socket is closed (the process then exits),
        its pending tasks fail with ``error``."""
        if worker not in self._workers:
            return
        self._workers.remove(worker)
        self._loop.remove_reader(worker.sock.fileno())
        worker.sock.close()
        first = True
        while worker.pending:
            future = worker.pending.popleft()
            if not future.done():
                if error is None:
                    error = WorkerDied("worker retired")
                # tasks run in order: only the first one had started
                future.set_exception(error if first or not error.ran
                                     else WorkerDied(str(error), ran=False))
            first = False
        self._exited.append(worker.process)

    def _reap(self) -> None:
        self._exited = [p for p in self._exited if p.is_alive()]

    def _replace(self, worker: _Worker, error: Exception | None) -> None:
        self._retire(worker, error)
        if self._closed or self.broken:
            return
        try:
            self._spawn()
        except Exception as e:  # noqa: BLE001 - the forkserver gone, out of processes...
            logger.error("worker pool: could not start a replacement worker: %r", e)
            if not self._workers:
                self._give_up(f"no worker left and none can be started ({e!r})")

    def _give_up(self, reason: str) -> None:
        self.broken = reason
        logger.error("worker pool: giving up: %s", reason)
        for worker in list(self._workers):
            self._retire(worker, WorkerDied(reason))
        self._wake()

    @property
    def usable(self) -> bool:
        """False once closed or given up: tasks fail at once."""
        return not self._closed and not self.broken

    # --- tasks ------------------------------------------------------------------

    async def run(self, *args):
        """``target(*args)`` in a worker; its exception is raised here, and
        :class:`WorkerDied` when the worker ended first."""
        frame = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        frame = _HEADER.pack(len(frame)) + frame
        worker = await self._free_worker()
        future = self._loop.create_future()
        async with worker.send_lock:
            if worker.sock.fileno() < 0:     # retired while this task waited
                raise WorkerDied("worker ended before the task was sent")
            worker.pending.append(future)
            worker.tasks += 1
            if self.max_tasks and worker.tasks >= self.max_tasks:
                worker.retiring = True       # no new task; replaced once idle
            try:
                await self._loop.sock_sendall(worker.sock, frame)
            except BaseException as e:
                # a half-written frame would corrupt the stream: the worker goes
                self._replace(worker, WorkerDied(f"sending to the worker failed: {e!r}"))
                raise
        ok, value = await future
        if not ok:
            raise value
        return value

    async def _free_worker(self) -> _Worker:
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

    def _readable(self, worker: _Worker) -> None:
        try:
            data = worker.sock.recv(_READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            data, reason = b"", f"{e}"
        else:
            reason = "its process ended"
        if not data:
            self.died += 1
            self._deaths_in_a_row += 1
            code = worker.process.exitcode
            logger.error("worker pool: worker %s died (%s, exit code %s) with %d tasks queued",
                         worker.process.pid, reason, code, len(worker.pending))
            self._replace(worker, WorkerDied(f"worker process died (exit code {code})", ran=True))
            if self._deaths_in_a_row >= MAX_DEATHS_IN_A_ROW and not self.broken:
                self._give_up(f"{self._deaths_in_a_row} workers died in a row without "
                              "answering (see their errors above)")
            return
        self._deaths_in_a_row = 0
        buf = worker.buf
        buf += data
        start = 0
        while len(buf) - start >= _HEADER.size:
            (size,) = _HEADER.unpack_from(buf, start)
            end = start + _HEADER.size + size
            if len(buf) < end:
                break
            answer = pickle.loads(buf[start + _HEADER.size:end])
            start = end
            future = worker.pending.popleft()
            if not future.done():            # the caller may have been cancelled
                future.set_result(answer)
        if start:
            del buf[:start]
        if len(worker.pending) < self.per_worker:
            if worker.retiring and not worker.pending:
                self._replace(worker, None)
            else:
                self._wake()
