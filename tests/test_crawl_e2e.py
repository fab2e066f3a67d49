"""End to end: real `scrapy crawl news` subprocesses against the local corpus server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from crawler.corpus_server import CorpusServer
from tests.conftest import CORPUS, ROOT, crawl


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory):
    """One full crawl of the corpus into a fresh archive, with the server's hit counts."""
    archive = tmp_path_factory.mktemp("archive")
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, archive)
        hits = dict(server.corpus.hits)
    return archive, proc, hits


def test_crawl_exits_zero_and_prints_summary(first_crawl):
    archive, proc, _ = first_crawl
    assert proc.returncode == 0, proc.stderr[-3000:]
    for site in ("hebei-gov", "zjk-news", "lf-news", "jl-repost", "hd-news", "sjz-epaper"):
        assert any(line.startswith(site) for line in proc.stderr.splitlines()), site


def test_every_article_page_archived_under_its_site(first_crawl, manifest):
    archive, _, _ = first_crawl
    df = pd.read_parquet(archive / "articles")
    sightings = pd.read_parquet(archive / "sightings")
    host_site = {"hebei-gov.test": "hebei-gov", "zjk-news.test": "zjk-news",
                 "lf-news.test": "lf-news", "jl-repost.test": "jl-repost",
                 "hd-news.test": "hd-news", "sjz-epaper.test": "sjz-epaper"}
    seen = set(zip(sightings["url"], sightings["site"].astype(str)))
    for r in manifest["responses"]:
        if r["kind"] == "article" and "?" not in r["url"]:
            host = r["url"].split("/")[2]
            assert (r["url"], host_site[host]) in seen, r["url"]
    assert len(df) >= 1 and df["content_hash"].is_unique


def test_pandas_loads_with_proper_types(first_crawl):
    archive, _, _ = first_crawl
    df = pd.read_parquet(archive / "articles")
    assert str(df["published"].dtype) == "datetime64[us, Asia/Shanghai]"
    assert str(df["fetched_at"].dtype) == "datetime64[us, UTC]"
    assert df["authors"].dtype == object
    assert all(isinstance(a, (list, np.ndarray)) for a in df["authors"])
    assert all(isinstance(x, str) for a in df["authors"] for x in a)
    assert df["schema_version"].dtype == "int16"
    assert isinstance(df["site"].dtype, pd.CategoricalDtype)
    for col in ("url", "site", "region", "level", "title", "published", "source", "authors",
                "text", "content_hash", "fetched_at", "encoding", "run_id", "schema_version"):
        assert col in df.columns, col
    assert df["text"].str.len().min() > 50
    assert set(df["level"]) <= {"province", "city"}


def test_site_filter_prunes_files(first_crawl):
    archive, _, _ = first_crawl
    one = pd.read_parquet(archive / "articles", filters=[("site", "=", "hd-news")])
    assert set(one["site"].astype(str)) == {"hd-news"} and len(one) >= 1
    files = pa.dataset.dataset(archive / "articles", partitioning="hive").files
    assert all("/site=" in f and "/month=" in f for f in files)


def test_politeness_rules_obeyed(first_crawl, manifest):
    _, _, hits = first_crawl
    assert hits.get("http://hebei-gov.test/search/index.html", 0) == 0  # robots.txt Disallow
    assert hits.get("http://hebei-gov.test/robots.txt", 0) >= 1
    for r in manifest["responses"]:
        if r["kind"] == "attachment":
            assert hits.get(r["url"], 0) == 0, r["url"]
    assert not [u for u in hits if not u.startswith("http://") or "javascript" in u or "mailto" in u]
    assert not [u for u in hits if u.split("/")[2] not in
                {s["host"] for s in manifest["sites"]}]


