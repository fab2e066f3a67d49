"""Anti-bot answers: a JavaScript challenge instead of the page asked for.

Several of these sites sit behind WAFs that answer a crawler with a small
script that sets a cookie and reloads (see ``shared/real-sites.md``): WZWS
("请开启JavaScript并刷新该页", ``wzws_cid``; jl.gov.cn), Ruishu / 瑞数 (HTTP
412 or 202 with ``$_ts``; 412 on deep TRS list pages), Jiasule / 加速乐 (HTTP
521, ``__jsl_clearance``), Aliyun WAF (``acw_sc__v2``), 安全狗 / SafeDog
(``safedog-flow-item``, a "网站防火墙" page linking safedog.cn) and
Cloudflare (``cf_chl_opt``, "Just a moment..."). This crawler runs no
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
>>> describe("safedog")
'a SafeDog (安全狗) firewall page'
"""

from __future__ import annotations

_TEXT = "请开启JavaScript并刷新该页"
_BLOCKED = "您的请求带有不合法参数"   # SafeDog's block page
# (key, what it is, markers: any of them in the first 64 KB of the body)
CHALLENGES = (
    ("wzws", "a WZWS JavaScript challenge",
     (b"wzws", b"WZWSRE", _TEXT.encode("utf-8"), _TEXT.encode("gbk"))),
    ("ruishu", "a Ruishu (瑞数) JavaScript challenge", (b"$_ts",)),
    ("jiasule", "a Jiasule (加速乐) JavaScript challenge", (b"__jsl_clearance", b"jsl_clearance_s")),
    ("aliyun-waf", "an Aliyun WAF JavaScript challenge", (b"acw_sc__v2",)),
    ("yunsuo", "a Yunsuo (云锁) JavaScript challenge", (b"yunsuo_session_verify",)),
    # a block page (网站防火墙, 您的请求带有不合法参数) or a cookie challenge
    ("safedog", "a SafeDog (安全狗) firewall page",
     (b"safedog-flow-item", _BLOCKED.encode("utf-8"), _BLOCKED.encode("gbk"), b"safedog")),
    ("cloudflare", "a Cloudflare JavaScript challenge",
     (b"cf_chl_opt", b"/cdn-cgi/challenge-platform/")),
)
UNKNOWN = "js-challenge"
CHALLENGE_STATUSES = (202, 412, 521)   # Ruishu, Ruishu, Jiasule: with a script, a challenge
_HEAD = 65536


# markers a protected site's real pages carry too: Ruishu's script is on every
# page, Cloudflare's bot detection script (/cdn-cgi/challenge-platform/scripts/
# jsd/main.js) on every page of many sites, a SafeDog badge links safedog.cn
_ON_REAL_PAGES = {"ruishu": (b"$_ts",), "wzws": (b"wzws", b"WZWSRE"),
                  "cloudflare": (b"/cdn-cgi/challenge-platform/",), "safedog": (b"safedog",)}


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
    return next((what for k, what, _ in CHALLENGES if k == key), "a JavaScript challenge")
