"""The corpus server answers exactly as the manifest says; the vendored corpus
is byte-identical to ../shared/corpus."""

from __future__ import annotations

import filecmp
import http.client
import socket

import pytest

from tests.conftest import CORPUS, SHARED


def raw_get(server_url: str, url: str, proxy_style: bool = True) -> tuple[int, list, bytes]:
    host_port = server_url.split("//", 1)[1]
    conn = http.client.HTTPConnection(host_port, timeout=10)
    if proxy_style:
        conn.request("GET", url)
    else:
        scheme_host, _, path = url.partition("//")[2].partition("/")
        conn.request("GET", "/" + path, headers={"Host": scheme_host})
    resp = conn.getresponse()
    body = resp.read()
    headers = resp.getheaders()
    conn.close()
    return resp.status, headers, body


def test_vendored_corpus_is_identical_to_shared():
    shared = SHARED / "corpus"
    if not shared.is_dir():
        pytest.fail(f"{shared} missing: cannot check the vendored copy")
    cmp = filecmp.dircmp(CORPUS, shared)
    stack, mismatched = [cmp], []
    while stack:
        c = stack.pop()
        mismatched += c.left_only + c.right_only + c.diff_files
        _, diff, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        mismatched += diff + errors
        stack.extend(c.subdirs.values())
    assert mismatched == []


def test_every_manifest_response_served_exactly(fresh_server, manifest):
    for r in manifest["responses"]:
        status, headers, body = raw_get(fresh_server.url, r["url"])
        expected_status = 500 if r.get("behaviour") == "fail_once_500" else r["status"]
        assert status == expected_status, r["url"]
        if expected_status == 500:
            status, headers, body = raw_get(fresh_server.url, r["url"])
            assert status == r["status"]
        names = [h for h, _ in headers]
        assert names == list(r["headers"]) + ["Content-Length"], r["url"]
        assert dict(headers) == {**r["headers"], "Content-Length": str(len(body))}
        assert body == (CORPUS / "pages" / r["file"]).read_bytes(), r["url"]


def test_fail_once_then_ok_and_host_header_routing(fresh_server):
    url = "http://sjz-epaper.test/html/2022-03/29/content_123457.htm"
    first = raw_get(fresh_server.url, url, proxy_style=False)
    second = raw_get(fresh_server.url, url, proxy_style=False)
    assert first[0] == 500 and dict(first[1])["Content-Type"] == "text/html"
    assert second[0] == 200 and b"content" in second[2].lower()


def test_unknown_url_is_empty_404(corpus_server):
    status, headers, body = raw_get(corpus_server.url, "http://hebei-gov.test/no/such/page.html")
    assert status == 404 and body == b""


def test_charset_less_content_type_stays_without(corpus_server):
    _, headers, _ = raw_get(corpus_server.url, "http://lf-news.test/lfyw/swgz/202211/t20221117_5123456.html")
    assert dict(headers)["Content-Type"] == "text/html"


def test_listens_on_loopback_only(corpus_server):
    host, port = corpus_server.httpd.server_address[:2]
    assert host == "127.0.0.1" and port > 0
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


def test_a_manifest_of_responses_only_and_a_missing_file(tmp_path):
    """A corpus of one's own needs only ``responses``; a file the manifest
    names but that is not there answers 500 with the reason, not a dropped
    connection."""
    import json

    from crawler.corpus_server import Corpus
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_bytes(b"<p>a</p>")
    (tmp_path / "manifest.json").write_text(json.dumps({"responses": [
        {"url": "http://x.test/a.html", "file": "a.html", "status": 200,
         "headers": {"Content-Type": "text/html"}},
        {"url": "http://x.test/b.html", "file": "b.html", "status": 200, "headers": {}}]}))
    corpus = Corpus(tmp_path)
    assert corpus.answer("http://x.test/a.html")[0] == 200
    status, _, body = corpus.answer("http://x.test/b.html")
    assert status == 500 and b"corpus file missing" in body
