"""crawler/gctune.py: the collector's settings during a crawl, restored after."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.utils.test import get_crawler

from crawler.gctune import GcTuning


@pytest.fixture
def restore_gc():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)
    gc.unfreeze()


def test_thresholds_and_freeze_while_the_engine_runs(restore_gc):
    before = gc.get_threshold()
    # only this extension on the signals (a whole crawler's others need a reactor)
    crawler = SimpleNamespace(settings=Settings({"GC_THRESHOLD": "12345,7,9", "GC_FREEZE": True}),
                              signals=SignalManager())
    ext = GcTuning.from_crawler(crawler)   # kept: signals hold receivers weakly
    keep = [object() for _ in range(10)], {"a": [1]}   # alive when the engine starts
    crawler.signals.send_catch_log(signals.engine_started)
    assert gc.get_threshold() == (12345, 7, 9)
    assert gc.get_freeze_count() > 0
    crawler.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert keep and ext


@pytest.mark.parametrize("empty", [[], ""])   # "": -s GC_THRESHOLD= on the command line
def test_left_alone_when_both_are_off(empty):
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(get_crawler(settings_dict={"GC_THRESHOLD": empty, "GC_FREEZE": False}))


@pytest.mark.parametrize("value", ["1,2", "a,b,c", "-1,10,10"])
def test_a_bad_threshold_is_an_error_naming_the_setting(value):
    with pytest.raises(ValueError, match="GC_THRESHOLD"):
        GcTuning.from_crawler(get_crawler(settings_dict={"GC_THRESHOLD": value}))


def test_the_project_enables_it():
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    assert "crawler.gctune.GcTuning" in settings.getdict("EXTENSIONS")
    assert [int(v) for v in settings.getlist("GC_THRESHOLD")] == [10000, 10, 10]