def test_errors_and_bad_pages_counted_with_reason(first_crawl):
    archive, proc, hits = first_crawl
    runs = pd.read_parquet(archive / "runs").set_index("site")
    hebei = runs.loc["hebei-gov"]
    assert dict(hebei["errors_by_kind"])["http_404"] == 1      # deleted article
    assert runs.loc["jl-repost", "empty"] == 1                 # 3 MB junk page, no article
    assert "extract/empty: http://jl-repost.test/zt/quanjing.html" in proc.stderr
    assert "Page(url=" not in proc.stderr       # the drop's reason, without the item
    # the 500-once page was retried and archived
    assert hits["http://sjz-epaper.test/html/2022-03/29/content_123457.htm"] == 2
    sightings = pd.read_parquet(archive / "sightings")
    assert "http://sjz-epaper.test/html/2022-03/29/content_123457.htm" in set(sightings["url"])
    assert dict(runs.loc["sjz-epaper", "responses_by_status"]).get("500") == 1   # before its retry
    assert not runs["broken"].any()


def test_second_run_fetches_no_article_page(first_crawl, tmp_path):
    archive, _, _ = first_crawl
    copy = tmp_path / "archive"
    shutil.copytree(archive, copy)
    before = len(pd.read_parquet(copy / "articles"))
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, copy)
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = pd.read_parquet(copy / "runs")
    last = runs[runs["started_at"] == runs["started_at"].max()]
    assert last["article_requests"].sum() == 0
    assert last["articles_new"].sum() == 0
    assert len(pd.read_parquet(copy / "articles")) == before
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    kinds = {r["url"]: r["kind"] for r in manifest["responses"]}
    assert not [u for u in hits if kinds.get(u) == "article"]
    start_urls = {u for s in manifest["sites"] for u in s["start_urls"]}
    fetched = {u for u in hits if not u.endswith("/robots.txt")}
    # only the first list pages (start URLs; the e-paper's meta refresh target,
    # and with its extra_pages = 1 the other page)
    assert fetched <= start_urls | {"http://sjz-epaper.test/html/2022-03/29/node_1.htm",
                                    "http://sjz-epaper.test/html/2022-03/29/node_2.htm"}
    assert "http://sjz-epaper.test/html/2022-03/29/node_2.htm" in fetched


def test_full_recrawl_of_one_site_touches_only_its_hosts(first_crawl, tmp_path):
    archive, _, _ = first_crawl
    copy = tmp_path / "archive"
    shutil.copytree(archive, copy)
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, copy, "-a", "site=hebei-gov", "-a", "full=1")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert {u.split("/")[2] for u in hits} == {"hebei-gov.test"}
    assert hits["http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"] == 1
    assert hits["http://hebei-gov.test/hbyw/202203/t20220328_2714102.html"] == 1


def test_unknown_site_exits_nonzero_naming_known_sites(corpus_server, tmp_path):
    proc = crawl(corpus_server.url, tmp_path / "a", "-a", "site=nosuch")
    assert proc.returncode == 1
    assert "unknown site nosuch" in proc.stderr and "Traceback" not in proc.stderr
    assert "hebei-gov" in proc.stderr and "sjz-epaper" in proc.stderr


def test_a_bad_site_file_stops_its_site_not_the_others(corpus_server, tmp_path):
    """Asked for by name, a bad file stops the run (exit 1, one clear line, before
    Scrapy starts); in a run of every site it is skipped with its error logged,
    the other sites are crawled and the run exits 3, as for a broken site: one
    typo does not cost a night of every site. Named, a good site runs as usual."""
    sites = tmp_path / "sites"
    sites.mkdir()
    for name in ("hd-news", "hebei-gov"):
        shutil.copy(ROOT / "settings" / "sites" / f"{name}.toml", sites)
    path = sites / "hd-news.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[politeness]", "[politeness]\ndelai = 1"),
                    encoding="utf-8")
    proc = crawl(corpus_server.url, tmp_path / "a", "-a", f"sites_dir={sites}", "-a", "site=hd-news")
    assert proc.returncode == 1
    assert f"{path}: [politeness].delai: unknown key" in proc.stderr
    assert "Traceback" not in proc.stderr      # one clear line, before Scrapy starts
    assert not (tmp_path / "a" / "articles").exists()

    proc = crawl(corpus_server.url, tmp_path / "b", "-a", f"sites_dir={sites}")
    assert proc.returncode == 3, proc.stderr[-3000:]
    assert f"site file skipped, its site is not crawled: {path}: [politeness].delai: unknown key" \
        in proc.stderr
    rows = pd.read_parquet(tmp_path / "b" / "articles")
    assert len(rows) and set(rows["site"]) == {"hebei-gov"}

    proc = crawl(corpus_server.url, tmp_path / "c", "-a", f"sites_dir={sites}", "-a", "site=hebei-gov")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "delai" not in proc.stderr


