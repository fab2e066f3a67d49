"""Near-duplicates: the same article with another footer or a changed sentence.

Each new article gets a MinHash signature (datasketch) of the character
5-grams of its folded text (``pipelines.contenthash.fold``). A MinHash LSH
index finds earlier articles whose estimated Jaccard similarity is at least
``threshold``; the new article is then recorded with ``near_dup_of`` = the
content hash of the *first seen* article of that group (the group's root),
and it is archived, not dropped.

The signature is archived with the article (column ``minhash``: ``num_perm``
little-endian uint32 values), so the index is rebuilt at start from one column
instead of re-hashing every archived text (about 2 ms per article).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from pipelines.contenthash import fold

SHINGLE = 5
NUM_PERM = 128
THRESHOLD = 0.8
SEED = 1
SCHEME = "affine32"   # datasketch's permutation scheme; archived signatures depend on it


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """Character k-grams of the folded text.

    >>> sorted(shingles("甲乙 丙丁", 3))
    [b'\\xe4\\xb9\\x99\\xe4\\xb8\\x99\\xe4\\xb8\\x81', b'\\xe7\\x94\\xb2\\xe4\\xb9\\x99\\xe4\\xb8\\x99']
    """
    t = fold(text)
    if len(t) <= k:
        return {t.encode("utf-8")}
    return {t[i:i + k].encode("utf-8") for i in range(len(t) - k + 1)}


class NearDupIndex:
    """MinHash LSH over archived articles; ``check_and_add`` per new article."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        # content_hash -> signature as uint32 values (512 bytes at 128 perms), kept
        # to verify LSH candidates; datasketch objects would take twice that
        self._sigs: dict[str, np.ndarray] = {}
        self._root: dict[str, str] = {}    # content_hash -> root of its group (only if not itself)
        self._order: dict[str, int] = {}   # content_hash -> insertion number

    def __len__(self) -> int:
        return len(self._sigs)

    def signature(self, text: str) -> MinHash:
        m = MinHash(num_perm=self.num_perm, seed=SEED, scheme=SCHEME)
        m.update_batch(list(shingles(text)))
        return LeanMinHash(m)

    def to_bytes(self, m: MinHash) -> bytes:
        return np.asarray(m.hashvalues, dtype="<u4").tobytes()

    def from_bytes(self, b: bytes) -> MinHash:
        return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(b, dtype="<u4"), scheme=SCHEME)

    def root_of(self, h: str) -> str | None:
        """The first-seen article of ``h``'s group, or None when ``h`` is a root."""
        return self._root.get(h)

    def _insert(self, h: str, m: MinHash, near_dup_of: str | None) -> None:
        if h in self._sigs:
            return
        self._lsh.insert(h, m)
        self._sigs[h] = np.asarray(m.hashvalues, dtype=np.uint32)
        self._order[h] = len(self._order)   # first seen wins among candidates
        if near_dup_of:
            self._root[h] = near_dup_of

    def find(self, m: MinHash) -> str | None:
        """Root content hash of the first-seen similar article, if any."""
        best = None
        values = np.asarray(m.hashvalues, dtype=np.uint32)
        for cand in self._lsh.query(m):
            if np.mean(self._sigs[cand] == values) < self.threshold:
                continue   # LSH candidates are approximate
            order = self._order[cand]
            if best is None or order < best[0]:
                best = (order, cand)
        if best is None:
            return None
        return self._root.get(best[1], best[1])

    def check_and_add(self, h: str, text: str) -> tuple[str | None, bytes]:
        """(near_dup_of, signature bytes) for a new article, which is indexed."""
        m = self.signature(text)
        root = self.find(m)
        if root == h:
            root = None
        self._insert(h, m, root)
        return root, self.to_bytes(m)

    def load(self, rows: Iterable[tuple[str, bytes | None, str | None]]) -> int:
        """Index archived (content_hash, minhash, near_dup_of) rows, in archive
        order; rows without a signature are skipped. Returns how many were indexed."""
        n = 0
        with self._lsh.insertion_session() as session:
            for h, sig, near in rows:
                if not sig or h in self._sigs or len(sig) != 4 * self.num_perm:
                    continue
                m = self.from_bytes(sig)
                session.insert(h, m, check_duplication=False)
                self._sigs[h] = np.frombuffer(sig, dtype="<u4")
                self._order[h] = len(self._order)
                if near:
                    self._root[h] = near
                n += 1
        return n
