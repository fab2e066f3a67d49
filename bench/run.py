"""`make bench`: how fast the archiver is against the limits of this machine.

Builds a large local corpus (bench.gen_corpus), serves it on 127.0.0.1 and
measures, in one run:

a. crawl-only pages/s: the same spider with the item pipelines off;
b. full pipeline pages/s: extraction, normalization, dedup, archive
   (a and b: two passes each, alternated, the faster of each kept);
c. bare ``trafilatura.extract`` pages/s on the same article pages, one process per core;
d. per-stage ms/page on a sample (decode, extract, cleanup+metadata, normalize, hash, write,
   and the WARC records of the capture);
e. peak RSS of a crawl at 2,000 and 20,000 pages (pages reused under new URLs);
f. time to load 1 M archived hashes into the dedup state;
g. the Scrapy floor: CPU per page of a bare Scrapy spider (no middleware
   but the proxy one) that fetches the same article pages and does nothing
   (bench.floor), and how much more the crawl process of (a) and (b) takes.

Prints a table and writes ``bench/results.json``. Figures are ratios measured
in one run on one machine; nothing here is a pass/fail test.

    python -m bench.run [--pages 5000] [--rss-pages 20000] [--sample 300] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.gen_corpus import build
from crawler.corpus_server import CorpusServer

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.json"
# Every site is reached through the corpus server as an HTTP proxy, and
# Scrapy keeps at most CONCURRENT_REQUESTS_PER_DOMAIN idle connections per
# proxy: with 16 of 64, most requests opened a new connection and crawl-only
# runs varied from 300 to 390 pages/s on one machine. With the per-domain
# limit at the global one, connections are reused as they would be with one
# pool per real host, and crawl-only measures the crawler (about 450 pages/s
# there, within 5% run to run).
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS=64",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=64", "-s", "LOG_LEVEL=WARNING",
        "-s", "ROBOTSTXT_OBEY=True"]


def bench_sites(corpus: Path, out: Path) -> Path:
    """The shipped site files with start URLs pointing at the generated lists."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    starts = {s["host"]: s["start_urls"] for s in manifest["sites"]}
    out.mkdir(parents=True, exist_ok=True)
    for path in (ROOT / "settings" / "sites").glob("*.toml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        host = next(ln.split('"')[1] for ln in lines if ln.startswith("hosts"))
        lines = [f"start_urls = {json.dumps(starts[host])}" if ln.startswith("start_urls") else ln
                 for ln in lines]
        (out / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def timed_crawl(server_url: str, archive: Path, sites: Path, *extra: str) -> dict:
    """Run a crawl into a fresh archive; wall time of the crawl itself (from the
    run log) and peak RSS."""
    if archive.exists():
        shutil.rmtree(archive)  # an old archive would make this an incremental run
    env = {**os.environ, "http_proxy": server_url, "no_proxy": "", "ARCHIVE_DIR": str(archive)}
    cmd = [sys.executable, "-m", "scrapy.cmdline", "crawl", "news", "-a", f"sites_dir={sites}",
           *FAST, *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    peak = {"main": 0, "total": 0}
    cpu = {"main": 0.0, "kids": {}}
    ps = psutil.Process(proc.pid)
    server_cpu = time.process_time()   # the corpus server is a thread of this process

    def sample():
        while proc.poll() is None:
            try:
                main = ps.memory_info().rss
                children = ps.children(recursive=True)
                kids = sum(c.memory_info().rss for c in children)
                times = ps.cpu_times()
                cpu["main"] = times.user + times.system
                for c in children:
                    t = c.cpu_times()
                    cpu["kids"][c.pid] = t.user + t.system
            except psutil.Error:
                break
            peak["main"] = max(peak["main"], main)
            peak["total"] = max(peak["total"], main + kids)
            time.sleep(0.2)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    t.join()
    server_cpu = time.process_time() - server_cpu
    import pandas as pd

    runs = pd.read_parquet(archive / "runs")
    seconds = (runs["finished_at"].max() - runs["started_at"].min()).total_seconds()
    pages = int(runs["requests"].sum())
    per_page = 1000 / pages if pages else 0.0
    return {"exit": proc.returncode, "seconds": seconds, "pages": pages,
            "pages_per_s": pages / seconds if seconds else 0.0,
            # CPU per page (whole process lifetimes, start-up included; last sample
            # of each process, so a little is missed at the very end)
            "cpu_ms_per_page": {"crawler": cpu["main"] * per_page,
                                "extraction_workers": sum(cpu["kids"].values()) * per_page,
                                "corpus_server": server_cpu * per_page},
            "rss_main_mb": peak["main"] / 2**20, "rss_total_mb": peak["total"] / 2**20,
            "stderr_tail": err[-1500:]}


def scrapy_floor(server_url: str, urls: list[str]) -> dict:
    """Rate and CPU per page of bench.floor's do-nothing spider over ``urls``."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(urls, fh)
    env = {**os.environ, "http_proxy": server_url, "no_proxy": ""}
    server_cpu = time.process_time()   # the corpus server is a thread of this process
    try:
        out = subprocess.run([sys.executable, "-m", "bench.floor", fh.name], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
    finally:
        os.unlink(fh.name)
    server_cpu = time.process_time() - server_cpu
    got = json.loads(out.stdout.strip().splitlines()[-1])
    pages = got["pages"] or 1
    return {"pages": got["pages"],
            "pages_per_s": got["pages"] / got["seconds"] if got["seconds"] else 0.0,
            "cpu_ms_per_page": {"crawler": 1000 * got["cpu_s"] / pages,
                                "corpus_server": 1000 * server_cpu / pages}}


def _bare(args) -> int:
    path, enc = args
    import trafilatura

    html = Path(path).read_bytes().decode(enc, errors="replace")
    return len(trafilatura.extract(html) or "")


def article_files(corpus: Path) -> list[tuple[str, str, str, str]]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    seen, out = set(), []
    for r in manifest["responses"]:
        if r["kind"] == "article" and r["file"] not in seen:
            seen.add(r["file"])
            out.append((str(corpus / "pages" / r["file"]), r["url"],
                        r["headers"].get("Content-Type", ""), r["encoding"]))
    return out


def bare_trafilatura_rate(files, cores: int) -> float:
    from pipelines.extract.encoding import normalize_codec

    jobs = [(p, normalize_codec(enc) or "utf-8") for p, _, _, enc in files]
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        pool.map(_bare, jobs[: cores * 2])  # warm up imports
        t = time.perf_counter()
        pool.map(_bare, jobs, chunksize=8)
        return len(jobs) / (time.perf_counter() - t)


def stage_times(files, sample: int) -> dict:
    """Per-stage ms/page, one process, on the first ``sample`` article pages:
    the steps of the extraction worker (pipelines.page.PageProcessor)
    timed one by one, and bare ``trafilatura.extract`` on the same decoded text."""
    import trafilatura

    from crawler.sites import load_sites, site_for_url
    from crawler.warc import Capture, new_record_id, serialize
    from pipelines.archive import to_table, write_part
    from pipelines.contenthash import fold, hash_folded
    from pipelines.extract import extract_articles
    from pipelines.extract.encoding import decode
    from pipelines.page import PageProcessor
    from pipelines.schema import ARTICLES, SCHEMA_VERSION

    sites = load_sites()
    proc = PageProcessor()
    for path, url, ctype, _ in files[:10]:   # warm-up: lazy tables and caches, untimed
        body = Path(path).read_bytes()
        trafilatura.extract(decode(body, ctype).text)
        proc(body, ctype, url, site_for_url(sites, url))
    acc = dict.fromkeys(["decode", "extract", "ours", "normalize", "hash", "write", "warc"], 0.0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for path, url, ctype, _ in files[:sample]:
            body = Path(path).read_bytes()
            t0 = time.perf_counter()
            d = decode(body, ctype)
            t1 = time.perf_counter()
            trafilatura.extract(d.text)
            t2 = time.perf_counter()
            arts = [a.as_dict() for a in extract_articles(body, d.encoding, url,
                                                          site_for_url(sites, url), d.text)]
            t3 = time.perf_counter()
            arts = [proc.normalizer.normalize_article(a) for a in arts]
            t4 = time.perf_counter()
            for a in arts:   # content hash and near-duplicate signature, folded once
                folded = fold(a["text"])
                a["content_hash"] = hash_folded(folded)
                a["minhash"] = proc.signer.sign(a["text"], folded)
            t5 = time.perf_counter()
            now = dt.datetime.now(dt.timezone.utc)
            rows = [{**a, "fetched_at": now, "run_id": "bench", "schema_version": SCHEMA_VERSION}
                    for a in arts]
            if rows:
                write_part(Path(tmp), f"p{len(acc)}-{t5}.parquet", to_table(rows, ARTICLES))
            t6 = time.perf_counter()
            # the WARC records of the capture (crawl process, both modes)
            serialize(Capture(
                path="", site="", url=url, record_id=new_record_id(),
                request_record_id=new_record_id(), date="2026-01-01T00:00:00Z", method="GET",
                request_headers=[("Host", "x"), ("User-Agent", "bench")], request_body=b"",
                protocol="HTTP/1.1", status=200,
                response_headers=[("Content-Type", ctype), ("Content-Length", str(len(body)))],
                body=body))
            t7 = time.perf_counter()
            for key, (a, b) in zip(acc, [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6),
                                         (t6, t7)]):
                acc[key] += b - a
    n = min(sample, len(files))
    ms = {k: 1000 * v / n for k, v in acc.items()}
    ms["cleanup"] = max(ms["ours"] - ms["extract"], 0.0)
    return ms


def hash_load_seconds(n: int = 1_000_000) -> float:
    import hashlib

    import pyarrow as pa

    from pipelines import dedup
    from pipelines.archive import write_part
    from pipelines.schema import ARTICLES, SCHEMA_VERSION

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        per = n // 10
        now = dt.datetime.now(dt.timezone.utc)
        for k in range(10):
            hashes = [hashlib.sha256(f"{k}-{i}".encode()).hexdigest() for i in range(per)]
            cols = {f.name: pa.nulls(per, f.type) for f in ARTICLES}
            cols.update(url=pa.array(["u"] * per), text=pa.array(["t"] * per),
                        content_hash=pa.array(hashes), run_id=pa.array(["r"] * per),
                        fetched_at=pa.array([now] * per, ARTICLES.field("fetched_at").type),
                        schema_version=pa.array([SCHEMA_VERSION] * per, pa.int16()))
            table = pa.table(cols, schema=ARTICLES)
            write_part(root / "articles" / "site=x" / "month=2022-01", f"part-{k}.parquet", table)
        t = time.perf_counter()
        loaded = dedup.load_hashes(root)
        seconds = time.perf_counter() - t
        assert len(loaded) == per * 10, len(loaded)
        return seconds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--rss-pages", type=int, default=20000)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--quick", action="store_true", help="small sizes, to try the script")
    args = ap.parse_args(argv)
    if args.quick:
        args.pages, args.rss_pages, args.sample = 300, 1200, 50
    cores = os.cpu_count() or 1
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"building corpora under {WORK} ...", flush=True)
    big = WORK / "corpus"
    build(big, args.pages)
    reuse = max(1, -(-args.rss_pages // args.pages))
    mem = WORK / "corpus-reuse"
    build(mem, args.pages, reuse=reuse)
    sites, mem_sites = bench_sites(big, WORK / "sites"), bench_sites(mem, WORK / "sites-reuse")
    files = article_files(big)
    res: dict = {"cores": cores, "pages": len(files), "machine": platform.platform(),
                 "python": platform.python_version(),
                 "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    with CorpusServer(big) as server:
        # two passes each, alternated, the faster kept: other load on the machine
        # (and a slow first pass) should not decide the ratio
        runs: dict[str, list] = {"a": [], "b": [], "g": []}
        for attempt in (1, 2):
            print(f"a. crawl only (pass {attempt}) ...", flush=True)
            runs["a"].append(timed_crawl(server.url, WORK / "arch-crawl", sites,
                                         "-s", "ITEM_PIPELINES={}"))
            print(f"b. full pipeline (pass {attempt}) ...", flush=True)
            runs["b"].append(timed_crawl(server.url, WORK / "arch-full", sites))
            print(f"g. Scrapy floor (pass {attempt}) ...", flush=True)
            runs["g"].append(scrapy_floor(server.url, [url for _, url, _, _ in files]))
        a, b, floor = (max(runs[k], key=lambda r: r["pages_per_s"]) for k in "abg")
        res["passes_pages_per_s"] = {k: [r["pages_per_s"] for r in v] for k, v in runs.items()}
    for run in (a, b):
        if run["exit"] != 0:
            print(run["stderr_tail"], file=sys.stderr)
    print("c. bare trafilatura on all cores ...", flush=True)
    res["trafilatura_pages_per_s"] = bare_trafilatura_rate(files, cores)
    print("d. per-stage times ...", flush=True)
    ms = stage_times(files, args.sample)
    rss = {}
    with CorpusServer(mem) as server:
        for n in (2000 if not args.quick else 400, args.rss_pages):
            print(f"e. peak RSS at {n} pages ...", flush=True)
            r = timed_crawl(server.url, WORK / f"arch-rss-{n}", mem_sites,
                            "-s", f"CLOSESPIDER_PAGECOUNT={n}")
            rss[n] = r
    print("f. loading 1 M hashes ...", flush=True)
    res["hash_load_1m_s"] = hash_load_seconds()
    res.update({
        "crawl_only_pages_per_s": a["pages_per_s"], "pipeline_pages_per_s": b["pages_per_s"],
        "crawl_only_cpu_ms_per_page": a["cpu_ms_per_page"],
        "pipeline_cpu_ms_per_page": b["cpu_ms_per_page"],
        "stage_ms_per_page": ms,
        "extract_cost_ratio": ((ms["ours"] + ms["normalize"]) / ms["extract"]
                               if ms["extract"] else None),
        "normalize_share": ms["normalize"] / ms["ours"] if ms["ours"] else None,
        "rss_mb_2k": rss[min(rss)]["rss_total_mb"], "rss_mb_20k": rss[max(rss)]["rss_total_mb"],
        "rss_pages": {str(k): v["pages"] for k, v in rss.items()},
    })
    limit = min(res["crawl_only_pages_per_s"], res["trafilatura_pages_per_s"])
    res["pipeline_vs_limit"] = res["pipeline_pages_per_s"] / limit if limit else None
    res["scrapy_floor_pages_per_s"] = floor["pages_per_s"]
    res["scrapy_floor_cpu_ms_per_page"] = floor["cpu_ms_per_page"]
    res["crawler_over_floor_ms_per_page"] = {
        k: res[f"{k}_cpu_ms_per_page"]["crawler"] - floor["cpu_ms_per_page"]["crawler"]
        for k in ("crawl_only", "pipeline")}
    res["rss_growth_mb"] = res["rss_mb_20k"] - res["rss_mb_2k"]
    RESULTS.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(report(res))
    return 0


def report(r: dict) -> str:
    ms = r["stage_ms_per_page"]
    rows = [
        ("cores", f"{r['cores']}", ""),
        ("article pages", f"{r['pages']}", ""),
        ("a. crawl only", f"{r['crawl_only_pages_per_s']:.1f} pages/s", ""),
        ("b. full pipeline", f"{r['pipeline_pages_per_s']:.1f} pages/s",
         f"{r['pipeline_vs_limit']:.2f} x min(a, c)  (target >= 0.8)"),
        ("   CPU ms/page, crawl only", _cpu(r["crawl_only_cpu_ms_per_page"]), ""),
        ("   CPU ms/page, full pipeline", _cpu(r["pipeline_cpu_ms_per_page"]), ""),
        ("c. bare trafilatura, all cores", f"{r['trafilatura_pages_per_s']:.1f} pages/s", ""),
        ("d. stages ms/page", ", ".join(f"{k} {v:.2f}" for k, v in ms.items()), ""),
        ("   extraction + normalization", f"{r['extract_cost_ratio']:.2f} x bare trafilatura",
         "(target <= 1.25)"),
        ("   normalization", f"{r['normalize_share']:.1%} of extraction", "(target <= 10%)"),
        ("e. peak RSS", f"{r['rss_mb_2k']:.0f} MB -> {r['rss_mb_20k']:.0f} MB",
         f"growth {r['rss_growth_mb']:.0f} MB (target <= 100)"),
        ("f. 1 M hashes load", f"{r['hash_load_1m_s']:.2f} s", "(target <= 2 s)"),
        ("g. Scrapy floor", f"{r['scrapy_floor_pages_per_s']:.1f} pages/s",
         "(engine, scheduler, HTTP client; fetch only)"),
        ("   CPU ms/page", _cpu(r["scrapy_floor_cpu_ms_per_page"]), ""),
        ("   crawl process above it", "crawl only {crawl_only:.2f}, full pipeline {pipeline:.2f} "
         "ms/page".format(**r["crawler_over_floor_ms_per_page"]), ""),
    ]
    width = max(len(a) for a, _, _ in rows)
    return "\n".join(f"{a:<{width}}  {b}  {c}" for a, b, c in rows)


def _cpu(parts: dict) -> str:
    return (", ".join(f"{k} {v:.2f}" for k, v in parts.items())
            + f" (total {sum(parts.values()):.2f})")


if __name__ == "__main__":
    raise SystemExit(main())
