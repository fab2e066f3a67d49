"""Extraction evaluation: this project against trafilatura (default and
favor_precision), GNE and readability, on the same pages, in one run.

Pages: the vendored corpus (gold records; non-article pages must give nothing)
and ../shared/realpages (``REALPAGES_DIR``): magic-html with gold text,
cx-extractor with silver text (another tool's output), gne pages without gold.

Scores, after normalization (pipelines.normalize) of output and gold: P/R/F1
of the multiset of character bigrams of the whitespace-free text, title exact
match, published date match (corpus; to the minute when the page gives a time),
pages leaking boilerplate markers absent from the gold. Time: extraction +
cleanup + metadata of this project against bare ``trafilatura.extract``.

    python -m bench.evaluate [--tools project,trafilatura] [--no-write]

The last result is kept in tests/eval_baseline.json; tests/test_eval_floor.py
fails CI when the project's scores fall below the pinned floors.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.sites import load_sites, site_for_url  # noqa: E402
from pipelines.extract import ExtractionError, extract_articles, resolve  # noqa: E402
from pipelines.normalize import ArticleNormalizer  # noqa: E402

logger = logging.getLogger(__name__)
CORPUS_DIR = ROOT / "tests" / "corpus"
BASELINE = ROOT / "tests" / "eval_baseline.json"
ARTICLE_KINDS = ("article", "epaper_page")
TOOLS = ("project", "trafilatura", "trafilatura_precision", "gne", "readability")
LEAK_MARKERS = ("版权所有", "版权声明", "本网稿件", "ICP备", "公网安备", "网站标识码", "二维码",
                "责任编辑", "分享到", "字体：", "打印本页", "关闭窗口", "上一篇", "下一篇",
                "相关链接", "相关新闻", "文章分类", "友情链接", "浏览次数", "Copyright")
_WS = re.compile(r"\s+")


@dataclass
class Page:
    group: str   # corpus | corpus-other | real-gold | real-silver | real-nogold | real-extra
    url: str
    body: bytes
    content_type: str | None = None
    gold: list[dict] = field(default_factory=list)
    published: str | None = None   # what the page states (corpus manifest)


# --- pages -------------------------------------------------------------------

def realpages_dir() -> Path:
    return Path(os.environ.get("REALPAGES_DIR") or ROOT.parent / "shared" / "realpages")


def corpus_pages(corpus: Path = CORPUS_DIR) -> list[Page]:
    """Article pages with gold records, and every other HTML response (no article)."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    gold = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (corpus / "gold").glob("*.json")}
    pages = []
    for r in manifest["responses"]:
        if r.get("encoding") is None or r["kind"] in ("robots", "sitemap", "redirect"):
            continue
        pages.append(Page("corpus" if r["kind"] in ARTICLE_KINDS else "corpus-other", r["url"],
                          (corpus / "pages" / r["file"]).read_bytes(),
                          (r.get("headers") or {}).get("Content-Type"),
                          [gold[g] for g in r.get("gold") or []], r.get("published")))
    return pages


