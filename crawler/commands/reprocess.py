"""`scrapy reprocess [--site ID[,ID...]] [--out DIR] [--warc-dir DIR]`

Rebuilds article rows from the raw responses kept in WARC files, with the
current site rules, extraction and normalization, and without the network:
the article pages of ``<warc-dir>/<site>/*.warc.gz`` (default
``<ARCHIVE_DIR>/warc``) go through the project's ``ITEM_PIPELINES``, dedup
included, into the archive at ``--out`` (default ``ARCHIVE_DIR``).

Into an empty ``--out`` it rebuilds the archive. Into the archive itself it
adds only rows whose content hash is new (dedup sees the rows already
there; the other pages are written as sightings only).

A replay writes no WARC files and no run log (``runs/``, ``visited/``).
Exit status: 0; 1 when the WARC directory does not exist or holds no file
of the sites asked for (WARC files of sites without a site file, from a
crawl with ``-a sites_dir=``, are named: give ``--sites-dir``), or the spider
could not start (for instance a bad site file or an unknown ``--site``); 4
when no extraction worker could run and the replay stopped part way, 5 when
it was interrupted (Ctrl-C, SIGTERM): run it again, rows already written are
kept and dedup skips them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.crawl import (EXTRACTION_EXIT, INTERRUPTED_EXIT, UNWRITTEN_EXIT,
                                    interrupted, quiet_if_unavailable, sites_ok)
from crawler.replay import ReplaySpider
from crawler.sites import select_sites
from crawler.spider import new_run_id


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Rebuild article rows from the archived WARC files (no network)"

    def long_desc(self) -> str:
        return __doc__

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", metavar="ID[,ID...]", default=None,
                            help="only these sites (default: every site)")
        parser.add_argument("--out", metavar="DIR", default=None,
                            help="archive to write into (default: ARCHIVE_DIR)")
        parser.add_argument("--warc-dir", metavar="DIR", default=None,
                            help="WARC files to read (default: ARCHIVE_DIR/warc)")
        parser.add_argument("--sites-dir", metavar="DIR", default=None,
                            help="another directory of site files")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        archive = Path(self.settings.get("ARCHIVE_DIR", "archive"))
        self.warc_dir = Path(opts.warc_dir) if opts.warc_dir else archive / "warc"
        self.source_archive = self.warc_dir.parent if opts.warc_dir else archive
        out = opts.out or str(archive)
        self.settings.set("ARCHIVE_DIR", out, priority="cmdline")
        self.settings.set("RUN_ID", self.settings.get("RUN_ID") or new_run_id(),
                          priority="cmdline")
        # a replay fetches nothing: no new WARC files, no run log of a crawl
        self.settings.set("WARC_ENABLED", False, priority="cmdline")
        # a fetch replayed into the archive that holds it is sighted once
        self.settings.set("ARCHIVE_SKIP_KNOWN_SIGHTINGS", True, priority="cmdline")
        extensions = self.settings.getdict("EXTENSIONS")   # the others (GC tuning...) stay
        extensions["crawler.runlog.RunLog"] = None
        self.settings.set("EXTENSIONS", extensions, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("scrapy reprocess takes no arguments")
        if not self.warc_dir.is_dir():
            print(f"reprocess: no WARC directory {self.warc_dir}")
            self.exitcode = 1
            return
        if not sites_ok(opts.sites_dir, opts.site):
            self.exitcode = 1
            return
        known = set(select_sites(opts.sites_dir, opts.site))
        stored = {p.name for p in self.warc_dir.iterdir() if p.is_dir()} - {"_other"}
        unknown = sorted(stored - set(select_sites(opts.sites_dir)))
        if unknown:   # a crawl with -a sites_dir=...: its site files are needed here too
            print(f"reprocess: WARC files of sites without a site file are skipped: "
                  f"{', '.join(unknown)} (give --sites-dir DIR when the crawl used "
                  f"-a sites_dir=DIR)")
        if not stored & known:
            print(f"reprocess: no WARC files of {', '.join(sorted(known))} under {self.warc_dir}")
            self.exitcode = 1
            return
        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(ReplaySpider)
        quiet_if_unavailable(self.crawler_process.crawl(
            crawler, warc_dir=str(self.warc_dir), archive_dir=str(self.source_archive),
            site=opts.site, sites_dir=opts.sites_dir))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats and crawler.stats.get_value("archive/rows_lost"):
            print("reprocess: rows could not be written to the archive (see the log); "
                  "run it again once it is writable")
            self.exitcode = UNWRITTEN_EXIT
        elif crawler.stats and crawler.stats.get_value("extract/stopped"):
            print("reprocess: stopped part way: no extraction worker could run (see the log)")
            self.exitcode = EXTRACTION_EXIT
        elif interrupted(crawler):
            print("reprocess: interrupted part way (run it again: rows already written are "
                  "kept, dedup skips them)")
            self.exitcode = INTERRUPTED_EXIT
