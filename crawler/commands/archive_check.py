"""`scrapy archive-check [ARCHIVE_DIR]`: validate every part file of the archive.

Reads each part file completely and reports, one line per problem: unreadable
or truncated files, schema mismatches, nulls in required columns, files
outside a ``site=/month=`` partition, content hashes on more than one article
row, and leftovers of killed runs. It never modifies the archive and never
stops at a bad file. Exit status 0 when clean, 1 when a problem was found.

Scrapy names a command after its module, and a module cannot be imported by
``import`` with a hyphen in its name: the command class is ``ArchiveCheck``
here (a mixin, so it is not listed twice), made a command as ``archive-check``
by ``crawler/commands/archive-check.py``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.integrity import check_archive


class ArchiveCheck:
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[options] [ARCHIVE_DIR]"

    def short_desc(self) -> str:
        return "Validate every part file of the archive (schema, readability, duplicate hashes)"

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
        self.exitcode = 0 if report.ok else 1
