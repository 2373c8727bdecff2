"""Explicit loading of the runtime assets every component receives when it is built.

Loading happens here, once, never inside a stage: stages stay pure and testable.
"""
from __future__ import annotations

import gc
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from .charsets import Charsets, charsets_from_json
from .config import Settings, load_settings

if TYPE_CHECKING:  # the stages are imported where they are built: stages import the language packs from here
    from .gazetteer import Gazetteer
    from .stages.actors import ActorLexicon
    from .stages.clean import Lexicon
    from .stages.counts import CountReader
    from .stages.dates import DateReader, Months
    from .stages.event_lexicon import EventLexicon
    from .stages.incidents import IncidentCues
    from .stages.link import LinkSettings
    from .stages.metadata import MetaLexicon
    from .stages.notes import NoteWords

# jusText's stop-word lists (installed with trafilatura) by name, with the ISO code they stand for
_STOPLIST_LANGUAGES = {"English": "en", "German": "de", "French": "fr", "Spanish": "es",
                       "Portuguese": "pt", "Italian": "it", "Russian": "ru", "Indonesian": "id",
                       "Dutch": "nl", "Turkish": "tr", "Arabic": "ar", "Polish": "pl"}


@dataclass(frozen=True)
class Resources:
    """Everything the extract pipeline needs, loaded once per process."""

    gazetteer: Gazetteer
    actors: ActorLexicon
    event_types: EventLexicon
    cues: IncidentCues
    settings: Settings
    note_words: NoteWords
    abbreviations: frozenset[str]
    counts: CountReader
    dates: DateReader


@dataclass(frozen=True)
class ReadResources:
    """What the read stage needs: the cleaner's phrase lists and the metadata finder's words."""

    lexicon: Lexicon
    meta: MetaLexicon
    settings: Settings


def data_text(name: str) -> str:
    """A packaged data file's text (eventwire/data/<name>)."""
    return importlib_resources.files("eventwire.data").joinpath(name).read_text(encoding="utf-8")


def _data_bytes(name: str) -> bytes:
    return importlib_resources.files("eventwire.data").joinpath(name).read_bytes()


LANGUAGE = "en"


@lru_cache(maxsize=None)
def load_pack(stage: str, language: str = LANGUAGE) -> dict:
    """A stage's language pack, eventwire/data/lang/<language>/<stage>.json: its word lists and
    patterns, each entry with the example that motivates it and what the example must yield."""
    return json.loads(data_text(f"lang/{language}/{stage}.json"))


@lru_cache(maxsize=1)
def load_brief_tallies() -> tuple[re.Pattern, ...]:
    """Quote wordings that tell a tally, not one incident (the briefs pack): such events are
    never among a brief's notable incidents."""
    return tuple(re.compile(e["pattern"], re.IGNORECASE) for e in load_pack("briefs")["tally_quotes"])


@lru_cache(maxsize=1)
def load_abbreviations() -> frozenset[str]:
    """Words whose full stop ends no sentence ("Col.", "Jan.", "U.S."): the annotate pack's and
    the months' short forms."""
    return frozenset(e["abbreviation"] for e in load_pack("annotate")["abbreviations"]) | load_months().abbreviations


load_lang_pack = load_pack  # the name the language-pack tests import


@lru_cache(maxsize=1)
def load_count_reader() -> CountReader:
    """The counts stage's figures, compiled from its packs: number words, kill verbs, death
    reports (deaths told without a kill verb) and claim verbs (lang/en/*.json)."""
    from .stages.counts import CountReader
    return CountReader(load_pack("number_words"), load_pack("kill_verbs")["forms"], load_pack("death_reports"),
                       load_pack("claims"), load_months())


@lru_cache(maxsize=1)
def load_link_settings() -> LinkSettings:
    """What the store decides with: the learned model (data/link_model.json, fitted by
    tools/build_link_model.py on fold A of eval/link_pairs.jsonl) when its build found it no
    worse than the hand rule on the held-out fold B ("decides"), else the hand rule."""
    from .stages.link import LinkSettings
    from .stages.link_model import LinkModel
    data = json.loads(data_text("link_model.json"))
    return LinkSettings(model=LinkModel.from_json(data) if data.get("decides") else None)


@lru_cache(maxsize=1)
def load_months() -> Months:
    """The month names, from the one list of them (lang/en/metadata.json 'months')."""
    from .stages.dates import months_from_pack
    return months_from_pack(load_pack("metadata")["months"])


@lru_cache(maxsize=1)
def load_date_reader() -> DateReader:
    """The dates stage's grammar with the month names, the all-digit date shape of text, the
    openers of a page's own date line and the shape of its day run into its year
    (lang/en/metadata.json)."""
    from .stages.dates import DateReader
    pack = load_pack("metadata")
    shapes = {e["shape"]: e["pattern"] for e in pack["date_shapes"]}
    return DateReader(load_months(), shapes["text_iso"], page_openers(pack["page_date_openers"]),
                      shapes["dateline_run_together"])


def page_openers(entries: list[dict]) -> str:
    """The openers of a page's date line as one regex alternative (longest first)."""
    words = sorted((e["opener"] for e in entries), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) or r"(?!)"


@lru_cache(maxsize=1)
def load_read_lexicon() -> Lexicon:
    """The cleaner's boilerplate patterns (lang/en/clean.json) and jusText's stop-word lists."""
    from .stages.clean import lexicon
    import justext  # installed with trafilatura; its stoplists are plain word lists
    stoplists = {code: frozenset(justext.get_stoplist(name)) for name, code in _STOPLIST_LANGUAGES.items()}
    return lexicon(load_pack("clean"), stoplists)


