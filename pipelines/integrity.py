"""Archive integrity: recovery at start, ``scrapy archive-check``, ``scrapy compact``.

* :func:`clean_leftovers` runs at the start of every crawl and compaction,
  with the archive lock held: it finishes or undoes what a killed process left
  (hidden ``.tmp-*`` part files, an unfinished compaction) and logs each file
  it touches. Finished part files are never touched, corrupt ones included.
* :func:`check_archive` reads every part file and reports problems (unreadable
  file, schema mismatch, nulls in required columns, bad partition path,
  duplicate content hashes, leftovers) without stopping at the first one;
  :func:`quarantine` moves an unreadable part file aside (``_corrupt-`` name,
  which pandas and pyarrow skip, bytes kept) for ``archive-check --quarantine``.
* :func:`compact` merges the small part files of each partition into one,
  atomically: a journal naming the inputs and the output is written first,
  then the output (temp + rename), then the inputs are deleted, then the
  journal. A kill at any point is finished (output present: delete the inputs)
  or undone (output absent) by the next :func:`clean_leftovers`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines import schema
from pipelines.archive import CORRUPT_PREFIX, TMP_PREFIX, part_files, write_part

logger = logging.getLogger(__name__)

JOURNAL_PREFIX = ".compact-"
PARTITIONED = ("articles", "sightings")
_PARTITION_PATH = re.compile(r"^site=[^/]+/month=\d{4}-\d{2}$")
SMALL_FILE_BYTES = 32 * 1024 * 1024


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _table_dirs(root: Path) -> list[Path]:
    return [root / name for name in schema.TABLES if (root / name).is_dir()]


# --- recovery -----------------------------------------------------------------

def clean_leftovers(root: str | Path) -> list[str]:
    """Finish or undo what a killed run left; returns what was done, one line each.
    Call with the archive lock held."""
    root = Path(root)
    done: list[str] = []
    for table_dir in _table_dirs(root):
        for journal in sorted(table_dir.rglob(f"{JOURNAL_PREFIX}*.json")):
            done.extend(_recover_compaction(journal))
        for tmp in sorted(table_dir.rglob(f"{TMP_PREFIX}*")):
            if tmp.is_file():
                tmp.unlink()
                done.append(f"removed temporary file of a killed run: {tmp}")
    for line in done:
        logger.warning("archive: %s", line)
    return done


def _recover_compaction(journal: Path) -> list[str]:
    directory = journal.parent
    try:
        info = json.loads(journal.read_text(encoding="utf-8"))
        output, inputs = info["output"], info["inputs"]
    except (OSError, ValueError, KeyError) as e:
        # a journal is written temp + rename, so this is not a kill; leave it for a person
        return [f"unreadable compaction journal {journal} left in place: {e}"]
    done = []
    if (directory / output).exists():
        for name in inputs:
            path = directory / name
            if path.exists():
                path.unlink()
                done.append(f"finished a killed compaction: removed merged input {path}")
    else:
        done.append(f"undid a killed compaction: {directory / output} was never written")
    journal.unlink()
    _fsync_dir(directory)
    done.append(f"removed compaction journal {journal}")
    return done


# --- checking -------------------------------------------------------------------

@dataclass
class CheckReport:
    files: int = 0
    rows: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)
    quarantined: list[Path] = field(default_factory=list)   # by an earlier --quarantine

    def add(self, path, reason: str) -> None:
        self.problems.append((str(path), reason))

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(path: Path, table: str, root: Path) -> tuple[pa.Table | None, list[str]]:
    """Read one part file completely and list what is wrong with it."""
    expected = schema.TABLES[table]
    problems: list[str] = []
    rel = path.parent.relative_to(root / table).as_posix()
    if table in PARTITIONED and not _PARTITION_PATH.match(rel):
        problems.append(f"not in a site=<id>/month=YYYY-MM partition directory ({rel or '.'})")
    try:
        data = pq.read_table(path)
    except Exception as e:  # noqa: BLE001 - corrupt files raise several types
        return None, problems + [f"unreadable: {type(e).__name__}: {e}"]
    meta = data.schema.metadata or {}
    try:
        version = int(meta.get(b"schema_version", b""))
    except ValueError:
        version = None
        problems.append("no schema_version in the file metadata")
    if version is not None and not 1 <= version <= schema.SCHEMA_VERSION:
        problems.append(f"unknown schema_version {version} (this code knows 1..{schema.SCHEMA_VERSION})")
    added = schema.ADDED_IN.get(table, {})
    for f in expected:
        if f.name not in data.schema.names:
            if version is not None and added.get(f.name, 1) > version:
                continue   # column added by a later schema version
            problems.append(f"missing column {f.name}")
        elif not data.schema.field(f.name).type.equals(f.type):
            problems.append(f"column {f.name} is {data.schema.field(f.name).type}, "
                            f"expected {f.type}")
        elif not f.nullable and data.column(f.name).null_count:
            problems.append(f"{data.column(f.name).null_count} nulls in required column {f.name}")
    extra = [n for n in data.schema.names if n not in expected.names]
    if extra:
        problems.append(f"unexpected columns {', '.join(extra)}")
    return data, problems


def check_archive(root: str | Path) -> CheckReport:
    """Validate every part file under ``root``; never raises on a bad file."""
    root = Path(root)
    report = CheckReport()
    hashes: dict[str, list[str]] = defaultdict(list)
    for table_dir in _table_dirs(root):
        table = table_dir.name
        for leftover in sorted(table_dir.rglob(".*")):
            if leftover.is_file():
                report.add(leftover, "leftover of a killed run (removed or finished at the "
                                     "next crawl or compaction)")
        report.quarantined.extend(sorted(table_dir.rglob(f"{CORRUPT_PREFIX}*")))
        for path in part_files(table_dir):
            report.files += 1
            data, problems = check_file(path, table, root)
            for p in problems:
                report.add(path, p)
            if data is None:
                report.unreadable.append(path)
                continue
            report.rows += data.num_rows
            if table == "articles" and "content_hash" in data.schema.names:
                for h in data.column("content_hash").to_pylist():
                    hashes[h].append(str(path))
    for h, paths in sorted(hashes.items()):
        if len(paths) > 1:
            report.add(paths[0], f"content_hash {h} on {len(paths)} article rows: "
                                 f"{', '.join(sorted(set(paths)))}")
    return report


def quarantine(path: Path) -> Path:
    """Move an unreadable part file aside in its directory, under a name
    readers skip (``_corrupt-<name>``): ``pandas.read_parquet`` of the table
    works again, and the bytes stay for whoever can repair them."""
    target = path.with_name(f"{CORRUPT_PREFIX}{path.name}")
    os.replace(path, target)
    _fsync_dir(path.parent)
    logger.warning("archive: unreadable part file %s moved aside to %s", path, target.name)
    return target


# --- compaction -------------------------------------------------------------------

def to_current(table: pa.Table, table_schema: pa.Schema) -> pa.Table:
    """Cast a part file's table to the current schema (missing columns null)."""
    cols = [table.column(f.name).cast(f.type) if f.name in table.schema.names
            else pa.nulls(table.num_rows, f.type) for f in table_schema]
    return pa.Table.from_arrays(cols, schema=table_schema)


