"""`make demo`: serve the bundled corpus, crawl every site into the archive,
print a per-site summary and how to load the result.

    python -m crawler.demo [--archive DIR] [--site ID] [--corpus DIR]

The corpus server runs on 127.0.0.1 (a free port) and is the crawl's HTTP
proxy, so the site files keep the sites' own ``*.test`` URLs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from crawler.corpus_server import DEFAULT_CORPUS, CorpusServer
from crawler.spider import new_run_id

ROOT = Path(__file__).resolve().parent.parent


def crawl_command(run_id: str, site: str | None, extra: list[str]) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy.cmdline", "crawl", "news", "-s", f"RUN_ID={run_id}"]
    if site:
        cmd += ["-a", f"site={site}"]
    return cmd + extra


def summary(archive: Path, run_id: str) -> str:
    import pandas as pd

    runs = pd.read_parquet(archive / "runs", filters=[("run_id", "=", run_id)])
    if runs.empty:
        return "(no run log row was written)"
    table = runs[["site", "requests", "article_requests", "articles_new", "duplicates",
                  "near_duplicates", "empty", "errors", "broken"]].rename(columns={
                      "requests": "pages fetched", "article_requests": "article pages",
                      "articles_new": "articles archived", "near_duplicates": "near dups"})
    total = pd.read_parquet(archive / "articles", columns=["content_hash"])
    return (table.to_string(index=False)
            + f"\n\narchive {archive}: {len(total)} articles in total")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", default=os.environ.get("ARCHIVE_DIR", "archive"))
    ap.add_argument("--site", help="crawl only this site id")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("extra", nargs="*", help="extra arguments for scrapy crawl (after --)")
    args = ap.parse_args(argv)
    archive = Path(args.archive).resolve()
    run_id = new_run_id()
    with CorpusServer(args.corpus) as server:
        print(f"corpus server on {server.url} (HTTP proxy for the *.test sites)", flush=True)
        env = {**os.environ, "http_proxy": server.url, "HTTP_PROXY": server.url,
               "no_proxy": "", "NO_PROXY": "", "ARCHIVE_DIR": str(archive)}
        proc = subprocess.run(crawl_command(run_id, args.site, args.extra), cwd=ROOT, env=env)
    print(f"\nrun {run_id}, scrapy crawl exit status {proc.returncode}\n")
    print(summary(archive, run_id))
    print("\nLoad it in pandas:\n"
          f"    import pandas as pd; df = pd.read_parquet({str(archive)!r} + '/articles')\n")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
