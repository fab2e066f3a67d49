"""One page, all its CPU work: bytes -> archive-ready article records.

A pure function with no Scrapy (like :mod:`pipelines.extract`), run in the
extraction stage's worker processes (:mod:`pipelines.extraction`): resolve
the encoding and decode once, extract, normalize, and compute
``content_hash`` and the near-duplicate signature ``minhash``.
"""

from __future__ import annotations

import logging
import os

from pipelines.contenthash import fold, hash_folded
from pipelines.extract import ExtractionError, extract_articles
from pipelines.extract.encoding import decode
from pipelines.extract.record import HINTS_MISSED
from pipelines.neardup import NUM_PERM, Signer
from pipelines.normalize import ArticleNormalizer

logger = logging.getLogger(__name__)


class PageProcessor:
    """Page bytes -> archive-ready article records. Builds its expensive parts
    (the OpenCC tables, pinyin readings, signature hash) once."""

    def __init__(self, num_perm: int = NUM_PERM):
        self.normalizer = ArticleNormalizer()
        self.signer = Signer(num_perm)

    def __call__(self, body: bytes, content_type: str | None, url: str, site,
                 encoding: str | None = None, source: str | None = None,
                 parts: list[tuple[bytes, str | None, str]] = (),
                 ) -> tuple[str, list[dict] | str, str, str]:
        """Returns (status, records or reason, encoding, encoding source);
        status is "ok", "error", or "empty" when no article came out of a page
        on which site hints matched nothing (the result is their keys; on
        records, ``HINTS_MISSED`` carries them). The encoding is resolved here
        unless known (this is the edge where the bytes are decoded, once: the
        text of the resolution is the one extracted). ``parts``: (body,
        content type, URL) of the article's later pages, whose text is
        appended to the first page's article."""
        text = None
        if encoding is None:
            text, encoding, source, _ = decode(body, content_type,
                                               site.extract.encoding if site else "")
        try:
            missed: list[str] = []
            records = [a.as_dict() for a in extract_articles(body, encoding, url, site, text,
                                                              missed)]
            if parts and len(records) == 1:
                self._append_parts(records[0], parts, site)
            for record in records:
                self.normalizer.normalize_article(record)
                folded = fold(record["text"])   # once, for the hash and the signature
                record["content_hash"] = hash_folded(folded)
                record["minhash"] = self.signer.sign(record["text"], folded)
                if missed:   # for the crawl's warning, not archived
                    record[HINTS_MISSED] = missed
            if not records and missed:
                return "empty", missed, encoding, source
            return "ok", records, encoding, source
        except ExtractionError as e:
            return "error", str(e), encoding, source
        except Exception as e:  # noqa: BLE001 - a bad page must not stop the crawl
            logger.exception("extraction crashed on %s", url)
            return "error", f"{type(e).__name__}: {e}", encoding, source

    @staticmethod
    def _append_parts(record: dict, parts, site) -> None:
        """The later pages' text (and captions) after the first page's: each
        page is extracted as a page of its own (its headline, info line and
        page links go as they do on page 1). Credits page 1 does not give come
        from the later pages (…交流发言。（记者 张喆） closing the last one)."""
        texts, captions = [record["text"]], list(record.get("captions") or [])
        override = site.extract.encoding if site else ""
        for part_body, part_type, part_url in parts:
            part_text, part_encoding, _, _ = decode(part_body, part_type, override)
            try:   # a last page may hold only a closing line or two: no minimum length
                articles = extract_articles(part_body, part_encoding, part_url, site, part_text,
                                            part=True)
            except ExtractionError as e:   # an unreadable later page: the others stay
                logger.warning("extraction: later page %s left out: %s", part_url, e)
                continue
            if not articles:
                logger.warning("extraction: later page %s gave no text (only links or "
                               "headlines)", part_url)
            for article in articles:
                texts.append(article.text)
                captions += [c for c in article.captions if c not in captions]
                for key in ("authors", "editor", "source"):
                    record[key] = record.get(key) or getattr(article, key)
        record["text"] = "\n".join(t for t in texts if t)
        record["captions"] = captions


# The processor of a worker process, built by the pool's initializer
# (pipelines.workerpool calls process_in_worker for every page).
_worker_processor: PageProcessor | None = None


def init_worker(num_perm: int, nice: int) -> None:
    global _worker_processor
    if nice:
        try:
            os.nice(nice)
        except OSError:   # not allowed here: run at normal priority
            pass
    _worker_processor = PageProcessor(num_perm)


def process_in_worker(*args) -> tuple[str, list[dict] | str, str, str]:
    assert _worker_processor is not None, "worker started without init_worker"
    return _worker_processor(*args)
