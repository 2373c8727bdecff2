"""Read stage on the real seed scrapes and a small HTML page with script, nav and comments."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eventwire.records import Article, RawDocument, Rejected
from eventwire.pipeline import read_one as read_article

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures" / "read"


def _seed(prefix: str, **kw) -> Article:
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    result = read_article(RawDocument(id=path.stem, text=path.read_text(encoding="utf-8"), **kw))
    assert isinstance(result, Article), result
    return result


def _html(name: str) -> Article | Rejected:
    return read_article(RawDocument(id=name, html=(FIXTURES / name).read_text(encoding="utf-8")))


def test_read_seed004_keeps_body_whole_and_drops_page_furniture():
    art = _seed("004")
    start = art.text.index("ERBIL, Kurdistan Region — Facing continued airstrikes")
    end = art.text.index("have defended against ISIS attacks.")
    assert start == 0 and end > start
    for sentence in ("ISIS called on all men between 20 and 30",
                     "Lavdrim Muhaxheri was killed by a Coalition airstrike June 7.",
                     "three strikes destroyed 13 ISIS [Daesh] oil stills"):
        assert sentence in art.text
    for junk in ("Sign In / Up", "Add contribution as a guest", "Forgot Password",
                 "Your email will not be displayed publicly", "Photo:", "Ahmad Aboud",
                 "Mark Anthony", "capital to a hole in the ground", "Cattermole", "verbal trench warfare",
                 "French soldier killed in combat", "23 hours ago", "Be Part of Your Rudaw",
                 "0.25 seconds", "Bernard Kouchner"):
        assert junk not in art.text, junk


def test_read_seed004_metadata_reads_rudaw_date_day_first():
    art = _seed("004")
    assert art.title == "ISIS announces forced enlistment amid leadership losses in Deir ez-Zor"
    assert art.byline == "By Rudaw"
    assert art.dateline == "ERBIL, Kurdistan Region —"
    # "3/8/2017" on a Rudaw page is 3 August; the month-first comment stamps (9/24/2017) don't count
    assert art.published == dt.date(2017, 8, 3)


def test_read_seed003_drops_share_block_and_keeps_every_paragraph():
    art = _seed("003")
    assert art.text.startswith("Islamic State group jihadists killed at least seven regime loyalists")
    assert "Aymenn al-Tamimi said the latest ambushes" in art.text
    assert art.text.rstrip().endswith("since Syria’s civil war broke out in 2011.")
    for junk in ("FILE PHOTO", "FOLLOW INDEPENDENT PRESS", "TWITTER (CLICK HERE)", "https://",
                 "Share this story", "Leave a Reply", "will not be published", "Middle East World"):
        assert junk not in art.text, junk
    assert art.title == "7 REGIME LOYALISTS KILLED IN ISIS AMBUSH IN SYRIA"
    assert art.published == dt.date(2021, 1, 9)


def test_read_seed001_drops_navigation_and_title_from_text():
    art = _seed("001")
    assert "skip to Main Content" not in art.text and "Back To Top" not in art.text
    assert art.title == "Syria, Isis in Deir Ezzor takes revenge on the SDF hitting civilian targets"
    assert not art.text.startswith(art.title)
    assert "A car-bomb exploded at the Sony roundabout, causing several casualties." in art.text
    assert art.text.rstrip().endswith("as happened recently.")


def test_read_seed000_finds_byline_and_dateline_and_keeps_lead_sentence():
    art = _seed("000")
    assert art.byline == "Reporting by Hatim Bashar and Ammar Haydar"
    assert art.dateline == "DEIR EZ-ZOR, Syria (North Press) –"
    assert art.text.startswith("DEIR EZ-ZOR, Syria (North Press) – On Monday, the Islamic State")
    assert "Reporting by" not in art.text


def test_read_seed002_finds_date_with_time_and_keeps_subheadings():
    art = _seed("002")
    assert art.published == dt.date(2024, 5, 9)
    assert "\n\nThey disguise themselves as shepherds\n\n" in art.text
    assert "ISIS activity and movements in the occupied territories" not in art.text


def test_read_caller_date_and_title_win_over_page():
    art = _seed("004", published="2017-08-05", title="Caller title", outlet="Rudaw")
    assert art.published == dt.date(2017, 8, 5)
    assert art.title == "Caller title"
    assert art.outlet == "Rudaw"


def test_read_numeric_date_is_month_first_for_unlisted_outlet():
    text = ("Storm hits the coast\nBy Jane Roe 3/8/2017\n"
            + "A storm hit the coast on Tuesday, flooding roads and cutting power to thousands of homes. " * 3)
    art = read_article(RawDocument(id="x", text=text, url="https://example.com/storm-hits-the-coast"))
    assert isinstance(art, Article)
    assert art.published == dt.date(2017, 3, 8)
    assert art.title == "Storm hits the coast"


def test_read_html_keeps_article_and_drops_script_nav_and_comments():
    art = _html("article.html")
    assert isinstance(art, Article)
    assert art.text.startswith("QAMISHLI, Syria (Example News) — A car bomb exploded")
    assert "the national hospital in the city centre." in art.text
    for leak in ("SCRIPT-LEAK", "STYLE-LEAK", "COMMENT-LEAK", "Sign In", "correspondents", "Privacy"):
        assert leak not in art.text, leak
    assert art.title == "Car bomb kills four in Qamishli market"
    assert "Car bomb kills four" not in art.text
    assert art.published == dt.date(2021, 3, 14)
    assert art.dateline == "QAMISHLI, Syria (Example News) —"


@pytest.mark.parametrize("markup", [
    "", "<<<>>></</", "<div>" * 20000 + "text", "<p>\x00\x01 bad</p>", "<html><body><p>Hi</p>",
])
def test_read_malformed_html_is_rejected_not_raised(markup):
    result = read_article(RawDocument(id="bad", html=markup))
    assert isinstance(result, Rejected)
    assert result.stage == "read" and "\n" not in result.detail


def test_read_unclosed_tags_still_yield_text():
    html = "<html><body><article><p>" + "Gunmen attacked a checkpoint near the town on Friday. " * 4 + "<b>unclosed"
    art = read_article(RawDocument(id="open", html=html))
    assert isinstance(art, Article)
    assert "Gunmen attacked a checkpoint" in art.text


def test_read_menu_only_text_is_rejected():
    result = read_article(RawDocument(id="menu", text="Home\nWorld\nSign In\nSubscribe\nBack To Top\n"))
    assert isinstance(result, Rejected) and result.code == "no-article"
