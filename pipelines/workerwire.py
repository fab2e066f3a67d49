"""The wire between the pool and one worker process: length-prefixed pickle
frames on a socket pair (:mod:`pipelines.workerpool` is the pool's policy).

A frame is a 4-byte big-endian length, then a pickle of the call's arguments
(to the worker) or of ``(ok, result-or-exception)`` (back); an empty frame
from a worker means "ready" (its initializer has run).

:func:`serve` is the worker process's life. :class:`Worker` is the pool's
handle on one worker: frames queued for it and partly written, bytes read
from it not yet a whole frame, and its bookkeeping. Its methods never block
(the socket is non-blocking) and raise ``OSError`` when the worker is gone.
"""

from __future__ import annotations

import asyncio
import importlib
import pickle
import signal
import socket
import struct
from collections import deque

HEADER = struct.Struct("!I")
READ_SIZE = 256 * 1024


def resolve(ref):
    """``ref`` itself, or for a ``"module:attribute"`` string the object it
    names, imported here (so a parent can name a worker's function without
    importing its module).

    >>> resolve("json:dumps")([1])
    '[1]'
    """
    if not isinstance(ref, str):
        return ref
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def serve(sock: socket.socket, target, initializer, initargs) -> None:
    """A worker's life: say ready, then read a frame, call ``target``, write
    the answer; EOF (or a broken socket) ends it. ``target`` and
    ``initializer``: callables or ``"module:attribute"`` names."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's to handle
    target, initializer = resolve(target), resolve(initializer)
    if initializer is not None:
        initializer(*initargs)
    rfile = sock.makefile("rb")
    try:
        sock.sendall(HEADER.pack(0))
        while True:
            header = rfile.read(HEADER.size)
            if len(header) < HEADER.size:
                return
            size = HEADER.unpack(header)[0]
            payload = rfile.read(size)
            if len(payload) < size:   # the parent went away mid-frame
                return
            try:
                answer = (True, target(*pickle.loads(payload)))
            except Exception as e:  # noqa: BLE001 - handed to the caller
                answer = (False, e)
            try:
                data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as e:  # noqa: BLE001 - an unpicklable result or exception
                data = pickle.dumps((False, RuntimeError(f"unpicklable answer: {e!r}")))
            sock.sendall(HEADER.pack(len(data)) + data)
    except OSError:   # the parent closed the pool or is gone
        return


class Worker:
    __slots__ = ("process", "sock", "fd", "pending", "inbuf", "out", "tasks", "retiring",
                 "ready", "writing", "progress", "killed")

    def __init__(self, process, sock: socket.socket):
        self.process = process
        self.sock = sock
        self.fd = sock.fileno()
        self.pending: deque[asyncio.Future] = deque()   # sent or buffered, unanswered
        self.inbuf = bytearray()
        self.out: deque[memoryview] = deque()           # frames not yet fully written
        self.tasks = 0
        self.retiring = False
        self.ready = False
        self.writing = False    # a writer callback is registered
        self.progress = 0.0     # when it last answered, or got work while idle
        self.killed: str | None = None

    def queue(self, payload: bytes) -> None:
        """A frame to send, after the ones already queued."""
        self.out.append(memoryview(HEADER.pack(len(payload)) + payload))

    def flush(self) -> bool:
        """Write queued frames until the socket is full; True when some are left."""
        out = self.out
        try:
            while out:
                sent = self.sock.send(out[0])
                if sent == len(out[0]):
                    out.popleft()
                else:
                    out[0] = out[0][sent:]
                    break
        except (BlockingIOError, InterruptedError):
            pass
        return bool(out)

    def receive(self) -> list[bytes] | None:
        """The whole frames that arrived (``b""``: ready); None when the
        worker closed its end (its process ended)."""
        try:
            data = self.sock.recv(READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return []
        if not data:
            return None
        buf = self.inbuf
        buf += data
        frames, start = [], 0
        while len(buf) - start >= HEADER.size:
            (size,) = HEADER.unpack_from(buf, start)
            end = start + HEADER.size + size
            if len(buf) < end:
                break
            frames.append(bytes(buf[start + HEADER.size:end]))
            start = end
        if start:
            del buf[:start]
        return frames
