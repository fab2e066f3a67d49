"""URL canonicalization: one form per page, used for requests, dedup and sightings.

>>> canonical_url("http://Hebei-Gov.test/a/t1_2.html?from=timeline&utm_source=x#top", ("from",))
'http://hebei-gov.test/a/t1_2.html'
>>> canonical_url("http://x.test/list.aspx?b=2&a=1")
'http://x.test/list.aspx?a=1&b=2'
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Tracking parameters dropped on every site; a site file adds its own.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|spm|isappinstalled|scene|share_token|wfr|fbclid|gclid|from_source)$", re.I)


def canonical_url(url: str, drop_params: tuple[str, ...] = ()) -> str:
    """Sorted query without tracking parameters, no fragment, lower-case host."""
    parts = urlsplit(url)
    if parts.query:
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if not TRACKING_PARAMS.match(k) and k not in drop_params]
        parts = parts._replace(query=urlencode(query))
    return canonicalize_url(urlunsplit(parts), keep_fragments=False)
