"""Language packs (eventwire/data/lang/en/*.json): every entry's example, run through the real
component, yields what the entry says, and (where entries do not overlap) needs its entry to do so.
Adding an entry adds a test."""
from __future__ import annotations

import dataclasses
import datetime as dt
from importlib import resources as importlib_resources

import pytest

from eventwire.records import Article, Event
from eventwire.resources import (load_abbreviations, load_meta_lexicon, load_months, load_note_words, load_pack,
                                 load_read_lexicon)
from eventwire.stages.annotate import split_sentences
from eventwire.stages.clean import clean_text, lexicon, line_kind
from eventwire.stages.dates import DateReader
from eventwire.stages.metadata import meta_lexicon, read_metadata
from eventwire.stages.notes import write_note

PACKS = sorted(p.name.removesuffix(".json") for p in importlib_resources.files("eventwire.data").joinpath("lang/en").iterdir()
               if p.name.endswith(".json"))
TODAY = dt.date(2030, 1, 1)
BODY = ["Two people were hurt when a roof fell in the market on Sunday."]


def _entries(stage: str, *keys: str) -> list:
    return [pytest.param(key, e, id=f"{stage}:{key}:{e[next(iter(e))]}") for key in keys for e in load_pack(stage)[key]]


def _without(stage: str, key: str, entry: dict) -> dict:
    pack = dict(load_pack(stage))
    pack[key] = [e for e in pack[key] if e is not entry]
    return pack


@pytest.mark.parametrize("key, entry", _entries("annotate", "abbreviations"))
def test_annotate_abbreviation_keeps_its_sentence_whole(key, entry):
    article = Article(id="pack", text=entry["example"])
    assert len(split_sentences(article, load_abbreviations())) == entry["expect"]["sentences"]
    # the entry is what holds it together: without it the example splits
    without = load_abbreviations() - {entry["abbreviation"]}
    assert len(split_sentences(article, without)) > entry["expect"]["sentences"], "the example does not need its entry"


@pytest.mark.parametrize("form", sorted(load_months().abbreviations))
def test_a_months_short_form_keeps_its_sentence_whole(form):
    article = Article(id="pack", text=f"The talks resumed on {form.capitalize()}. 5 in the capital.")
    assert len(split_sentences(article, load_abbreviations())) == 1
    assert len(split_sentences(article, load_abbreviations() - {form})) == 2, "the example does not need its form"


@pytest.mark.parametrize("key, entry", _entries("clean", "junk", "comments", "stamps", "sections", "credits", "caption_tails"))
def test_clean_line_is_taken_for_its_kind(key, entry):
    lex = load_read_lexicon()
    assert line_kind(entry["example"], lex) == entry["expect"]["kind"]
    assert line_kind(entry["example"], lexicon(_without("clean", key, entry), lex.stoplists)) != entry["expect"]["kind"], \
        "the example does not need its entry"


def _number_entries() -> list:
    return [pytest.param(name, e, id=f"clean:numbers:{name}") for group in load_pack("clean")["numbers"].values()
            if isinstance(group, dict) for name, e in group.items() if isinstance(e, dict)]


def _cleaned(example, lex, expect: dict) -> dict:
    """What the cleaner makes of an example: one line's kind, or a page's body, title or language."""
    if isinstance(example, str):
        return {"kind": line_kind(example, lex)}
    lines, hint = (example["lines"], example["title_hint"]) if isinstance(example, dict) else (example, "")
    page = clean_text("\n".join(lines), lex, hint)
    return {key: getattr(page, key) for key in expect}


@pytest.mark.parametrize("name, entry", _number_entries())
def test_clean_number_decides_its_example(name, entry):
    lex = load_read_lexicon()
    assert _cleaned(entry["example"], lex, entry["expect"]) == entry["expect"]
    other = dataclasses.replace(lex, numbers=dataclasses.replace(lex.numbers, **{name: entry["contrast"]["value"]}))
    assert _cleaned(entry["example"], other, entry["contrast"]["expect"]) == entry["contrast"]["expect"], \
        "the example does not depend on the number"


def _published(before: list[str], hints: list[str], lex) -> str | None:
    date = read_metadata(before, BODY, [], None, hints, lex, TODAY).published
    return date and date.isoformat()


@pytest.mark.parametrize("key, entry", _entries("metadata", "dayfirst_outlets"))
def test_metadata_dayfirst_outlet_reads_its_numeric_date_day_first(key, entry):
    assert _published([entry["example"]], [entry["seen_as"]], load_meta_lexicon()) == entry["expect"]["published"]
    without = meta_lexicon(_without("metadata", key, entry))
    assert _published([entry["example"]], [entry["seen_as"]], without) != entry["expect"]["published"], \
        "the example does not need its entry"


@pytest.mark.parametrize("key, entry", _entries("metadata", "months", "ordinals") + [
    p for p in _entries("metadata", "date_shapes") if p.values[1]["shape"].startswith("page_")])
def test_metadata_date_line_is_read(key, entry):
    assert _published([entry["example"]], [], load_meta_lexicon()) == entry["expect"]["published"]
    without = meta_lexicon(_without("metadata", key, entry))
    assert _published([entry["example"]], [], without) != entry["expect"]["published"], "the example does not need its entry"


@pytest.mark.parametrize("key, entry", [p for p in _entries("metadata", "date_shapes")
                                        if p.values[1]["shape"].startswith("text_")])
