"""Shared fixtures: the corpus, a real corpus server, and real `scrapy crawl` runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SHARED = ROOT.parent / "shared"

sys.path.insert(0, str(ROOT))

from crawler.corpus_server import CorpusServer  # noqa: E402


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((CORPUS / "gold").glob("*.json"))}


@pytest.fixture(scope="session")
def corpus_server():
    """One server for the session. Note: fail_once_500 fires once per server."""
    with CorpusServer(CORPUS) as server:
        yield server


@pytest.fixture
def fresh_server():
    """A server of its own (fresh fail-once state and hit counts)."""
    with CorpusServer(CORPUS) as server:
        yield server


def crawl(server_url: str, archive: Path, *args: str, timeout: float = 180,
          env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m scrapy.cmdline crawl news` as a subprocess through the corpus server."""
    full_env = {**os.environ, "http_proxy": server_url, "HTTP_PROXY": server_url,
                "no_proxy": "", "NO_PROXY": "", "ARCHIVE_DIR": str(archive), **(env or {})}
    cmd = [sys.executable, "-m", "scrapy.cmdline", "crawl", "news", *args]
    return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def run_crawl():
    return crawl


def corpus_copy(root: Path, urls=()) -> tuple[dict, list[dict]]:
    """A fresh corpus directory at ``root`` (``pages/`` made) holding the
    bundled corpus's pages of ``urls``: (the bundled manifest, copies of those
    URLs' responses, to change and write into the new manifest)."""
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    shutil.rmtree(root, ignore_errors=True)
    (root / "pages").mkdir(parents=True)
    responses = [dict(r) for r in manifest["responses"] if r["url"] in urls]
    for r in responses:
        (root / "pages" / r["file"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "pages" / r["file"], root / "pages" / r["file"])
    return manifest, responses