def partitions(root: Path) -> list[tuple[str, Path]]:
    """(table, directory) of every directory holding part files."""
    out = []
    for table_dir in _table_dirs(root):
        dirs = sorted({p.parent for p in part_files(table_dir)})
        out.extend((table_dir.name, d) for d in dirs)
    return out


def compact_partition(table: str, directory: Path, small_bytes: int = SMALL_FILE_BYTES,
                      dry_run: bool = False) -> tuple[Path | None, list[Path], list[Path]]:
    """Merge the small part files of one partition directory.

    Returns (output or None, merged inputs, unreadable files left alone).
    """
    small = [p for p in sorted(directory.glob("*.parquet"))
             if not p.name.startswith((".", "_")) and p.stat().st_size < small_bytes]
    tables, inputs, bad = [], [], []
    for p in small:
        try:
            tables.append(to_current(pq.read_table(p), schema.TABLES[table]))
            inputs.append(p)
        except Exception as e:  # noqa: BLE001
            logger.error("compact: leaving unreadable part file %s alone: %s", p, e)
            bad.append(p)
    if len(inputs) < 2 or dry_run:
        return None, inputs if dry_run and len(inputs) >= 2 else [], bad
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = f"part-compact-{stamp}-{secrets.token_hex(4)}.parquet"
    journal = directory / f"{JOURNAL_PREFIX}{name}.json"
    tmp = directory / f"{TMP_PREFIX}{journal.name}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"output": name, "inputs": [p.name for p in inputs]}, fh)
        fh.flush()
        os.fsync(fh.fileno())   # a journal emptied by a power loss could not be recovered
    os.replace(tmp, journal)
    _fsync_dir(directory)
    out = write_part(directory, name, pa.concat_tables(tables))
    for p in inputs:
        p.unlink()
    journal.unlink()
    _fsync_dir(directory)
    logger.info("compact: merged %d part files of %s into %s", len(inputs), directory, out.name)
    return out, inputs, bad


def compact(root: str | Path, small_bytes: int = SMALL_FILE_BYTES, dry_run: bool = False):
    """Compact every partition; yields (table, directory, output, inputs, unreadable).
    Call with the archive lock held."""
    root = Path(root)
    if not dry_run:
        clean_leftovers(root)
    for table, directory in partitions(root):
        out, inputs, bad = compact_partition(table, directory, small_bytes, dry_run)
        yield table, directory, out, inputs, bad
