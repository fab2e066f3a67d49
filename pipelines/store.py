"""The dedup store: the set of content hashes already archived.

One small interface, two implementations, chosen by settings alone::

    DEDUP_STORE = "memory"   # a Python set, filled from the archive at start
    DEDUP_STORE = "redis"    # a Redis set shared by every worker (REDIS_URL)

``add(h) -> bool`` is the only "already seen?" check and it is one atomic
operation: True when ``h`` was new (and is now recorded), False when it was
there already. For Redis that is ``SADD``, whose reply says whether the member
was added, so two workers can never both think one article is new.

``add_many(hashes)`` is ``add`` for each hash in turn (for Redis, one round
trip: a pipeline of SADDs, each atomic on its own). A store that talks to a
server says so (``remote = True``): the dedup pipeline then calls it in a
thread, never on the reactor.

``update(hashes)`` bulk-loads hashes (the archive's ``content_hash`` column at
start); ``len(store)`` and ``h in store`` are for logs and tests.
"""

from __future__ import annotations

from typing import Iterable, Protocol

DEFAULT_REDIS_KEY = "govnews:dedup:content_hashes"
_CHUNK = 10_000


class Store(Protocol):
    remote: bool
    def add(self, h: str) -> bool: ...
    def add_many(self, hashes: list[str]) -> list[bool]: ...
    def update(self, hashes: Iterable[str]) -> None: ...
    def __contains__(self, h: object) -> bool: ...
    def __len__(self) -> int: ...


class MemoryStore:
    """Seen hashes in a Python set (one process)."""

    remote = False

    def __init__(self, hashes: Iterable[str] = ()):
        self._seen = set(hashes)

    def add(self, h: str) -> bool:
        if h in self._seen:
            return False
        self._seen.add(h)
        return True

    def add_many(self, hashes: list[str]) -> list[bool]:
        return [self.add(h) for h in hashes]

    def update(self, hashes: Iterable[str]) -> None:
        self._seen.update(hashes)

    def __contains__(self, h: object) -> bool:
        return h in self._seen

    def __len__(self) -> int:
        return len(self._seen)


class RedisStore:
    """Seen hashes in one Redis set, shared by every worker.

    The constructor takes a client and does not talk to the server; the first
    command does.
    """

    def __init__(self, client, key: str = DEFAULT_REDIS_KEY):
        self.client = client
        self.key = key

    remote = True

    def add(self, h: str) -> bool:
        return self.client.sadd(self.key, h) == 1

    def add_many(self, hashes: list[str]) -> list[bool]:
        if not hashes:
            return []
        pipe = self.client.pipeline(transaction=False)
        for h in hashes:
            pipe.sadd(self.key, h)
        return [n == 1 for n in pipe.execute()]

    def update(self, hashes: Iterable[str]) -> None:
        chunk: list[str] = []
        for h in hashes:
            chunk.append(h)
            if len(chunk) >= _CHUNK:
                self.client.sadd(self.key, *chunk)
                chunk = []
        if chunk:
            self.client.sadd(self.key, *chunk)

    def __contains__(self, h: object) -> bool:
        return bool(self.client.sismember(self.key, h))

    def __len__(self) -> int:
        return int(self.client.scard(self.key))


class NearLog:
    """The near-duplicate index entries of a distributed crawl, in one Redis
    list every worker appends its new articles to and reads the others' from
    (``content_hash|near_dup_of|signature bytes``). Used from one thread."""

    def __init__(self, client, key: str):
        self.client = client
        self.key = key
        self._read = 0   # entries of the list read so far

    def publish(self, entries: list[tuple[str, str | None, bytes]]) -> None:
        if entries:
            self.client.rpush(self.key, *(f"{h}|{root or ''}|".encode() + sig
                                          for h, root, sig in entries))

    def read_new(self) -> list[tuple[str, str | None, bytes]]:
        """Entries appended since the last call (this worker's own included)."""
        raw = self.client.lrange(self.key, self._read, -1)
        self._read += len(raw)
        out = []
        for entry in raw:
            h, root, sig = entry.split(b"|", 2)
            out.append((h.decode(), root.decode() or None, sig))
        return out


def redis_client(url: str):
    """The one factory for Redis clients (lazy: no connection until used)."""
    import redis  # optional dependency, imported here only

    return redis.Redis.from_url(url)


def store_from_settings(settings) -> Store:
    """``DEDUP_STORE`` (memory | redis), ``REDIS_URL``, ``DEDUP_REDIS_KEY``."""
    kind = (settings.get("DEDUP_STORE") or "memory").lower()
    if kind == "memory":
        return MemoryStore()
    if kind == "redis":
        url = settings.get("REDIS_URL")
        if not url:
            raise ValueError("DEDUP_STORE=redis needs REDIS_URL (e.g. redis://localhost:6379/0)")
        return RedisStore(redis_client(url), settings.get("DEDUP_REDIS_KEY") or DEFAULT_REDIS_KEY)
    raise ValueError(f"unknown DEDUP_STORE {kind!r}; use 'memory' or 'redis'")
