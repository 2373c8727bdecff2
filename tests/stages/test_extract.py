"""The extract stage on the real seed articles: incidents found, non-events left out."""
import datetime as dt

from eventwire.records import Article, Event, RawDocument
from eventwire.pipeline import extract_article as extract_events
from eventwire.pipeline import read_one as read_article


def _events(seed_docs, resources, doc_id):
    d = seed_docs[doc_id]
    article = read_article(RawDocument(id=doc_id, text=d["text"], published=d["published"], outlet=d["outlet"]))
    return [e for e in extract_events(article, resources) if isinstance(e, Event)]


def _with_date(events, day):
    return [e for e in events if e.event_date == day]


def test_extract_aggregates_give_no_events(seed_docs, resources):
    events = _events(seed_docs, resources, "002_5e97fcbeb6fe671a")
    assert [(e.event_date, e.sub_event_type, e.arrests) for e in events] == [("2024-01-29", "Arrests", 82)]


def test_extract_background_incidents_keep_their_own_dates(seed_docs, resources):
    events = _events(seed_docs, resources, "003_591d6589a516fc68")
    figures = {e.event_date: e.fatalities for e in events}
    assert figures.get("2021-01-09") == 7
    assert figures.get("2021-01-03") == 15
    assert figures.get("2020-12-30") == 37
    assert not any(e.fatalities and e.fatalities > 1000 for e in events)  # the war-wide total


def test_extract_follow_up_sentences_merge_into_one_event(seed_docs, resources):
    events = _events(seed_docs, resources, "003_591d6589a516fc68")
    (main,) = _with_date(events, "2021-01-09")
    assert main.event_type == "Battles"
    assert len(main.sources[0].spans) >= 2
    assert any("Islamic State" in (a or "") for a in (main.actor1, main.actor2))


def test_extract_rudaw_recounted_strikes_are_separate_events(seed_docs, resources):
    events = _events(seed_docs, resources, "004_3907ad565924e81d")
    for day, deaths in (("2017-07-24", 2), ("2017-07-16", 4), ("2017-07-13", 2), ("2017-06-07", 1)):
        (e,) = _with_date(events, day)
        assert e.fatalities == deaths, day
        assert e.event_type == "Explosions/Remote violence" or day == "2017-07-16"
    assert not any("French soldier" in e.sources[0].quote for e in events)


def test_extract_civilian_killing_is_violence_against_civilians(seed_docs, resources):
    events = _events(seed_docs, resources, "000_34b8d31dad1cf61c")
    (e,) = _with_date(events, "2022-04-18")
    assert e.event_type == "Violence against civilians" and e.sub_event_type == "Attack"
    assert e.fatalities == 1 and e.civilian_targeting
    assert e.actor2 and e.actor2.startswith("Civilians")
    assert not _with_date(events, "2022-04-14")  # the SDF council's Thursday statement is no event


def test_extract_quotes_match_offsets(seed_docs, resources):
    d = seed_docs["000_34b8d31dad1cf61c"]
    article = Article(id="000", text=d["text"], published=dt.date(2022, 4, 18))
    for e in extract_events(article, resources):
        src = e.sources[0]
        assert article.text[src.start:src.end] == src.quote
        assert e.notes.startswith("On ")
        assert 0 < e.confidence < 1


def test_extract_event_ids_are_stable(seed_docs, resources):
    a = [e.event_id for e in _events(seed_docs, resources, "004_3907ad565924e81d")]
    b = [e.event_id for e in _events(seed_docs, resources, "004_3907ad565924e81d")]
    assert a == b and len(set(a)) == len(a)


def test_extract_mine_that_kills_civilians_has_an_unnamed_perpetrator(resources):
    art = Article(id="t-mine", text="On 7 May 2020, a landmine explosion killed two children "
                  "in Hajin town in the eastern Deir ez-Zor countryside.",
                  published=dt.date(2020, 5, 8))
    (event,) = [e for e in extract_events(art, resources) if isinstance(e, Event)]
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.actor1 == "Unidentified Armed Group (Syria)" and event.actor2 == "Civilians (Syria)"


def test_extract_home_country_of_the_armed_group_places_the_incident(resources):
    art = Article(id="t-farah", text="On 30 April 2020, a Taliban sniper shot dead a soldier in "
                  "the Kerji area of Farah city.", published=dt.date(2020, 5, 1))
    (event,) = [e for e in extract_events(art, resources) if isinstance(e, Event)]
    assert event.country == "Afghanistan" and event.admin1 == "Farah"


def test_extract_bomb_aimed_at_an_army_patrol_has_an_unnamed_perpetrator(resources):
    art = Article(id="t-ied", text="On 5 May 2020, an IED exploded targeting an Iraqi army vehicle "
                  "near Tarmiyah, injuring two soldiers.", published=dt.date(2020, 5, 6))
    (event,) = [e for e in extract_events(art, resources) if isinstance(e, Event)]
    assert event.actor1 == "Unidentified Armed Group (Iraq)"
    assert event.actor2 == "Military Forces of Iraq (2014-)"  # "soldiers" too: one name, with its period


def test_extract_a_list_of_places_is_one_event_per_place_with_the_toll_shared(resources):
    # ACLED codes one event per location; a toll told for all of them is split evenly
    text = ("On 8 May 2020, Afghan military airstrikes killed 9 Taliban militants across Shah Wali Kot "
            "and Maywand districts, Kandahar.")
    article = read_article(RawDocument(id="list-1", text=text, published="2020-05-09"))
    events = [e for e in extract_events(article, resources) if isinstance(e, Event)]
    assert [(e.location, e.admin1, e.fatalities) for e in events] == [
        ("Shah Wali Kot", "Kandahar", 5), ("Maywand", "Kandahar", 4)]
    assert len({e.event_id for e in events}) == 2


def test_extract_a_town_and_the_city_holding_it_stay_one_event(resources):
    text = "On 9 May 2020, a mob attacked a church in Bakirkoy town, Istanbul."
    article = read_article(RawDocument(id="list-2", text=text, published="2020-05-09"))
    events = [e for e in extract_events(article, resources) if isinstance(e, Event)]
    assert len(events) == 1