def test_dates_shape_is_read_in_a_sentence(key, entry):
    def days(reader: DateReader) -> list[str]:
        return [d.date.isoformat() for d in reader.find_dates(entry["example"], TODAY) if d.date]
    assert days(DateReader(load_months(), entry["pattern"])) == [entry["expect"]["date"]]
    assert days(DateReader(load_months(), "(?!)")) == [], "the example does not need its entry"


@pytest.mark.parametrize("key, entry", [p for p in _entries("metadata", "date_shapes")
                                        if p.values[1]["shape"].startswith("dateline_")])
def test_dates_page_date_line_run_together_is_the_reports_day(key, entry):
    from eventwire.resources import page_openers
    from eventwire.stages.dates import incident_date
    feed = dt.date(2030, 1, 1)  # a feed date far from the page's own: the page's line wins
    openers = page_openers(load_pack("metadata")["page_date_openers"])

    def days(shape: str) -> tuple:
        reader = DateReader(load_months(), "(?!)", openers, shape)
        report = reader.dateline_day(entry["example"], feed)
        own = incident_date(reader.find_dates(entry["example"], report or feed))
        return (report and report.isoformat(), own and own.date and own.date.isoformat())
    expect = entry["expect"]
    assert days(entry["pattern"]) == (expect["report_day"], expect["incident_day"])
    assert days("(?!)") != (expect["report_day"], expect["incident_day"]), "the example does not need its entry"


@pytest.mark.parametrize("key, entry", _entries("metadata", "published_hints"))
def test_metadata_published_hint_prefers_the_pages_own_date_line(key, entry):
    assert _published(entry["example"], [], load_meta_lexicon()) == entry["expect"]["published"]
    without = meta_lexicon(_without("metadata", key, entry))
    assert _published(entry["example"], [], without) != entry["expect"]["published"], "the example does not need its entry"


@pytest.mark.parametrize("key, entry", _entries("metadata", "byline_openers", "name_particles"))
def test_metadata_byline_is_found(key, entry):
    def byline(lex):
        return read_metadata([entry["example"]], BODY, [], None, [], lex, TODAY).byline
    assert byline(load_meta_lexicon()) == entry["expect"]["byline"]
    assert byline(meta_lexicon(_without("metadata", key, entry))) != entry["expect"]["byline"], \
        "the example does not need its entry"


def _event(sub_event_type: str, fields: dict) -> Event:
    return Event(event_id="pack", doc_id="pack", event_type="", sub_event_type=sub_event_type, assoc_actor_1=None,
                 assoc_actor_2=None, inter1=None, inter2=None, interaction=None, civilian_targeting=False,
                 admin2=None, admin3=None, latitude=None, longitude=None, geo_precision=1, notes="", sources=[],
                 confidence=0.5, **fields)


@pytest.mark.parametrize("key, entry", _entries("notes", "sub_event_types"))
def test_note_words_its_sub_event_type(key, entry):
    event = _event(entry["sub_event_type"], entry["example"])
    assert write_note(event, load_note_words()) == entry["expect"]["note"]
    event.actor2 = None
    assert write_note(event, load_note_words()) == entry["expect"]["note_without_actor2"]


def _pack_entries(value) -> list[dict]:
    """The entries of lists (word lists, patterns), wherever they sit in the pack."""
    if isinstance(value, list):
        return [e for e in value if isinstance(e, dict)]
    if isinstance(value, dict):
        return [e for v in value.values() for e in _pack_entries(v)]
    return []


def _named_entries(value) -> list[dict]:
    """Entries kept by name ({"near": {"weight": 2.0, "example": ...}}), as weights are."""
    if not isinstance(value, dict):
        return []
    return [v for v in value.values() if isinstance(v, dict) and "example" in v] + \
           [e for v in value.values() if isinstance(v, dict) and "example" not in v for e in _named_entries(v)]


@pytest.mark.parametrize("stage", PACKS)
def test_every_pack_entry_carries_an_example_and_an_expectation(stage):
    """Listed entries carry an example and what it must yield; named entries (weights, whose
    examples their stage's own tests run) carry an example."""
    pack = load_pack(stage)
    entries, named = _pack_entries(pack), _named_entries(pack)
    assert pack.get("about") and (entries or named), "a pack holds entries and says what they are"
    missing = [e for e in entries if not (e.get("example") and "expect" in e)]
    missing += [e for e in named if not e.get("example")]
    assert not missing, missing[:3]


@pytest.mark.parametrize("key, entry", _entries("metadata", "page_date_openers"))
def test_dates_page_date_line_is_the_reports_day_not_the_incidents(key, entry):
    from eventwire.resources import page_openers
    from eventwire.stages.dates import incident_date
    feed = dt.date(2030, 1, 1)  # a feed date far from the page's own: the page's line wins

    def days(openers: str) -> tuple:
        reader = DateReader(load_months(), "(?!)", openers)
        report = reader.dateline_day(entry["example"], feed)
        own = incident_date(reader.find_dates(entry["example"], report or feed))
        return (report and report.isoformat(), own and own.date and own.date.isoformat())
    expect = entry["expect"]
    assert days(page_openers(load_pack("metadata")["page_date_openers"])) == (expect["report_day"], expect["incident_day"])
    without = page_openers([e for e in load_pack("metadata")["page_date_openers"] if e is not entry])
    assert days(without) != (expect["report_day"], expect["incident_day"]), "the example does not need its entry"
