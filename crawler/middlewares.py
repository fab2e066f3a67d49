"""Downloader middlewares of the project.

:class:`MetaRefreshFirstBytes` replaces Scrapy's ``MetaRefreshMiddleware``
(same settings, same redirects). Scrapy's reads ``response.text[:4096]``:
it decodes the whole body, with encoding detection when the page declares
none, in the reactor thread, for every HTML page. Here the raw bytes are
checked first: with no ``refresh`` (any case) and no NUL byte (UTF-16 or
UTF-32 text) in the first 16,384 bytes, which hold the first 4,096 characters in any
ASCII-compatible encoding (4 bytes a character at most), Scrapy's check
cannot find a refresh either, and the page goes on undecoded. The text of
an article page is decoded once, in its extraction worker.
"""

from __future__ import annotations

import re

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse

HEAD_BYTES = 4 * 4096   # Scrapy looks at text[:4096]
_MAYBE_REFRESH = re.compile(rb"refresh|\x00", re.I)


class MetaRefreshFirstBytes(MetaRefreshMiddleware):
    def process_response(self, request, response):
        if (isinstance(response, HtmlResponse)
                and not _MAYBE_REFRESH.search(response.body, 0, HEAD_BYTES)):
            return response
        return super().process_response(request, response)
