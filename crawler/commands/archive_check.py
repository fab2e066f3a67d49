"""`scrapy archive-check [ARCHIVE_DIR]`: validate every part file of the archive.

Reads each part file completely and reports, one line per problem: unreadable
or truncated files, schema mismatches, nulls in required columns, files
outside a ``site=/month=`` partition, content hashes on more than one article
row, and leftovers of killed runs. It never stops at a bad file, and never
modifies the archive unless asked: with ``--quarantine`` it takes the archive
lock and moves each unreadable part file aside (``_corrupt-<name>`` in its
directory: pandas and pyarrow skip it, so the table can be read again; the
bytes are kept). Exit status 0 when clean, 1 when a problem was found, 2 when
``--quarantine`` could not take the lock.

Scrapy names a command after its module, and a module cannot be imported by
``import`` with a hyphen in its name: the command class is ``ArchiveCheck``
here (a mixin, so it is not listed twice), made a command as ``archive-check``
by ``crawler/commands/archive-check.py``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.archive import CORRUPT_PREFIX
from pipelines.integrity import check_archive, quarantine
from pipelines.lock import ArchiveLock, ArchiveLocked


class ArchiveCheck:
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[options] [ARCHIVE_DIR]"

    def short_desc(self) -> str:
        return "Validate every part file of the archive (schema, readability, duplicate hashes)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--quarantine", action="store_true",
                            help="move unreadable part files aside (_corrupt-<name>), so "
                                 "pandas reads the archive again")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        root = Path(args[0] if args else self.settings.get("ARCHIVE_DIR", "archive"))
        if not root.is_dir():
            print(f"archive-check: {root} is not a directory")
            self.exitcode = 1
            return
        report = check_archive(root)
        for path, reason in report.problems:
            print(f"PROBLEM {path}: {reason}")
        status = "ok" if report.ok else f"{len(report.problems)} problem(s)"
        print(f"archive-check {root}: {report.files} part files, {report.rows} rows, {status}")
        if report.quarantined:
            print(f"archive-check: {len(report.quarantined)} unreadable part files moved aside "
                  f"earlier ({CORRUPT_PREFIX}*), not read")
        self.exitcode = 0 if report.ok else 1
        if opts.quarantine and report.unreadable:
            self._quarantine(root, report.unreadable)

    def _quarantine(self, root: Path, paths: list[Path]) -> None:
        try:
            lock = ArchiveLock(root, owner="scrapy archive-check --quarantine",
                               wait=self.settings.getfloat("ARCHIVE_LOCK_WAIT", 0)).acquire()
        except ArchiveLocked as e:
            print(f"archive-check: nothing moved: {e}")
            self.exitcode = 2
            return
        try:
            for path in paths:
                print(f"QUARANTINED {path} -> {quarantine(path).name}")
        finally:
            lock.release()