@lru_cache(maxsize=1)
def load_meta_lexicon() -> MetaLexicon:
    """Day-first outlets, byline openers and date-line words (lang/en/metadata.json)."""
    from .stages.metadata import meta_lexicon
    return meta_lexicon(load_pack("metadata"))


@lru_cache(maxsize=1)
def load_charsets() -> Charsets:
    """The web encodings a non-UTF-8 document may be in (data/charsets.json)."""
    return charsets_from_json(json.loads(data_text("charsets.json")))


@lru_cache(maxsize=1)
def load_read_resources() -> ReadResources:
    return ReadResources(lexicon=load_read_lexicon(), meta=load_meta_lexicon(), settings=load_settings())


@lru_cache(maxsize=1)
def load_note_words() -> NoteWords:
    """ACLED-style note phrases per sub-event type (lang/en/notes.json)."""
    from .stages.notes import note_words
    return note_words(load_pack("notes"), load_months().names)


def place_overlay_path() -> Path:
    """Where `eventwire gazetteer add` keeps user places ($EVENTWIRE_GAZETTEER overrides), read
    after the packaged gazetteer by every later run."""
    return _user_file("EVENTWIRE_GAZETTEER", "places.tsv")


def load_gazetteer(path: Optional[str] = None, overlay: Optional[str] = None) -> Gazetteer:
    """The packaged gazetteer (or the one in directory `path`: gazetteer.tsv, gazetteer_index.tsv,
    countries.tsv and admin1.tsv) with the user places file `overlay` (default
    place_overlay_path()) when it exists."""
    from .gazetteer import PACKAGED_FILES, build_gazetteer
    read = (lambda n: Path(path, n).read_text(encoding="utf-8")) if path else data_text
    read_bytes = (lambda n: Path(path, n).read_bytes()) if path else _data_bytes
    extra = Path(overlay) if overlay else place_overlay_path()
    return build_gazetteer(read_bytes("gazetteer.tsv"), read_bytes("gazetteer_index.tsv"), read("countries.tsv"),
                           read("admin1.tsv"), {name: data_text(name) for name in PACKAGED_FILES},
                           extra.read_text(encoding="utf-8") if extra.exists() else None)


def _user_file(variable: str, name: str) -> Path:
    """$variable when set, else <XDG data home>/eventwire/<name>."""
    env = os.environ.get(variable)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "eventwire" / name


def actor_overlay_path() -> Path:
    """Where analysts' actor aliases are kept ($EVENTWIRE_ACTORS overrides), read after
    the packaged dictionary by every later run."""
    return _user_file("EVENTWIRE_ACTORS", "actors.jsonl")


def load_actor_lexicon(path: Optional[str] = None) -> ActorLexicon:
    """The compiled actor dictionary: the packaged data/actors.jsonl and the analysts' overlay
    (actor_overlay_path()) when it exists, or only the given JSONL file."""
    from .stages.actors import compile_actor_lexicon
    if path is None:
        text = data_text("actors.jsonl")
        overlay = actor_overlay_path()
        if overlay.exists():  # analysts' aliases: records repeating an id add its aliases
            text += "\n" + overlay.read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    from .stages.roles import compile_role_words
    kill_forms = load_pack("kill_verbs")["forms"]
    return compile_actor_lexicon(text, load_pack("actors"), compile_role_words(load_pack("roles"), kill_forms))


GATE_CACHE = "event_gates.json"  # derived pattern prefixes, built by tools/build_event_gates.py


def load_event_lexicon(path: Optional[str] = None) -> EventLexicon:
    """The compiled event-type lexicon (default the packaged data/event_types.json), with the
    pattern prefixes of the derived cache data/event_gates.json when it exists."""
    from .stages.event_lexicon import compile_event_lexicon
    text = data_text("event_types.json") if path is None else Path(path).read_text(encoding="utf-8")
    cache = importlib_resources.files("eventwire.data").joinpath(GATE_CACHE)
    gates = json.loads(cache.read_text("utf-8"))["gates"] if cache.is_file() else {}
    from .stages.event_lexicon import subject_hurt_words
    lexicon = compile_event_lexicon(json.loads(text), gates)
    return subject_hurt_words(lexicon, load_pack("classify"), load_pack("kill_verbs")["forms"])


def load_incident_cues(path: Optional[str] = None) -> IncidentCues:
    """The compiled non-event cues (default the packaged data/incident_cues.json)."""
    from .stages.incidents import compile_incident_cues
    text = Path(path).read_text(encoding="utf-8") if path else data_text("incident_cues.json")
    return compile_incident_cues(json.loads(text), load_count_reader().kill_forms("act"), load_pack("incidents"))


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """Load the packaged gazetteer, actor dictionary, event lexicon, cues and settings."""
    from .stages.event_lexicon import with_arresting_actors
    settings = load_settings()
    resources = Resources(gazetteer=load_gazetteer(), actors=load_actor_lexicon(),
                          event_types=with_arresting_actors(load_event_lexicon(), settings.detentions_as_arrests),
                          cues=load_incident_cues(), settings=settings, note_words=load_note_words(),
                          abbreviations=load_abbreviations(), counts=load_count_reader(),
                          dates=load_date_reader())
    _freeze_once()
    return resources


_frozen = False


def _freeze_once() -> None:
    """Move what is loaded so far (cached for the process's life) out of the cyclic garbage
    collector's reach, once per process: every full collection walked its ~150k objects (the
    actor trie, gazetteer tables, lexicons), 8% of extraction time. Refcounting still frees
    them; only a cycle among them would now stay."""
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True
