"""One run at a time per archive: an exclusive ``flock`` on ``<archive>/.lock``.

The lock is held from the start of a run (before the dedup state is loaded)
to the end of the process's engine, so two crawls, or a crawl and
``scrapy compact``, can never interleave their writes. The kernel releases it
when the process dies, even on ``kill -9``: a stale lock file is harmless and
is never deleted (deleting it would let two processes lock two different
files).

While held, the file names its holder (pid, host, run id, start time), so a
refused run can say which run is in the way.

Workers of one distributed crawl (a shared Redis dedup store) write the same
archive at the same time, each its own part files: they take the lock
*shared*. A shared taker first tries for it exclusively; when it gets it, no
one else is writing and the caller may clean up leftovers before
:meth:`ArchiveLock.downgrade`. Exclusive takers (a plain crawl, ``scrapy
compact``) still never run alongside anyone.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from pathlib import Path

LOCK_NAME = ".lock"


class ArchiveUnavailable(RuntimeError):
    """The run cannot use the archive (logged where it is raised): the crawl
    commands exit 1 without a traceback."""


class ArchiveLocked(ArchiveUnavailable):
    """Another process holds the archive lock."""


class ArchiveLock:
    #: shared takers wait at least this long: peers hold the lock exclusively
    #: only for their start-up clean-up
    SHARED_MIN_WAIT = 10.0

    def __init__(self, archive_dir: str | Path, owner: str = "", wait: float = 0.0,
                 poll: float = 0.2, shared: bool = False):
        self.path = Path(archive_dir) / LOCK_NAME
        self.owner = owner
        self.wait = max(wait, self.SHARED_MIN_WAIT) if shared else wait
        self.poll = poll
        self.shared = shared
        self.exclusive = False   # held exclusively (alone) right now
        self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def holder(self) -> str:
        """Who holds the lock, as written in the lock file (best effort)."""
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return "unknown process"
        return (f"pid {info.get('pid', '?')} on {info.get('host', '?')}, "
                f"run {info.get('owner') or '?'}, since {info.get('since', '?')}")

    def acquire(self) -> "ArchiveLock":
        """Take the lock, waiting up to ``wait`` seconds; raise ArchiveLocked."""
        if self._fh is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        deadline = time.monotonic() + max(self.wait, 0.0)
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.exclusive = True
                break
            except BlockingIOError:
                pass
            if self.shared:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                    self._fh = fh
                    return self   # peers are writing; the file names the first of them
                except BlockingIOError:
                    pass
            if time.monotonic() >= deadline:
                holder = self.holder()
                fh.close()
                raise ArchiveLocked(
                    f"archive {self.path.parent} is locked by another run ({holder}); "
                    f"waited {self.wait:g} s (ARCHIVE_LOCK_WAIT). Try again when it "
                    f"has finished.") from None
            time.sleep(self.poll)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "owner": self.owner,
            "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}))
        fh.flush()
        self._fh = fh
        return self

    def downgrade(self) -> None:
        """Exclusive to shared (for a distributed worker, after its clean-up)."""
        if self._fh is not None and self.exclusive:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_SH)
            self.exclusive = False

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            if self.exclusive:
                self._fh.seek(0)
                self._fh.truncate()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        finally:
            self._fh.close()
            self._fh = None
            self.exclusive = False

    def __enter__(self) -> "ArchiveLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
