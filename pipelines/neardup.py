"""Near-duplicates: the same article with another footer or a changed sentence.

Each new article gets a MinHash signature of the character 5-grams of its
folded text (``pipelines.contenthash.fold``). An LSH index finds earlier
articles whose estimated Jaccard similarity is at least ``threshold``; the new
article is then recorded with ``near_dup_of`` = the content hash of the *first
seen* article of that group (the group's root), and it is archived, not
dropped.

The signature (scheme ``SCHEME``) is a one-permutation MinHash computed in
numpy: a few array operations per article instead of ``NUM_PERM`` hash
functions per shingle:

* each 5-gram of code points is hashed to 64 bits (polynomial over the code
  points, then the murmur3 64-bit finalizer, salted with ``SEED``);
* the high 32 bits pick one of ``NUM_PERM`` bins, the low 32 bits are the
  value; the signature is the minimum value of each bin (uint32);
* a bin no shingle fell in (short texts) takes the value of the next filled
  bin, mixed with the distance to it (densification, as in Shrivastava and
  Li, 2014), so the share of equal positions still estimates the Jaccard
  similarity of the two shingle sets.

It is computed in the extraction worker (:func:`Signer.signature`) and
archived with the article (column ``minhash``: ``NUM_PERM`` little-endian
uint32 values), so the index is rebuilt at start from one column. Signatures
written by schema version 2 used another scheme (datasketch's); they are
recomputed from the article text when loaded.

The index keeps, per article, its signature (512 bytes), its content hash
(32 bytes) and ``BANDS`` band keys (12 bytes each) in numpy arrays: about
0.75 KB per archived article, with no Python object per article. Band keys
of the last ``RECENT_ROWS`` articles sit in a small dict (a few MB at most),
then are merged into the sorted arrays.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from pipelines.contenthash import fold

SHINGLE = 5
NUM_PERM = 128
BANDS = 16            # LSH bands of NUM_PERM // BANDS rows: P(candidate | J=0.8) ~ 0.95
THRESHOLD = 0.8
RECENT_ROWS = 2048    # rows looked up in a dict before their band keys are merged into the arrays
SEED = 1
SCHEME = "oph-densified-fmix64-5gram-v1"
MIN_SCHEMA_VERSION = 3   # archived signatures of this schema version and later use SCHEME

_M = np.uint64(0x100000001B3)        # polynomial base for the code points of a shingle
_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_S32 = np.uint64(32)
_EMPTY = np.uint64(1 << 32)   # above any 32-bit value: a bin no shingle fell in


def _fmix64(h: np.ndarray) -> np.ndarray:
    h ^= h >> _S33
    h *= _C1
    h ^= h >> _S33
    h *= _C2
    h ^= h >> _S33
    return h


def shingle_hashes(text: str, k: int = SHINGLE, folded: str | None = None) -> np.ndarray:
    """64-bit hashes of the character k-grams of the folded text (one hash of
    the whole text when it is shorter than k). ``folded``: ``fold(text)``, when
    the caller has it already.

    >>> len(shingle_hashes("甲乙丙丁戊己")), len(shingle_hashes("甲乙")), len(shingle_hashes(""))
    (2, 1, 1)
    >>> bool((shingle_hashes("甲乙 丙丁戊") == shingle_hashes("甲乙丙丁戊")).all())
    True
    """
    folded = fold(text) if folded is None else folded
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = max(len(codes) - k + 1, 1)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(codes))):
        h *= _M
        h += codes[j:j + n]
    return _fmix64(h)


class Signer:
    """One-permutation MinHash with densification (see the module docstring)."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = SEED):
        self.num_perm = num_perm
        self._seed = np.uint64(seed)
        self._offsets = np.arange(num_perm, dtype=np.int64)

    def signature(self, text: str, folded: str | None = None) -> np.ndarray:
        """``num_perm`` uint32 values: the minimum of the shingles falling in each bin.

        >>> s = Signer()
        >>> sig = s.signature("会议指出，要加强领导。")
        >>> sig.dtype, sig.shape, bool((sig == s.signature("会议指出,要加强领导。")).all())
        (dtype('uint32'), (128,), True)
        """
        x = shingle_hashes(text, folded=folded)
        x ^= self._seed
        x = _fmix64(x)
        bins = ((x >> _S32) * np.uint64(self.num_perm)) >> _S32      # uniform in [0, num_perm)
        values = x & np.uint64(0xFFFFFFFF)
        sig = np.full(self.num_perm, _EMPTY, dtype=np.uint64)
        np.minimum.at(sig, bins.astype(np.intp), values)
        empty = sig == _EMPTY
        if empty.any():
            # densification: an empty bin takes the value of the next filled bin
            # (circularly), shifted by the distance, so two texts agree on it
            # exactly when they agree on that bin.
            filled = np.nonzero(~empty)[0]
            holes = np.nonzero(empty)[0]
            nxt = filled[np.searchsorted(filled, holes) % len(filled)]
            dist = ((nxt - holes) % self.num_perm).astype(np.uint64)
            sig[holes] = _fmix64(sig[nxt] + dist * _C1) & np.uint64(0xFFFFFFFF)
        return sig.astype(np.uint32)

    def to_bytes(self, sig: np.ndarray) -> bytes:
        return np.asarray(sig, dtype="<u4").tobytes()

    def sign(self, text: str, folded: str | None = None) -> bytes:
        """The archived form of the signature: ``num_perm`` little-endian uint32."""
        return self.to_bytes(self.signature(text, folded))


