"""`scrapy compact [ARCHIVE_DIR]`: merge the small part files of each partition.

Takes the archive lock (waiting ``ARCHIVE_LOCK_WAIT`` seconds, or ``--wait``),
finishes or undoes what a killed run left, then per partition directory merges
every part file smaller than ``--small-mb`` (default 32) into one, atomically
(see :mod:`pipelines.integrity`). Unreadable files are named and left alone.
``--dry-run`` only says what would be merged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand

from pipelines.integrity import SMALL_FILE_BYTES, compact
from pipelines.lock import ArchiveLock, ArchiveLocked


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "INFO"}

    def syntax(self) -> str:
        return "[options] [ARCHIVE_DIR]"

    def short_desc(self) -> str:
        return "Merge small part files per partition, atomically"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--small-mb", type=float, default=SMALL_FILE_BYTES / 2**20,
                            help="merge part files smaller than this (MiB, default %(default)s)")
        parser.add_argument("--wait", type=float, default=None,
                            help="seconds to wait for the archive lock (default ARCHIVE_LOCK_WAIT)")
        parser.add_argument("--dry-run", action="store_true", help="only list what would be merged")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        root = Path(args[0] if args else self.settings.get("ARCHIVE_DIR", "archive"))
        if not root.is_dir():
            print(f"compact: {root} is not a directory")
            self.exitcode = 1
            return
        wait = opts.wait if opts.wait is not None else self.settings.getfloat("ARCHIVE_LOCK_WAIT", 0)
        try:
            lock = ArchiveLock(root, owner="scrapy compact", wait=wait).acquire()
        except ArchiveLocked as e:
            print(f"compact: {e}")
            self.exitcode = 2
            return
        merged = files = 0
        unreadable: list[Path] = []
        try:
            for _table, directory, out, inputs, bad in compact(
                    root, int(opts.small_mb * 2**20), opts.dry_run):
                unreadable.extend(bad)
                if inputs:
                    merged += 1
                    files += len(inputs)
                    target = out.name if out else "(dry run)"
                    print(f"{directory}: {len(inputs)} part files -> {target}")
        finally:
            lock.release()
        for p in unreadable:
            print(f"UNREADABLE {p} (left alone; see scrapy archive-check)")
        verb = "would merge" if opts.dry_run else "merged"
        print(f"compact {root}: {verb} {files} part files in {merged} partitions")
        self.exitcode = 1 if unreadable else 0
