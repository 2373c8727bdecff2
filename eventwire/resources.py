"""Explicit loading of the runtime assets every component receives when it is built.

Loading happens here, once, never inside a stage: stages stay pure and testable.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING

from .charsets import Charsets, charsets_from_json
from .config import Settings, load_settings

if TYPE_CHECKING:  # the stages are imported where they are built: stages import the language packs from here
    from .gazetteer import Gazetteer
    from .stages.actors import ActorLexicon
    from .stages.clean import Lexicon
    from .stages.event_lexicon import EventLexicon
    from .stages.incidents import IncidentCues
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


@dataclass(frozen=True)
class ReadResources:
    """What the read stage needs: the cleaner's phrase lists and the metadata finder's words."""

    lexicon: Lexicon
    meta: MetaLexicon
    settings: Settings


def _data_text(name: str) -> str:
    return importlib_resources.files("eventwire.data").joinpath(name).read_text(encoding="utf-8")


LANGUAGE = "en"


@lru_cache(maxsize=None)
def load_pack(stage: str, language: str = LANGUAGE) -> dict:
    """A stage's language pack, eventwire/data/lang/<language>/<stage>.json: its word lists and
    patterns, each entry with the example that motivates it and what the example must yield."""
    return json.loads(_data_text(f"lang/{language}/{stage}.json"))


@lru_cache(maxsize=1)
def load_abbreviations() -> frozenset[str]:
    """Words whose full stop ends no sentence ("Col.", "Jan.", "U.S.")."""
    return frozenset(e["abbreviation"] for e in load_pack("annotate")["abbreviations"])


load_lang_pack = load_pack  # the name the counts stage imports


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
    return charsets_from_json(json.loads(_data_text("charsets.json")))


@lru_cache(maxsize=1)
def load_read_resources() -> ReadResources:
    return ReadResources(lexicon=load_read_lexicon(), meta=load_meta_lexicon(), settings=load_settings())


@lru_cache(maxsize=1)
def load_note_words() -> NoteWords:
    """ACLED-style note phrases per sub-event type (lang/en/notes.json)."""
    from .stages.notes import note_words
    return note_words(load_pack("notes"))


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """Load the packaged gazetteer, actor dictionary, event lexicon, cues and settings."""
    from .gazetteer import load_gazetteer
    from .stages.actors import load_actor_lexicon
    from .stages.event_lexicon import load_event_lexicon
    from .stages.incidents import load_incident_cues
    return Resources(gazetteer=load_gazetteer(), actors=load_actor_lexicon(),
                     event_types=load_event_lexicon(), cues=load_incident_cues(),
                     settings=load_settings(), note_words=load_note_words(),
                     abbreviations=load_abbreviations())
