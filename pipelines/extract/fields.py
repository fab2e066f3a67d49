"""An article's fields beside its text: publication date (with the rule that
gave it), source, authors, photographers, and the site hints' XPaths that can
give them (``[extract]`` date_xpath, source_xpath...). Each reads the info
line under (or above) the headline, the page's meta values, the text's
opening and closing lines and credits, in an order of trust the README's
Extraction section lists; :mod:`.core` calls them once the text is known.
"""

from __future__ import annotations

import re

import functools

from lxml import etree

from . import cleanup, credits as cr, dom
from . import metadata as md
from .patterns import unannotated

INFO_LINE = 120                   # characters under the headline that make its info line


@functools.lru_cache(maxsize=512)
def xpath(expression: str) -> etree.XPath:
    """Site hint XPaths are compiled once per process, not once per page."""
    return etree.XPath(expression)


def compiled(hints, key: str):
    value = getattr(hints, key, "") if hints is not None else ""
    return xpath(value) if value else None


def hint_matches(xpath, tree) -> list:
    """What a hint XPath selects, as a list: a string-valued expression
    (``substring-after(//p[@class='xg1'], '来自: ')``) is one text, not its characters."""
    found = xpath(tree)
    return found if isinstance(found, list) else [str(found)] if found else []


def published(tree, header: str, meta: dict, url: str, hints, headline=None, above: str = "",
              html: str = ""):
    """``above``: the text right before the headline (``2 * INFO_LINE`` characters);
    ``html``: the page's source (its scripts)."""
    date_xpath = compiled(hints, "date_xpath")
    if date_xpath is not None:
        for found in hint_matches(date_xpath, tree):
            text = unannotated(found if isinstance(found, str) else dom.text_of(found))
            value = md.parse_date(text)
            if value:
                return value, "site"
    value = md.parse_date(header, labelled=True)
    if value:
        return value, "info_line"
    found = _meta_or_url_date(meta, url)
    if found is not None:
        value, rule = found
        if not (value.hour or value.minute):
            # a date without a time (<meta name="publishdate" content="2024-05-17">,
            # a URL): the time of day the info line under or above the headline
            # gives for that date ("2024年05月17日08:59 来源：…" with no label),
            # else a labelled one (发稿时间：…) elsewhere on the page, or with no
            # headline element to go by, the page's first one for that date
            timed = (md.time_on(value, header[:INFO_LINE])
                     or md.time_on(value, above[-INFO_LINE:]))
            if timed is None:
                page = _page_text(tree)
                timed = md.time_on(value, page, labelled=True) or (
                    md.time_on(value, page) if headline is None else None)
            value = timed or value
        elif rule == "meta":
            # the time the info line under the headline shows for that day, with
            # no label, is what the reader sees (sina: meta 19:56:29, page 19:55;
            # meta 05:54:20, the update, page 00:26), unless a sentence opens with
            # it (2024年5月17日9时，…会议召开 under a headline with no info line);
            # the meta's seconds stay when the two agree to the minute
            info = header[:INFO_LINE]
            shown = md.time_on(value, info)
            opening = {(int(h), int(m or 0)) for h, m in _TIME_THEN_COMMA.findall(info)}
            if (shown is not None and (shown.hour, shown.minute) not in opening
                    and shown.replace(second=0) != value.replace(second=0, microsecond=0)):
                value = shown
        return value, rule
    # a labelled date above the headline: a disclosure page's metadata table
    # (发布日期：…, after its 成文日期) or an info line printed over the title
    value = md.parse_date(above[-INFO_LINE:], labelled=True)
    if value:
        return value, "info_line"
    value = md.parse_date(header)
    if value:
        return value, "header_text"
    value = md.script_date(html) if html and headline is not None else None
    if value:
        return value, "script"
    page = _page_text(tree)
    value = md.parse_date(page, labelled=True) or md.parse_date(page)
    if value:
        return value, "page_text"
    # last: when the page was changed (baijiahao gives only itemprop=dateUpdate)
    value = next(filter(None, (md.parse_date(meta.get(n, "")) for n in md.META_MODIFIED_NAMES)), None)
    return (value, "meta_modified") if value else (None, None)


