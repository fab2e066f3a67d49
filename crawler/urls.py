"""URL canonicalization: one form per page, used for requests, dedup and sightings.

>>> canonical_url("http://Hebei-Gov.test/a/t1_2.html?from=timeline&utm_source=x#top", ("from",))
'http://hebei-gov.test/a/t1_2.html'
>>> canonical_url("http://x.test/list.aspx?b=2&a=1")
'http://x.test/list.aspx?a=1&b=2'

Query values are kept as the bytes they are: an old site's GBK-encoded
value (``list.asp?lx=%C8%D5%B1%A8``, as a browser or Scrapy's link extractor
writes it from a GBK page) is not read as UTF-8, which would turn it into
U+FFFD and make different pages one URL. A query with a field that is no
``key=value`` (``index.php?/news/12.html``, ``show.asp?123``) is a router's
path: it is kept as written, in its order (``123=`` would be another page).

>>> canonical_url("http://x.test/list.asp?lx=%C8%D5%B1%A8&id=5")
'http://x.test/list.asp?id=5&lx=%C8%D5%B1%A8'
>>> canonical_url("http://x.test/index.php?/news/12.html"), canonical_url("http://x.test/show.asp?123#c")
('http://x.test/index.php?/news/12.html', 'http://x.test/show.asp?123')
>>> canonical_url("http://x.test/index.php?/news/12.html&from=tl&utm_source=wx", ("from",))
'http://x.test/index.php?/news/12.html'
>>> canonical_url("http://x.test/s?kw=中文&a=1")
'http://x.test/s?a=1&kw=%E4%B8%AD%E6%96%87'
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

# Tracking parameters dropped on every site; a site file adds its own.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|spm|isappinstalled|scene|share_token|wfr|fbclid|gclid|from_source)$", re.I)


def _dropped(key: str, drop_params: tuple[str, ...]) -> bool:
    return bool(TRACKING_PARAMS.match(key)) or key in drop_params


def canonical_url(url: str, drop_params: tuple[str, ...] = ()) -> str:
    """Sorted query without tracking parameters, no fragment, lower-case host."""
    parts = urlsplit(safe_url_string(url))   # ASCII: non-ASCII characters %-encoded as UTF-8
    if not parts.query:
        return canonicalize_url(urlunsplit(parts), keep_fragments=False)
    fields = [f for f in parts.query.split("&") if f]
    if not all("=" in field for field in fields):   # a router's path: its order kept
        kept = "&".join(f for f in fields if "=" not in f or not _dropped(
            unquote_plus(f.split("=", 1)[0]), drop_params))
        base = canonicalize_url(urlunsplit(parts._replace(query="")), keep_fragments=False)
        return f"{base}?{kept}" if kept else base
    # latin-1 maps each %-escaped byte to one character and back: any codec survives
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True, encoding="latin-1")
             if not _dropped(k, drop_params)]
    return canonicalize_url(urlunsplit(parts._replace(query=urlencode(query, encoding="latin-1"))),
                            keep_fragments=False)
