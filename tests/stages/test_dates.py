import datetime as dt

from eventwire.resources import load_date_reader
from eventwire.stages.dates import incident_date

find_dates = load_date_reader().find_dates
dateline_day = load_date_reader().dateline_day

PUB_000 = dt.date(2022, 4, 18)  # seed 000, a Monday


def _own(sentence, published):
    d = incident_date(find_dates(sentence, published))
    return d.date if d else None


def test_dates_weekday_resolves_to_the_latest_such_day():
    assert _own("On Monday, the Islamic State Organization (ISIS) claimed responsibility", PUB_000) == PUB_000
    assert _own("On Wednesday, ISIS, through close outlets, claimed responsibility", PUB_000) == dt.date(2022, 4, 13)


def test_dates_last_sunday_is_strictly_before_publication():
    assert _own("The ambush late last Sunday resulted in the deaths of eight soldiers", dt.date(2021, 1, 9)) == dt.date(2021, 1, 3)


def test_dates_month_day_takes_the_year_before_when_in_the_future():
    assert _own("IS said it was behind a December 30 bus ambush", dt.date(2021, 1, 9)) == dt.date(2020, 12, 30)
    assert _own("On February 2, US special forces carried out a raid", PUB_000) == dt.date(2022, 2, 2)


def test_dates_reporting_date_is_not_the_incident_date():
    mentions = find_dates("The coalition announced on Thursday that two ISIS leaders were killed.", dt.date(2017, 8, 3))
    assert mentions and mentions[0].is_report_date
    assert incident_date(mentions) is None


def test_dates_explicit_year_and_offsets():
    s = "On 9 May 2020, hospital interns marched in Haifa."
    (m,) = find_dates(s, None, offset=100)
    assert m.date == dt.date(2020, 5, 9) and s[m.start - 100:m.end - 100] == "9 May 2020"


def test_dates_may_and_we_are_not_dates():
    assert find_dates("We may see more attacks, they may say.", PUB_000) == []


def test_dates_unknown_publication_gives_no_day_for_weekday():
    (m,) = find_dates("On Monday gunmen attacked a checkpoint.", None)
    assert m.date is None


def test_dates_said_on_is_when_it_was_said():
    mentions = find_dates("The toll has risen to 86, a monitoring group said on Wednesday.", dt.date(2017, 4, 5))
    assert mentions[0].is_report_date and incident_date(mentions) is None
    assert _own("The army said it retook the town on Monday.", PUB_000) == PUB_000


def test_dates_month_opening_a_sentence_is_a_month_date():
    (d,) = find_dates("In May, more than 60 people were killed in barrel bomb attacks.", dt.date(2015, 7, 16))
    assert d.date == dt.date(2015, 5, 15) and d.precision == 3
    assert find_dates("Officials said talks in may be delayed.", dt.date(2015, 7, 16)) == []


def test_a_dateline_day_is_when_the_report_was_written():
    # Invented report in the beat's house style: filed on the 3rd, posted on the 4th.
    text = "QAMISHLI, May 3 (North Press) – Two fighters were killed yesterday near Tal Hamis."
    posted = dt.date(2026, 5, 4)
    assert dateline_day(text, posted) == dt.date(2026, 5, 3)
    mentions = find_dates(text, posted)
    assert [m.kind for m in mentions] == ["dateline", "relative_day"]
    # The incident's own day wins over the dateline's.
    assert incident_date(mentions).kind == "relative_day"


def test_a_dateline_day_dates_a_report_that_gives_no_day_of_its_own():
    text = "RAQQA, Syria, 8 May (Hawar) - Gunmen shot dead a shepherd east of the city."
    mentions = find_dates(text, dt.date(2026, 5, 9))
    assert incident_date(mentions).kind == "dateline" and incident_date(mentions).date == dt.date(2026, 5, 8)


def test_no_dateline_without_the_capitals_place_and_dash():
    posted = dt.date(2026, 5, 9)
    assert dateline_day("On May 3, gunmen killed two men in Raqqa.", posted) is None
    assert dateline_day("BEIRUT (AFP) – Drones struck a car on Monday.", posted) is None  # no day
    # A dateline more than a week before publication belongs to another report.
    assert dateline_day("RAQQA, April 20 (Hawar) – Gunmen shot dead a shepherd.", posted) is None


def test_segmentation_counts_yesterday_from_the_dateline(resources):
    from eventwire.pipeline import extract
    from eventwire.records import Article, Event
    article = Article("dateline-1", "QAMISHLI, May 3 (North Press) – Two members of the Syrian "
                      "Democratic Forces were killed yesterday when a roadside bomb went off near "
                      "their vehicle in the village of Tal Hamis.", outlet="North Press",
                      published=dt.date(2026, 5, 4))
    events = [e for e in extract([article], resources) if isinstance(e, Event)]
    assert [e.event_date for e in events] == ["2026-05-02"]


def test_dates_page_date_line_with_its_day_run_into_its_year_is_the_reports_day():
    text = "Last updated at Jul 282016 A bomb blast killed five people at a checkpoint on Wednesday."
    assert dateline_day(text, dt.date(2016, 8, 2)) == dt.date(2016, 7, 28)
