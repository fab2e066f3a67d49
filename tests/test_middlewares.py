"""crawler/middlewares.py: meta refresh found as Scrapy finds it, without
decoding pages that cannot hold one."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import MetaRefreshFirstBytes

URL = "http://site.test/index.html"
REFRESH = '<meta http-equiv="Refresh" content="0; url=/html/today.htm">'


def respond(html: str, encoding: str, headers=None) -> HtmlResponse:
    return HtmlResponse(URL, body=html.encode(encoding), headers=headers or {},
                        request=Request(URL))


def both(response):
    ours = MetaRefreshFirstBytes.from_crawler(get_crawler()).process_response(
        response.request, response)
    fresh = respond(response.body.decode(response.encoding), response.encoding,
                    dict(response.headers))
    scrapys = MetaRefreshMiddleware.from_crawler(get_crawler()).process_response(
        fresh.request, fresh)
    return ours, scrapys


@pytest.mark.parametrize("html,encoding", [
    (f"<html><head>{REFRESH}</head><body>跳转</body></html>", "utf-8"),
    (f"<html><head>{REFRESH.upper()}</head><body>跳转</body></html>", "gb18030"),
    ("\ufeff" + f"<html><head>{REFRESH}</head></html>", "utf-16"),
])
def test_a_refresh_is_followed_as_scrapy_follows_it(html, encoding):
    ours, scrapys = both(respond(html, encoding))
    assert isinstance(scrapys, Request)
    assert isinstance(ours, Request) and ours.url == scrapys.url
    assert ours.url.lower() == "http://site.test/html/today.htm"


@pytest.mark.parametrize("html", [
    # past the 4,096 characters Scrapy reads
    "<html><head><title>x</title></head><body>" + "正" * 5000 + REFRESH + "</body></html>",
    # spelled with a character reference: Scrapy does not read it as one
    f"<html><head>{REFRESH.replace('Refresh', '&#82;efresh')}</head></html>",
])
def test_what_scrapy_does_not_follow_is_not_followed(html):
    ours, scrapys = both(respond(html, "utf-8"))
    assert not isinstance(ours, Request) and not isinstance(scrapys, Request)


def test_a_page_without_refresh_is_not_decoded():
    page = respond("<html><head><title>会议</title></head><body>" + "正文。" * 3000
                   + "</body></html>", "gb18030")
    ours = MetaRefreshFirstBytes.from_crawler(get_crawler()).process_response(page.request, page)
    assert ours is page
    assert page._cached_ubody is None   # Scrapy's decoded text, never built