def real_pages(base: Path | None = None) -> list[Page]:
    """Pages listed in realpages/MANIFEST.tsv (none when the directory is absent)."""
    base = base or realpages_dir()
    if not (base / "MANIFEST.tsv").exists():
        return []
    pages = []
    with (base / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            local = row["local_file"]
            if not (base / local).exists():
                continue
            body, url = (base / local).read_bytes(), f"http://realpages.invalid/{local}"
            if local.startswith("magic-html/") and row.get("gold_file"):
                data = json.loads((base / row["gold_file"]).read_text(encoding="utf-8"))
                pages.append(Page("real-gold", data.get("url") or url, body, None,
                                  [{"text": data["content"]}]))
            elif local.startswith("cx-extractor-python/"):
                txt = base / "cx-extractor-python" / "Text" / f"{Path(local).stem}.txt"
                silver = [{"text": txt.read_bytes().decode("gb18030", "replace")}] if txt.exists() else []
                pages.append(Page("real-silver" if silver else "real-nogold", url, body, None, silver))
            else:
                pages.append(Page("real-nogold", url, body))
    return pages


EXTRA_DIR = ROOT / "tests" / "fixtures" / "realpages-extra"


def extra_pages(base: Path = EXTRA_DIR) -> list[Page]:
    """Real pages beyond ../shared/realpages, each ``<name>.html`` with a
    ``<name>.gold.json`` (``url``, ``content``): see that directory's README."""
    pages = []
    for gold_path in sorted(base.glob("*/*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        html = gold_path.with_name(gold_path.name.replace(".gold.json", ".html"))
        pages.append(Page("real-extra", gold["url"], html.read_bytes(), None,
                          [{"text": gold["content"]}]))
    return pages


# --- scores ------------------------------------------------------------------

def bigrams(text: str) -> Counter:
    """
    >>> sorted(bigrams("甲乙 丙").items())
    [('乙丙', 1), ('甲乙', 1)]
    """
    text = _WS.sub("", text or "")
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


def prf(output: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall, F1 of character bigrams.

    >>> prf("甲乙丙", "甲乙丙丁")
    (1.0, 0.6666666666666666, 0.8)
    """
    out, ref = bigrams(output), bigrams(gold)
    overlap = sum((out & ref).values())
    p = overlap / sum(out.values()) if out else 0.0
    r = overlap / sum(ref.values()) if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def leaks(output: str, gold: str) -> list[str]:
    """
    >>> leaks("正文。责任编辑：某", "正文。")
    ['责任编辑']
    """
    return [m for m in LEAK_MARKERS if m in output and m not in gold]


def date_matches(got: str | None, stated: str | None) -> bool:
    """To the minute when the page states a time, else the day.

    >>> date_matches("2022-03-23T23:05:00+08:00", "2022-03-23T23:05:00+08:00")
    True
    >>> date_matches("2022-03-29T00:00:00+08:00", "2022-03-29")
    True
    """
    if not got or not stated:
        return False
    return got[:16] == stated[:16] if len(stated) > 10 else got[:10] == stated


# --- tools -------------------------------------------------------------------

class Tools:
    """Each tool: (page, decoded html) -> list of {"text", "title", "published"}."""

    def __init__(self):
        self.sites = load_sites()
        self.normalize = ArticleNormalizer().normalize_article

    def project(self, page: Page, encoding: str, html: str) -> list[dict]:
        site = site_for_url(self.sites, page.url)
        records = extract_articles(page.body, encoding, page.url, site)
        out = []
        for a in records:
            d = self.normalize(a.as_dict())
            d["published"] = d["published"].isoformat() if d["published"] else None
            out.append(d)
        return out

    def trafilatura(self, page, encoding, html, precision=False) -> list[dict]:
        from trafilatura import bare_extraction
        doc = bare_extraction(html, url=page.url, with_metadata=True, favor_precision=precision)
        if doc is None or not doc.text:
            return []
        return [{"text": doc.text, "title": doc.title, "published": doc.date}]

    def trafilatura_precision(self, page, encoding, html) -> list[dict]:
        return self.trafilatura(page, encoding, html, precision=True)

    def gne(self, page, encoding, html) -> list[dict]:
        from gne import GeneralNewsExtractor
        r = GeneralNewsExtractor().extract(html)
        return [{"text": r.get("content") or "", "title": r.get("title"),
                 "published": r.get("publish_time")}] if r.get("content") else []

    def readability(self, page, encoding, html) -> list[dict]:
        import lxml.html
        from readability import Document
        doc = Document(html)
        tree = lxml.html.fromstring(doc.summary() or "<div></div>")
        paras = [t.strip() for t in tree.xpath("//p//text()|//div/text()|//td/text()") if t.strip()]
        return [{"text": "\n".join(paras), "title": doc.short_title(), "published": None}]


def _norm(text: str, nfkc: bool) -> str:
    text = unicodedata.normalize("NFKC", text or "") if nfkc else (text or "")
    return text


def score_page(tools: Tools, tool: str, page: Page) -> dict:
    """One tool on one page: per-gold-record scores (records paired in order)."""
    encoding = resolve(page.body, page.content_type).encoding
    html = page.body.decode(encoding, errors="replace")
    start = time.perf_counter()
    try:
        records = getattr(tools, tool)(page, encoding, html)
        error = None
    except ExtractionError as e:
        records, error = [], f"extract/error: {e}"
    except Exception as e:  # noqa: BLE001 - a baseline crashing is a result, not a stop
        records, error = [], f"{type(e).__name__}: {e}"
    seconds = time.perf_counter() - start
    norm = tools.normalize
    nfkc = page.group.startswith("real")
    result = {"url": page.url, "group": page.group, "records": len(records), "seconds": seconds,
              "error": error, "scores": []}
    golds = page.gold
    if tool != "project" and len(golds) > 1:     # one text for the whole page
        golds = [{"text": "\n".join(g["text"] for g in golds), "title": None}]
    if page.group.startswith("real") and len(records) > 1:   # real gold is page text
        records = [{**records[0], "text": "\n".join(r["text"] for r in records)}]
    for i, gold in enumerate(golds):
        rec = records[i] if i < len(records) else {"text": "", "title": None, "published": None}
        out_text = rec["text"] if tool == "project" else norm({"text": rec["text"]})["text"]
        gold_text = norm({"text": gold["text"]})["text"]
        p, r, f = prf(_norm(out_text, nfkc), _norm(gold_text, nfkc))
        title = rec.get("title") if tool == "project" else norm({"text": rec.get("title") or ""})["text"]
        result["scores"].append({
            "p": p, "r": r, "f1": f, "leaks": leaks(out_text, gold_text),
            "title": bool(gold.get("title")) and title == gold.get("title"),
            "date": date_matches(str(rec.get("published") or ""), page.published)})
    if not golds and page.group == "corpus-other":
        result["false_articles"] = len(records)
    return result


def summarize(results: list[dict]) -> dict:
    """Group means: F1/P/R, title/date rates, leaking pages, min F1, time."""
    scores = [s for r in results for s in r["scores"]]
    n = len(scores) or 1
    out = {"pages": len(results), "records": len(scores),
           "p": sum(s["p"] for s in scores) / n, "r": sum(s["r"] for s in scores) / n,
           "f1": sum(s["f1"] for s in scores) / n,
           "min_f1": min((s["f1"] for s in scores), default=0.0),
           "title": sum(s["title"] for s in scores) / n, "date": sum(s["date"] for s in scores) / n,
           "leaking_pages": sum(1 for r in results if any(s["leaks"] for s in r["scores"])),
           "errors": sum(1 for r in results if r["error"]),
           "false_articles": sum(r.get("false_articles", 0) for r in results),
           "seconds": sum(r["seconds"] for r in results)}
    return out


def evaluate(tools: tuple[str, ...] = TOOLS, pages: list[Page] | None = None) -> dict:
    """{tool: {group: summary, "pages": [per-page results]}} over all pages."""
    pages = pages if pages is not None else corpus_pages() + real_pages() + extra_pages()
    t = Tools()
    report: dict = {}
    for tool in tools:
        per_page = [score_page(t, tool, p) for p in pages]
        groups = sorted({r["group"] for r in per_page})
        report[tool] = {g: summarize([r for r in per_page if r["group"] == g]) for g in groups}
        report[tool]["pages"] = per_page
    return report


def cost_ratio(pages: list[Page], repeat: int = 5) -> float:
    """Time of extract_articles over bare trafilatura.extract on the same pages
    (per page the best of ``repeat`` runs, interleaved, so load spikes cancel)."""
    from trafilatura import extract
    sites = load_sites()
    ours = theirs = 0.0
    for p in pages:
        enc = resolve(p.body, p.content_type).encoding
        html = p.body.decode(enc, errors="replace")
        site = site_for_url(sites, p.url)
        best_ours = best_theirs = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            try:
                extract_articles(p.body, enc, p.url, site)
            except ExtractionError:
                pass
            best_ours = min(best_ours, time.perf_counter() - start)
            start = time.perf_counter()
            extract(html, url=p.url)
            best_theirs = min(best_theirs, time.perf_counter() - start)
        ours += best_ours
        theirs += best_theirs
    return ours / theirs if theirs else 0.0


def per_page_f1(report: dict) -> dict[str, dict[str, list[float]]]:
    """{url: {tool: [F1 per gold record]}} for pages with gold."""
    out: dict[str, dict[str, list[float]]] = {}
    for tool, res in report.items():
        for r in res.get("pages", []):
            if r["scores"]:
                out.setdefault(r["url"], {})[tool] = [round(s["f1"], 4) for s in r["scores"]]
    return out


def table(report: dict) -> str:
    groups = ("corpus", "real-gold", "real-silver", "real-extra")
    head = f"{'tool':22} " + " ".join(f"{g + ' F1':>15} {'P':>6} {'R':>6} {'min':>6}" for g in groups)
    head += f" {'title':>6} {'date':>6} {'leaks':>6} {'errors':>6} {'false':>6}"
    lines = [head, "-" * len(head)]
    for tool, res in report.items():
        if tool.startswith("_"):
            continue
        row = f"{tool:22} "
        for g in groups:
            s = res.get(g)
            row += (f"{s['f1']:>15.4f} {s['p']:>6.3f} {s['r']:>6.3f} {s['min_f1']:>6.3f} " if s
                    else f"{'-':>15} {'-':>6} {'-':>6} {'-':>6} ")
        c = res.get("corpus", {})
        allres = [v for k, v in res.items() if k != "pages"]
        row += (f"{c.get('title', 0):>6.2f} {c.get('date', 0):>6.2f} "
                f"{sum(s['leaking_pages'] for s in allres if 'leaking_pages' in s):>6} "
                f"{sum(s['errors'] for s in allres if 'errors' in s):>6} "
                f"{sum(s.get('false_articles', 0) for s in allres):>6}")
        lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--no-write", action="store_true", help=f"do not update {BASELINE.name}")
    ap.add_argument("--pages", action="store_true", help="print per-page F1 of each tool")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    pages = corpus_pages() + real_pages() + extra_pages()
    tools = tuple(t for t in args.tools.split(",") if t)
    report = evaluate(tools, pages)
    timed = [p for p in pages if p.group not in ("corpus-other", "real-extra")]
    ratio = cost_ratio(timed)
    print(table(report))
    print(f"\ncost: project / bare trafilatura.extract = {ratio:.2f}x "
          f"({len(timed)} pages; realpages from {realpages_dir()})")
    if args.pages:
        for i, page in enumerate(pages):
            if page.gold:
                f1s = " ".join(f"{t}={report[t]['pages'][i]['scores'][0]['f1']:.3f}" for t in tools)
                print(f"{page.group:12} {page.url[-60:]:60} {f1s}")
    if not args.no_write:
        slim = {t: {g: {k: round(v, 4) if isinstance(v, float) else v for k, v in s.items()}
                    for g, s in r.items() if g != "pages"} for t, r in report.items()}
        slim["per_page_f1"] = per_page_f1(report)
        slim["project_leaks"] = {r["url"]: sorted({m for sc in r["scores"] for m in sc["leaks"]})
                                 for r in report.get("project", {}).get("pages", [])
                                 if any(sc["leaks"] for sc in r["scores"])}
        slim["cost_ratio"] = round(ratio, 3)
        BASELINE.write_text(json.dumps(slim, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                            encoding="utf-8")
        print(f"wrote {BASELINE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