class NearDupIndex:
    """MinHash LSH over archived articles; ``check_and_add`` per new article.

    Rows are numbered in insertion order, which is first-seen order: among
    similar earlier articles the lowest row wins.
    """

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM,
                 bands: int = BANDS):
        if num_perm % bands:
            raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands = bands
        self.signer = Signer(num_perm)
        self._n = 0
        self._sigs = np.zeros((1024, num_perm), dtype=np.uint32)
        self._hashes = np.zeros(1024, dtype="S32")   # content hashes, raw 32 bytes
        # sorted band keys of rows [0, _n_sorted) and the row of each
        self._sorted_keys = np.zeros(0, dtype=np.uint64)
        self._sorted_rows = np.zeros(0, dtype=np.uint32)
        self._n_sorted = 0
        # band keys of rows [_n_sorted, _n): in the dict _recent below
        # band key -> row (an int; a list only when rows share the key)
        self._recent: dict[int, int | list[int]] = {}
        self._root: dict[str, str] = {}              # content_hash -> root (only near-dups)
        rng = np.random.default_rng(SEED + 1)
        self._band_mix = rng.integers(0, 2**64, size=(bands, num_perm // bands),
                                      dtype=np.uint64) | np.uint64(1)
        self._band_salt = rng.integers(0, 2**64, size=bands, dtype=np.uint64)

    def __len__(self) -> int:
        return self._n

    # --- signatures -------------------------------------------------------

    def signature(self, text: str) -> np.ndarray:
        return self.signer.signature(text)

    def from_bytes(self, b: bytes) -> np.ndarray:
        return np.frombuffer(b, dtype="<u4").astype(np.uint32)

    def _band_keys(self, sigs: np.ndarray) -> np.ndarray:
        """(rows, bands) uint64 keys: each band's values mixed into 64 bits,
        salted by the band number so equal values in two bands differ."""
        s = sigs.reshape(len(sigs), self.bands, -1).astype(np.uint64)
        keys = (s * self._band_mix).sum(axis=2, dtype=np.uint64)
        keys += self._band_salt
        return _fmix64(keys)

    # --- lookups ------------------------------------------------------------

    def root_of(self, h: str) -> str | None:
        """The first-seen article of ``h``'s group, or None when ``h`` is a root."""
        return self._root.get(h)

    def _candidates(self, keys: np.ndarray) -> set[int]:
        found: set[int] = set()
        if len(self._sorted_keys):
            lo = np.searchsorted(self._sorted_keys, keys, side="left")
            hi = np.searchsorted(self._sorted_keys, keys, side="right")
            for a, b in zip(lo.tolist(), hi.tolist()):
                if b > a:
                    found.update(self._sorted_rows[a:b].tolist())
        if self._recent:
            for key in keys.tolist():
                rows = self._recent.get(key)
                if rows is None:
                    continue
                if isinstance(rows, int):
                    found.add(rows)
                else:
                    found.update(rows)
        return found

    def find(self, sig: np.ndarray, keys: np.ndarray | None = None) -> str | None:
        """Root content hash of the first-seen similar article, if any."""
        sig = np.asarray(sig, dtype=np.uint32)
        if keys is None:
            keys = self._band_keys(sig[None, :])
        rows = sorted(self._candidates(keys[0]))
        if not rows:
            return None
        # the share of equal values (np.mean's result, without its float cast)
        sims = np.count_nonzero(self._sigs[rows] == sig, axis=1) / self.num_perm
        close = np.nonzero(sims >= self.threshold)[0]
        if not len(close):
            return None
        first = self._hashes[rows[close[0]]].hex()
        return self._root.get(first, first)

    # --- inserts --------------------------------------------------------------

    def _grow(self, need: int) -> None:
        if need <= len(self._sigs):
            return
        size = max(need, 2 * len(self._sigs))
        sigs = np.zeros((size, self.num_perm), dtype=np.uint32)
        sigs[:self._n] = self._sigs[:self._n]
        hashes = np.zeros(size, dtype="S32")
        hashes[:self._n] = self._hashes[:self._n]
        self._sigs, self._hashes = sigs, hashes

    def _append(self, hashes: list[str], sigs: np.ndarray, roots: list[str | None],
                keys: np.ndarray | None = None) -> None:
        start = self._n
        self._grow(start + len(hashes))
        self._sigs[start:start + len(hashes)] = sigs
        self._hashes[start:start + len(hashes)] = [bytes.fromhex(h) for h in hashes]
        self._n += len(hashes)
        for h, root in zip(hashes, roots):
            if root:
                self._root[h] = root
        recent = start - self._n_sorted
        if recent + len(hashes) <= RECENT_ROWS:
            new = self._band_keys(sigs) if keys is None else keys
            for row, row_keys in enumerate(new.tolist(), start):
                for key in row_keys:
                    seen = self._recent.get(key)
                    if seen is None:
                        self._recent[key] = row
                    elif isinstance(seen, int):
                        self._recent[key] = [seen, row]
                    else:
                        seen.append(row)
        if self._n - self._n_sorted >= RECENT_ROWS:
            self._merge()

    def _merge(self) -> None:
        """Move the recent rows' band keys into the sorted arrays (a sort of
        the new keys and one insert: O(new log new + all), no full re-sort)."""
        new = self._band_keys(self._sigs[self._n_sorted:self._n]).ravel()
        rows = np.repeat(np.arange(self._n_sorted, self._n, dtype=np.uint32), self.bands)
        order = np.argsort(new, kind="stable")   # stable: rows stay in order within a key
        new, rows = new[order], rows[order]
        # side="right": after equal older keys, so rows stay in insertion order
        at = np.searchsorted(self._sorted_keys, new, side="right")
        self._sorted_keys = np.insert(self._sorted_keys, at, new)
        self._sorted_rows = np.insert(self._sorted_rows, at, rows)
        self._n_sorted = self._n
        self._recent.clear()

    def add(self, h: str, sig: np.ndarray, near_dup_of: str | None = None,
            keys: np.ndarray | None = None) -> None:
        self._append([h], np.asarray(sig, dtype=np.uint32)[None, :], [near_dup_of], keys)

    def check_and_add(self, h: str, sig: np.ndarray | bytes | None = None,
                      text: str | None = None) -> tuple[str | None, bytes]:
        """(near_dup_of, signature bytes) for a new article, which is indexed.
        Pass the signature (as computed by the extraction worker) or the text."""
        if isinstance(sig, (bytes, bytearray)):
            sig = self.from_bytes(sig) if len(sig) == 4 * self.num_perm else None
        if sig is None or len(sig) != self.num_perm:
            sig = self.signature(text or "")
        sig = np.asarray(sig, dtype=np.uint32)
        keys = self._band_keys(sig[None, :])
        root = self.find(sig, keys)
        if root == h:
            root = None
        self.add(h, sig, root, keys)
        return root, self.signer.to_bytes(sig)

    def load(self, rows: Iterable[tuple[str, bytes | None, str | None]]) -> int:
        """Index archived (content_hash, minhash, near_dup_of) rows, in archive
        order; rows without a usable signature are skipped. Returns how many
        were indexed."""
        width = 4 * self.num_perm
        hashes: list[str] = []
        blobs: list[bytes] = []
        roots: list[str | None] = []
        for h, sig, near in rows:
            if not sig or len(sig) != width:
                continue
            hashes.append(h)
            blobs.append(sig)
            roots.append(near)
        if hashes:
            sigs = np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(hashes), -1)
            self._append(hashes, sigs, roots)
        return len(hashes)
