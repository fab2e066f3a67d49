"""The archive's Parquet schemas: one constant each, versioned.

Changing ARTICLES (or SIGHTINGS, RUNS) means bumping SCHEMA_VERSION and the
README's schema section; tests/test_schema.py fails otherwise.

``site`` and ``month`` are not stored inside the files: they are the hive
partition directories (``archive/articles/site=<id>/month=YYYY-MM/``) and come
back as columns when the dataset is read.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 3

# Columns added after version 1, with the version that added them. A part file
# written before that version lacks the column; it reads back as null.
# Version 3 added no column: it changed the scheme of ``minhash`` (see
# pipelines.neardup); signatures of earlier versions are recomputed when loaded.
ADDED_IN = {
    "articles": {"minhash": 2},
}

_TS_CN = pa.timestamp("us", tz="Asia/Shanghai")
_TS_UTC = pa.timestamp("us", tz="UTC")
_STRINGS = pa.list_(pa.string())

ARTICLES = pa.schema([
    pa.field("url", pa.string(), nullable=False),
    pa.field("title", pa.string()),
    pa.field("subtitle", pa.string()),
    pa.field("published", _TS_CN),
    pa.field("published_rule", pa.string()),
    pa.field("source", pa.string()),
    pa.field("authors", _STRINGS),
    pa.field("editor", pa.string()),
    pa.field("photographers", _STRINGS),
    pa.field("captions", _STRINGS),
    pa.field("text", pa.string(), nullable=False),
    pa.field("text_original", pa.string()),
    pa.field("content_hash", pa.string(), nullable=False),
    pa.field("near_dup_of", pa.string()),
    pa.field("minhash", pa.binary()),   # near-dup signature: 128 little-endian uint32 (scheme: neardup.SCHEME)
    pa.field("region", pa.string()),
    pa.field("level", pa.string()),
    pa.field("fetched_at", _TS_UTC, nullable=False),
    pa.field("encoding", pa.string()),
    pa.field("encoding_source", pa.string()),
    pa.field("script_original", pa.string()),
    pa.field("repairs", _STRINGS),
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("warc_file", pa.string()),
    pa.field("warc_record_id", pa.string()),
    pa.field("schema_version", pa.int16(), nullable=False),
], metadata={"schema_version": str(SCHEMA_VERSION)})

SIGHTINGS = pa.schema([
    pa.field("url", pa.string(), nullable=False),
    pa.field("content_hash", pa.string(), nullable=False),
    pa.field("duplicate", pa.bool_(), nullable=False),
    pa.field("near_dup_of", pa.string()),
    pa.field("published", _TS_CN),
    pa.field("fetched_at", _TS_UTC, nullable=False),
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("schema_version", pa.int16(), nullable=False),
], metadata={"schema_version": str(SCHEMA_VERSION)})

RUNS = pa.schema([
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("site", pa.string(), nullable=False),
    pa.field("started_at", _TS_UTC),
    pa.field("finished_at", _TS_UTC),
    pa.field("requests", pa.int64()),
    pa.field("article_requests", pa.int64()),
    pa.field("articles_new", pa.int64()),
    pa.field("duplicates", pa.int64()),
    pa.field("near_duplicates", pa.int64()),
    pa.field("empty", pa.int64()),
    pa.field("errors", pa.int64()),
    pa.field("broken", pa.bool_()),
    pa.field("responses_by_status", pa.map_(pa.string(), pa.int64())),
    pa.field("errors_by_kind", pa.map_(pa.string(), pa.int64())),
    pa.field("schema_version", pa.int16(), nullable=False),
], metadata={"schema_version": str(SCHEMA_VERSION)})


# One row per article-page response (any status), written by the run log:
# incremental runs skip article URLs that answered before (5xx excluded). Also
# linked list pages that failed (status 0: no answer) and their later answers:
# incremental runs ask them again (crawler.archivestate).
VISITED = pa.schema([
    pa.field("url", pa.string(), nullable=False),
    pa.field("site", pa.string(), nullable=False),
    pa.field("status", pa.int16(), nullable=False),
    pa.field("fetched_at", _TS_UTC, nullable=False),
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("schema_version", pa.int16(), nullable=False),
], metadata={"schema_version": str(SCHEMA_VERSION)})

# Every archive table, by directory name under the archive root.
TABLES = {"articles": ARTICLES, "sightings": SIGHTINGS, "runs": RUNS, "visited": VISITED}
