"""A pipeline stage that takes a while per item, so a test can interrupt a run
while pages are still in the pipelines (``-s ITEM_PIPELINES=...`` names it)."""

from __future__ import annotations

import asyncio
import sys


class SlowStage:
    async def process_item(self, item):
        print("slow stage: item", flush=True, file=sys.stdout)
        await asyncio.sleep(0.3)
        return item