# a time of day a sentence opens with: 9:00，… 9时30分，…
_TIME_THEN_COMMA = re.compile(r"(\d{1,2})\s*(?:[:：]|时|時)\s*(\d{1,2})?\s*(?:分)?\s*[，,]")


def _meta_or_url_date(meta: dict, url: str):
    """(date, rule) from the page's meta dates, else from its URL, else None."""
    for name in md.META_DATE_NAMES:
        value = md.parse_date(meta.get(name, ""))
        if value:
            return value, "meta"
    value = md.url_date(url)
    return (value, "url") if value else None


def _page_text(tree) -> str:
    return dom.flat_text(tree.find("body") if tree.find("body") is not None else tree)


def source(tree, header: str, meta: dict, opening: list[str], tail: str,
            hints, headline=None, closing: list[str] | tuple = (), above: str = "") -> str | None:
    """``closing``: the last blocks trafilatura gave, before boilerplate went
    (a closing ``来源：无锡交警`` line is dropped as furniture from the text);
    ``above``: the text right before the headline."""
    source_xpath = compiled(hints, "source_xpath")
    if source_xpath is not None:
        for found in hint_matches(source_xpath, tree):
            text = unannotated(found if isinstance(found, str) else dom.text_of(found))
            if text.strip():
                return md.labelled_source(text) or text.strip()
    # a labelled source under the headline or in the info line right above it
    return (md.labelled_source(header) or md.labelled_source(above[-INFO_LINE:])
            or meta.get("contentsource") or meta.get("source")
            or cr.info_byline(header)[0]
            or cr.opening_byline(opening)[0] or cr.tail_byline(tail)[0]
            or cr.tail_source(tail)
            or next(filter(None, (cr.tail_source(b) for b in reversed(closing))), None)
            or dom.source_near(headline)
            or md.labelled_source(above)
            or (hints.source if hints is not None else None) or None)


def authors(header: str, meta: dict, opening: list[str], tail: str, text: str,
             editors: frozenset = frozenset(), after: list[str] | tuple = (),
             headline=None, tree=None) -> list[str]:
    """``after``: the closing credit lines taken off the end of the text;
    ``headline``: the headline element, whose info line may mark the author,
    and ``tree``, whose source line may name one (both read last)."""
    # many CMSs put the editor in <meta name="author">: names the page credits
    # as editor (``editors``) are not authors
    from_meta = [n for n in cr.split_names(meta.get("author", "")) if n not in editors]
    return (cr.labelled_authors(header) or cr.info_byline(header)[1]
            or cr.closing_labelled_authors(list(after)) or from_meta
            or cr.opening_byline(opening)[1] or cr.tail_byline(tail)[1]
            or cr.tail_reporters(tail) or cr.tail_paren_authors(text)
            or cr.split_names(dom.author_near(headline) or "")
            or next(filter(None, (cr.labelled_authors(line)
                                  for line in (dom.source_lines(tree) if tree is not None else ()))), []))


def after_text(raw: list[str], blocks: list[str]) -> list[str]:
    """The blocks trafilatura gave after the text's last block: the closing
    credit lines (作者：…, 采写：…) and furniture the cleanup took out."""
    last = cleanup.squash(blocks[-1]) if blocks else ""
    for i in range(len(raw) - 1, -1, -1):
        if last and cleanup.squash(raw[i]).startswith(last):
            return [unannotated(b) for b in raw[i + 1:]]
    return []


def photographers(captions: list[str], body: list[str], credited: list[str]) -> list[str]:
    """From the captions taken out, caption lines left in the text (ending in
    摄: ``…发表胜选演讲。 新华社记者 李梦馨 摄``) and a closing credit's names."""
    in_text = [b for b in body if len(b) <= 200 and b.rstrip().endswith(("摄", "攝"))]
    out = cr.photographers_of(captions + in_text)
    out += [p for p in cr.tail_photographers(unannotated(body[-1])) if p not in out] if body else []
    return out + [p for p in credited if p not in out]
