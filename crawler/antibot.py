"""Anti-bot answers: a JavaScript challenge instead of the page asked for.

Several of these sites sit behind WAFs that answer a crawler with a small
script that sets a cookie and reloads (see ``shared/real-sites.md``): WZWS
("请开启JavaScript并刷新该页", ``wzws_cid``; jl.gov.cn), Ruishu / 瑞数 (HTTP
412 or 202 with ``$_ts``; 412 on deep TRS list pages), Jiasule / 加速乐 (HTTP
521, ``__jsl_clearance``), Aliyun WAF (``acw_sc__v2``). This crawler runs no
JavaScript, so the pages behind them cannot be fetched; it says so instead of
reporting only "no article links". An answer is judged when it gave no link
(a list page), came with an error status, or is a short answer to an article
link; an article answer only by the markers real pages never carry (a
protected site's real pages carry Ruishu's script too).

>>> challenge(200, "<html><script>请开启JavaScript并刷新该页</script></html>".encode("gbk"))
'wzws'
>>> challenge(521, b"<script>document.cookie=('__jsl_clearance=1')</script>")
'jiasule'
>>> challenge(412, b"<html><script src='/x.js'></script></html>"), challenge(200, b"<html></html>")
('js-challenge', None)
>>> describe("ruishu"), describe("js-challenge")
('a Ruishu (瑞数) JavaScript challenge', 'a JavaScript challenge')
"""

from __future__ import annotations

_TEXT = "请开启JavaScript并刷新该页"
# (key, name, markers: any of them in the first 64 KB of the body)
CHALLENGES = (
    ("wzws", "WZWS", (b"wzws", b"WZWSRE", _TEXT.encode("utf-8"), _TEXT.encode("gbk"))),
    ("ruishu", "Ruishu (瑞数)", (b"$_ts",)),
    ("jiasule", "Jiasule (加速乐)", (b"__jsl_clearance", b"jsl_clearance_s")),
    ("aliyun-waf", "Aliyun WAF", (b"acw_sc__v2",)),
    ("yunsuo", "Yunsuo (云锁)", (b"yunsuo_session_verify",)),
)
UNKNOWN = "js-challenge"
CHALLENGE_STATUSES = (202, 412, 521)   # Ruishu, Ruishu, Jiasule: with a script, a challenge
_HEAD = 65536


# markers a protected site's real pages carry too (Ruishu's script is on every page)
_ON_REAL_PAGES = {"ruishu": (b"$_ts",), "wzws": (b"wzws", b"WZWSRE")}


def challenge(status: int, body: bytes, page: bool = False) -> str | None:
    """The key of the anti-bot challenge this answer is (stats
    ``site/<id>/blocked/<key>``), or None. ``page``: an answer that should
    be an article, judged only by what real pages never carry.

    >>> challenge(200, b"<script>$_ts=window['$_ts']</script>", page=True) is None
    True
    """
    head = body[:_HEAD]
    for key, _, markers in CHALLENGES:
        if page and status not in CHALLENGE_STATUSES:
            markers = tuple(m for m in markers if m not in _ON_REAL_PAGES.get(key, ()))
        if any(m in head for m in markers):
            return key
    if status in CHALLENGE_STATUSES and b"<script" in head.lower():
        return UNKNOWN
    return None


def describe(key: str) -> str:
    names = {k: name for k, name, _ in CHALLENGES}
    return f"a {names[key]} JavaScript challenge" if key in names else "a JavaScript challenge"
