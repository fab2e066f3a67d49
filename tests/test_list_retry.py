"""A list page that failed is asked again by the next runs, so the articles
behind it are reached although the list pages before it are all known."""

from __future__ import annotations

import json

import pandas as pd

from crawler.corpus_server import CorpusServer
from tests.conftest import corpus_copy, crawl

A1 = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"
A2 = "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html"
INDEX = "http://hebei-gov.test/hbyw/index.html"
PAGE2 = "http://hebei-gov.test/hbyw/index_1.html"


def _corpus(root, page2_status):
    """Start page -> A1 and page 2; page 2 -> A2, answering ``page2_status``."""
    manifest, articles = corpus_copy(root, (A1, A2))
    (root / "pages" / "index.html").write_text(
        f"<html><body><ul><li><a href='{A1}'>一</a></li></ul><a href='{PAGE2}'>下一页</a>"
        "</body></html>", encoding="utf-8")
    (root / "pages" / "index_1.html").write_text(
        f"<html><body><ul><li><a href='{A2}'>二</a></li></ul></body></html>", encoding="utf-8")
    html = {"Content-Type": "text/html; charset=utf-8"}
    responses = articles + [
        {"url": INDEX, "file": "index.html", "status": 200, "headers": html},
        {"url": "http://hebei-gov.test/", "file": "index.html", "status": 200, "headers": html},
        {"url": PAGE2, "file": "index_1.html", "status": page2_status, "headers": html}]
    (root / "manifest.json").write_text(json.dumps(
        {"sites": [s for s in manifest["sites"] if s["host"] == "hebei-gov.test"],
         "responses": responses}), encoding="utf-8")
    return root


def _run(tmp_path, archive, page2_status):
    with CorpusServer(_corpus(tmp_path / "corpus", page2_status)) as server:
        proc = crawl(server.url, archive, "-a", "site=hebei-gov")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return hits


def test_a_list_page_that_failed_is_asked_again_until_it_answers(tmp_path):
    archive = tmp_path / "archive"
    _run(tmp_path, archive, 503)                 # retried by Scrapy, then given up
    assert set(pd.read_parquet(archive / "articles")["url"]) == {A1}
    hits = _run(tmp_path, archive, 200)          # page 1 all known: paging stops there,
    assert hits.get(PAGE2) == 1                  # but the failed page is asked again
    assert set(pd.read_parquet(archive / "articles")["url"]) == {A1, A2}
    hits = _run(tmp_path, archive, 200)          # it answered: not asked again
    assert PAGE2 not in hits


def test_a_list_page_that_keeps_failing_is_given_up(tmp_path):
    archive = tmp_path / "archive"
    asked = [_run(tmp_path, archive, 403).get(PAGE2, 0) for _ in range(4)]
    assert asked == [1, 1, 1, 0]                 # failed in 3 runs: no longer asked


def test_a_page_that_is_gone_is_not_asked_again(tmp_path):
    """404/410: the page is not there (or it was an article link whose regex
    matches only the URL as the page wrote it, which visited does not keep)."""
    archive = tmp_path / "archive"
    asked = [_run(tmp_path, archive, 404).get(PAGE2, 0) for _ in range(2)]
    assert asked == [1, 0]


def test_a_start_page_that_failed_is_not_recorded(tmp_path):
    """Start (and template) pages are asked every run anyway: a failed one is
    no row of visited and no second request."""
    archive = tmp_path / "archive"
    manifest = _corpus(tmp_path / "corpus", 200)
    data = json.loads((manifest / "manifest.json").read_text(encoding="utf-8"))
    for r in data["responses"]:
        if r["url"] == INDEX:
            r["status"] = 503
    (manifest / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with CorpusServer(manifest) as server:
        proc = crawl(server.url, archive, "-a", "site=hebei-gov")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert INDEX not in set(pd.read_parquet(archive / "visited")["url"])
    hits = _run(tmp_path, archive, 200)
    assert hits[INDEX] == 1


def test_list_retries_follow_time_not_file_order(tmp_path):
    """Visits are ordered by time (a compacted part file sorts after the
    others); failures count since the page last answered."""
    import datetime as dt

    import pyarrow as pa

    from crawler.archivestate import archive_state
    from crawler.sites import load_sites
    from pipelines.archive import write_part
    from pipelines.schema import SCHEMA_VERSION, VISITED

    def part(name, rows):
        write_part(tmp_path / "visited", name, pa.Table.from_pylist([
            {"url": PAGE2, "site": "hebei-gov", "status": status, "run_id": name,
             "fetched_at": dt.datetime(2026, 1, day, tzinfo=dt.timezone.utc),
             "schema_version": SCHEMA_VERSION} for day, status in rows], schema=VISITED))

    sites = load_sites()
    part("part-compact-1.parquet", [(1, 503)])
    part("part-20260102.parquet", [(2, 200)])
    assert archive_state(tmp_path, sites)[1] == {}                 # answered after it failed
    part("part-20260103.parquet", [(3, 0), (4, 503)])
    assert archive_state(tmp_path, sites)[1] == {"hebei-gov": {PAGE2}}   # 2 since the answer
    part("part-20260105.parquet", [(5, 404)])
    assert archive_state(tmp_path, sites)[1] == {}                 # 3: given up


def test_an_article_that_answered_403_is_asked_again_and_one_that_is_gone_is_not(tmp_path):
    """A 403/412/429 answer to an article link is often a passing block: not
    recorded, asked again next run. A 404 is recorded and not asked again."""
    root = _corpus(tmp_path / "corpus", 200)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    for r in manifest["responses"]:
        if r["url"] in (A1, A2):
            r["status"] = 403 if r["url"] == A1 else 404
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    archive = tmp_path / "archive"
    asked = []
    for _ in range(2):
        with CorpusServer(root) as server:
            proc = crawl(server.url, archive, "-a", "site=hebei-gov", "-s", "RETRY_ENABLED=0")
            asked.append((server.corpus.hits.get(A1, 0), server.corpus.hits.get(A2, 0)))
        assert proc.returncode in (0, 3), proc.stderr[-3000:]
    assert asked == [(1, 1), (1, 0)]
    assert set(pd.read_parquet(archive / "visited")["url"]) >= {A2}
    assert A1 not in set(pd.read_parquet(archive / "visited")["url"])


def test_article_rows_of_older_runs_that_answered_403_are_asked_again(tmp_path):
    """Runs before 404/410-only recording kept 403/412/429 article answers in
    visited: those URLs are not known, so the next run asks them again."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from crawler.archivestate import archive_state
    from crawler.sites import load_sites
    from pipelines.schema import SCHEMA_VERSION, VISITED

    (tmp_path / "visited").mkdir()
    when = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    rows = {"url": [A1, A2], "site": ["hebei-gov"] * 2, "status": [403, 404],
            "fetched_at": [when] * 2, "run_id": ["old"] * 2, "schema_version": [SCHEMA_VERSION] * 2}
    pq.write_table(pa.Table.from_pydict(rows, schema=VISITED), tmp_path / "visited" / "part-old.parquet")
    known, retry = archive_state(tmp_path, load_sites())
    assert A2 in known and A1 not in known