def test_site_whose_lists_change_shape_is_broken(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    stripped = b"<html><body><div class='list'><p>\xe6\x94\xb9\xe7\x89\x88</p></div></body></html>"
    for rel in ("index.html", "lfyw/index.html", "lfyw/index_1.html", "hbyw/index.html"):
        (corpus / "pages" / "lf-news.test" / rel).write_bytes(stripped)
    with CorpusServer(corpus) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", "site=lf-news,hd-news")
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "broken sites (no article links or every article empty): lf-news" in proc.stderr
    assert "broken site lf-news: its " in proc.stderr and "no link matching [links].article" in proc.stderr
    runs = pd.read_parquet(tmp_path / "a" / "runs").set_index("site")
    assert bool(runs.loc["lf-news", "broken"]) and not bool(runs.loc["hd-news", "broken"])


def test_scrapy_list_shows_news():
    out = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "list"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["news"]


def test_demo_command_prints_summary(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "crawler.demo", "--archive", str(tmp_path / "d"),
                           "--site", "hd-news"], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "articles archived" in proc.stdout and "hd-news" in proc.stdout
    assert "pd.read_parquet(" in proc.stdout
    assert Path(tmp_path / "d" / "articles").is_dir()


def test_since_skips_older_articles_and_stops_paging(tmp_path):
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", "site=hebei-gov", "-a", "since=2022-03-25")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert hits.get("http://hebei-gov.test/hbyw/202203/t20220328_2714102.html") == 1
    assert "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html" not in hits
    assert "http://hebei-gov.test/hbyw/202203/t20220320_2712999.html" not in hits


def test_sitemap_from_robots_txt_leads_to_articles(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text(encoding="utf-8")
    text = text.replace('start_urls = ["http://hebei-gov.test/", "http://hebei-gov.test/hbyw/index.html"]',
                        'start_urls = ["http://hebei-gov.test/search/index.html"]\n'
                        'sitemap_urls = ["http://hebei-gov.test/robots.txt"]')
    (sites / "hebei-gov.toml").write_text(text, encoding="utf-8")
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", f"sites_dir={sites}")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert hits["http://hebei-gov.test/sitemap.xml"] == 1
    assert "http://hebei-gov.test/search/index.html" not in hits    # robots.txt Disallow
    visited = set(pd.read_parquet(tmp_path / "a" / "visited")["url"])
    assert "http://hebei-gov.test/search/index.html" not in visited  # not a failure to retry
    assert hits["http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"] == 1
    assert len(pd.read_parquet(tmp_path / "a" / "articles")) == 2


def test_crawl_without_extraction_workers_stops_and_next_run_gets_the_pages(first_crawl,
                                                                             tmp_path):
    """Workers that cannot start: the crawl stops (exit 4, reason in the log),
    the article pages it fetched are not recorded as visited and no site is
    called broken; the next run, with working workers, archives every article
    the first full crawl did."""
    archive, _, _ = first_crawl
    pipelines = json.dumps({"tests.unstartable.UnstartableExtraction": 100,
                            "pipelines.dedup.DedupPipeline": 300,
                            "pipelines.archive.ArchivePipeline": 900})
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, tmp_path / "a", "-s", f"ITEM_PIPELINES={pipelines}",
                     "-s", "EXTRACT_WORKERS=1")
    assert proc.returncode == 4, proc.stderr[-3000:]
    assert "stopping the run (extraction_unavailable)" in proc.stderr
    assert "broken sites" not in proc.stderr
    assert not (tmp_path / "a" / "articles").exists()
    runs = pd.read_parquet(tmp_path / "a" / "runs")
    assert not runs["broken"].any()
    assert sum(r.get("extract_unavailable", 0) for r in runs["errors_by_kind"].map(dict)) >= 1
    visited = (pd.read_parquet(tmp_path / "a" / "visited") if (tmp_path / "a" / "visited").exists()
               else pd.DataFrame({"status": []}))
    assert (visited["status"] >= 400).all()   # only failed fetches, never an unextracted page

    with CorpusServer(CORPUS) as server:
        again = crawl(server.url, tmp_path / "a")
    assert again.returncode == 0, again.stderr[-3000:]
    expected = set(pd.read_parquet(archive / "articles")["content_hash"])
    assert set(pd.read_parquet(tmp_path / "a" / "articles")["content_hash"]) == expected


def test_a_run_stopped_early_is_caught_up_by_the_next(tmp_path):
    """The first run stops after 5 pages (a CLOSESPIDER limit; Ctrl-C, SIGTERM
    and kill -9 leave the same marker): page 1 of the list was archived, the
    pages after it never fetched. An incremental run would stop at page 1,
    all known; the next run follows the list past known articles instead and
    fetches the older article (gone: a 404), and the run after that stops at page 1 again."""
    older = "http://hebei-gov.test/hbyw/202203/t20220320_2712999.html"
    one = ("-a", "site=hebei-gov")
    archive = tmp_path / "a"
    with CorpusServer(CORPUS) as server:
        stopped = crawl(server.url, archive, *one, "-s", "CONCURRENT_REQUESTS=1",
                        "-s", "CLOSESPIDER_PAGECOUNT=5")
        assert older not in server.corpus.hits
        assert len(list((archive / "unfinished").glob("*.json"))) == 1
        server.corpus.hits.clear()
        catching_up = crawl(server.url, archive, *one)
        assert server.corpus.hits.get("http://hebei-gov.test/hbyw/index_2.html") == 1
        assert server.corpus.hits.get(older) == 1
        server.corpus.hits.clear()
        settled = crawl(server.url, archive, *one)
        later_hits = dict(server.corpus.hits)
    assert stopped.returncode == 0, stopped.stderr[-2000:]
    assert catching_up.returncode == 0, catching_up.stderr[-2000:]
    assert "hebei-gov: run " in catching_up.stderr and "did not finish" in catching_up.stderr
    visited = pd.read_parquet(archive / "visited")
    assert visited.loc[visited["url"] == older, "status"].tolist() == [404]   # gone: not again
    assert not list((archive / "unfinished").glob("*.json"))
    assert settled.returncode == 0 and "did not finish" not in settled.stderr
    assert "http://hebei-gov.test/hbyw/index_1.html" not in later_hits


def test_rows_that_could_not_be_written_exit_6_and_are_fetched_again(tmp_path):
    """An archive that cannot take article rows (here a file where the
    directory goes; a full disk alike): the crawl says so and exits 6, not 0,
    and the next run, with the archive writable, archives every article."""
    archive = tmp_path / "a"
    archive.mkdir()
    (archive / "articles").write_text("not a directory")
    one = ("-a", "site=hd-news")
    with CorpusServer(CORPUS) as server:
        failed = crawl(server.url, archive, *one)
        markers = list((archive / "unfinished").glob("*.json"))   # the next run catches up
        (archive / "articles").unlink()
        again = crawl(server.url, archive, *one)
        clean = crawl(server.url, tmp_path / "clean", *one)
    assert failed.returncode == 6, failed.stderr[-3000:]
    assert "rows could not be written" in failed.stderr
    assert "'archive/rows_lost'" in failed.stderr
    assert len(markers) == 1
    assert again.returncode == 0 and clean.returncode == 0, again.stderr[-3000:]
    assert not list((archive / "unfinished").glob("*.json"))
    hashes = set(pd.read_parquet(archive / "articles")["content_hash"])
    assert hashes and hashes == set(pd.read_parquet(tmp_path / "clean" / "articles")["content_hash"])


def test_the_default_archive_is_beside_scrapy_cfg_wherever_the_crawl_starts():
    """`scrapy crawl` started in a subdirectory of the project (Scrapy finds
    scrapy.cfg upwards) writes to the project's archive/, not a second one."""
    env = {k: v for k, v in os.environ.items() if k != "ARCHIVE_DIR"}
    code = ("from scrapy.utils.project import get_project_settings; "
            "print(get_project_settings()['ARCHIVE_DIR'])")
    for cwd in (ROOT, ROOT / "crawler", ROOT / "settings" / "sites"):
        out = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                             text=True, check=True).stdout.strip()
        assert Path(out) == ROOT / "archive", cwd
