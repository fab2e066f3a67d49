"""Build a large benchmark corpus from the bundled one.

Every article page of the corpus is a template: its body paragraphs are
replaced by new text (sentences of the gold articles, shuffled, with numbers
and names varied, seeded) so that no two generated articles share a content
hash. Pages keep their site, URL shape, encoding and script (Traditional
templates get Traditional text). List pages (``index_N.html``-style, 50 links
each) link the articles, so the shipped site files crawl it unchanged. The
result has the corpus layout (manifest.json + pages/) and is served by
``crawler.corpus_server``.

    python -m bench.gen_corpus OUT_DIR --pages 5000 [--reuse 4]

``--reuse K`` serves every generated page under K URLs (for memory runs over
many pages without generating them all).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

from opencc import OpenCC

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
_PARA = re.compile(r"(<p[^>]*>)([^<]{30,})(</p>)", re.I)
_SKIP = re.compile(r"版权|稿件|责任编辑|编辑|二维码|来源|記者|记者|摄|攝|转载|轉載")
_NUM = re.compile(r"\d+")

# URL shapes per template site: (article URL format, list URL format, first list URL)
SHAPES = {
    "hebei-gov.test": ("/hbyw/2022{m:02d}/t2022{m:02d}{d:02d}_{n}.html", "/hbyw/index_{k}.html"),
    "zjk-news.test": ("/news/hbxw/2022-{m:02d}/{d:02d}/content_{n}.htm", "/news/hbxw/index_{k}.html"),
    "lf-news.test": ("/lfyw/swgz/2022{m:02d}/t2022{m:02d}{d:02d}_{n}.html", "/lfyw/index_{k}.html"),
    "jl-repost.test": ("/post/{n}.html", "/category-3_{k}.html"),
    "hd-news.test": ("/hdyw/2022/{m:02d}{d:02d}/{n}.html", "/hdyw/index_{k}.html"),
    "sjz-epaper.test": ("/html/2022-{m:02d}/{d:02d}/content_{n}.htm", "/html/2022-03/29/node_{k}.htm"),
}
START = {"hebei-gov.test": "/hbyw/index.html", "zjk-news.test": "/news/hbxw/index.html",
         "lf-news.test": "/lfyw/index.html", "jl-repost.test": "/category-3.html",
         "hd-news.test": "/hdyw/index.html", "sjz-epaper.test": "/html/2022-03/29/node_1.htm"}
PER_LIST = 50


def sentences(corpus: Path) -> list[str]:
    out = []
    for p in sorted((corpus / "gold").glob("*.json")):
        text = json.loads(p.read_text(encoding="utf-8"))["text"]
        out += [s + "。" for s in text.replace("\n", "").split("。") if len(s) > 8]
    return out


class TextMaker:
    """Paragraphs from shuffled gold sentences; the Traditional pool is
    converted once, not per paragraph."""

    def __init__(self, seed: int, corpus: Path):
        self.rng = random.Random(seed)
        self.pools = {False: sentences(corpus)}
        s2t = OpenCC("s2t")
        self.pools[True] = [s2t.convert(s) for s in self.pools[False]]

    def paragraph(self, n: int, traditional: bool) -> str:
        idx = self.rng.sample(range(len(self.pools[False])), k=self.rng.randint(2, 4))
        pool = self.pools[traditional]
        text = "".join(_NUM.sub(lambda m: str(self.rng.randint(1, 99)), pool[i]) for i in idx)
        return f"{n}号：{text}" 


def codec(encoding: str) -> str:
    return "gb18030" if encoding in ("gbk", "gb2312") else encoding


def build(out: Path, pages: int, reuse: int = 1, seed: int = 7, corpus: Path = CORPUS) -> dict:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    templates = [r for r in manifest["responses"] if r["kind"] == "article" and "?" not in r["url"]]
    lists = {r["url"]: r for r in manifest["responses"] if r["kind"] in ("list", "epaper_page")}
    if out.exists():
        shutil.rmtree(out)
    (out / "pages").mkdir(parents=True)
    maker = TextMaker(seed, corpus)
    responses = [r for r in manifest["responses"] if r["kind"] == "robots"]
    for r in responses:
        dest = out / "pages" / r["file"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / "pages" / r["file"], dest)
    by_host: dict[str, list[str]] = {}
    for i in range(pages):
        tpl = templates[i % len(templates)]
        host = tpl["url"].split("/")[2]
        enc = codec(tpl["encoding"])
        html = (corpus / "pages" / tpl["file"]).read_bytes().decode(enc)
        trad = tpl.get("script") == "traditional+pinyin"
        html = _PARA.sub(lambda m: m.group(0) if _SKIP.search(m.group(2))
                         else m.group(1) + maker.paragraph(i, trad) + m.group(3), html)
        rel = f"{host}/gen/{i}.html"
        (out / "pages" / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / "pages" / rel).write_bytes(html.encode(enc, errors="replace"))
        for copy in range(reuse):
            n = 9_000_000 + i * reuse + copy
            path = SHAPES[host][0].format(m=1 + n % 12, d=1 + n % 28, n=n)
            url = f"http://{host}{path}"
            by_host.setdefault(host, []).append(url)
            responses.append({**{k: tpl[k] for k in ("status", "headers", "encoding",
                                                      "charset_case", "script")},
                              "url": url, "file": rel, "kind": "article", "gold": []})
    for host, urls in by_host.items():
        first = f"http://{host}{START[host]}"
        template = next(r for u, r in lists.items() if u.startswith(f"http://{host}/"))
        enc = codec(template["encoding"])
        chunks = [urls[k:k + PER_LIST] for k in range(0, len(urls), PER_LIST)]
        for k, chunk in enumerate(chunks):
            url = first if k == 0 else f"http://{host}{SHAPES[host][1].format(k=k + 1)}"
            nxt = (f"http://{host}{SHAPES[host][1].format(k=k + 2)}" if k + 1 < len(chunks) else "")
            items = "".join(f'<li><a href="{u}">新闻 {u[-12:]}</a> <span>2022-03-2{k % 9}</span></li>'
                            for u in chunk)
            body = (f"<html><head><meta charset=\"{enc}\"><title>列表</title></head><body>"
                    f"<ul class=\"list\">{items}</ul>"
                    + (f'<a href="{nxt}">下一页</a>' if nxt else "") + "</body></html>")
            rel = f"{host}/genlist/{k}.html"
            (out / "pages" / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / "pages" / rel).write_bytes(body.encode(enc))
            responses.append({"url": url, "file": rel, "status": 200, "kind": "list",
                              "headers": dict(template["headers"]), "encoding": template["encoding"],
                              "gold": []})
    sites = [{**s, "start_urls": [f"http://{s['host']}{START[s['host']]}"]}
             for s in manifest["sites"] if s["host"] in by_host]
    result = {"sites": sites, "responses": responses}
    (out / "manifest.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--reuse", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    m = build(args.out, args.pages, args.reuse, args.seed)
    print(f"{args.out}: {sum(r['kind'] == 'article' for r in m['responses'])} article URLs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
