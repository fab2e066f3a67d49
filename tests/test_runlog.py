"""The run log's judgement of a broken site, from a run's flat stats."""

from __future__ import annotations

from crawler.runlog import site_row


def row(**stats) -> dict:
    flat = {f"site/s/{k.replace('__', '/')}": v for k, v in stats.items()}
    return site_row(flat, "s", "run", None, None)


def test_requests_still_on_the_way_when_a_run_stops_are_not_a_broken_site():
    # Ctrl-C, SIGTERM or a CLOSESPIDER_* limit while the site's first requests
    # were in flight: no answer, but no failure either
    assert not row(requests=3, pages__start=0)["broken"]


def test_a_site_whose_every_request_failed_is_broken():
    assert row(requests=3, errors__TimeoutError=2, errors__ConnectionRefusedError=1)["broken"]
    assert row(requests=3, responses__503=3, errors__http_503=3)["broken"]


def test_one_answer_is_enough():
    assert not row(requests=3, responses__200=1, errors__TimeoutError=2,
                   pages__start=1, links__article=5)["broken"]


def test_unreadable_sitemaps_and_extraction_errors_are_not_fetch_failures():
    # neither is an outcome of a request the site did not answer
    assert not row(requests=2, errors__sitemap_unreadable=1)["broken"]


def test_a_broken_site_says_why():
    """The summary names the cause, so a site file can be fixed from the log."""
    no_links = row(requests=3, responses__200=3, pages__start=1, pages__list=2)
    assert no_links["broken"] and "3 list pages gave no link matching [links].article" in \
        no_links["broken_why"]
    empty = row(requests=5, responses__200=5, pages__start=1, links__article=4, empty=3, error=1)
    assert empty["broken"] and "none of its 4 article pages gave an article (3 empty, 1 " \
        "unparsable)" in empty["broken_why"] and "scrapy extract --site s" in empty["broken_why"]
    silent = row(requests=2, errors__TimeoutError=2)
    assert silent["broken"] and silent["broken_why"] == "none of its 2 requests was answered"
    assert row(requests=3, responses__200=3, pages__start=1, links__article=5)["broken_why"] == ""


def test_a_dated_e_paper_day_without_an_issue_is_no_failure():
    """start_days = 1 on a Sunday: the day's issue page is a 404."""
    assert not row(requests=1, responses__404=1, no_issue=1, issue_days=1,
                   no_issue_days=1)["broken"]
    gone = row(requests=2, responses__404=2)       # any other 404s: the site moved
    assert gone["broken"] and gone["broken_why"] == (
        "none of its 2 requests was answered with a page (HTTP 404: 2)")
    mixed = row(requests=3, responses__404=3, no_issue=1, issue_days=1, no_issue_days=1)
    assert mixed["broken_why"] == "none of its 2 requests was answered with a page (HTTP 404: 2)"


def test_an_e_paper_with_no_issue_for_a_week_has_moved():
    week = row(requests=8, responses__200=1, responses__404=7, no_issue=7, issue_days=7,
               no_issue_days=7)
    assert week["broken"] and "every one of its 7 dated issue pages was a 404" in \
        week["broken_why"]
    assert not row(requests=8, responses__200=2, responses__404=6, no_issue=6, issue_days=7,
                   no_issue_days=6, pages__start=1, links__article=3)["broken"]


def test_a_site_behind_a_javascript_challenge_says_so():
    blocked = row(requests=2, responses__200=1, responses__412=1, errors__http_412=1,
                  pages__start=1, blocked__wzws=1, **{"blocked__js-challenge": 1})
    assert blocked["broken"]
    assert blocked["broken_why"].startswith(
        "it answered a JavaScript challenge (1 page), a WZWS JavaScript challenge (1 page) "
        "instead of its pages (anti-bot)")
    assert "gave no link matching [links].article" in blocked["broken_why"]   # still said
