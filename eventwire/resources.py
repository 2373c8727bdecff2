"""Explicit loading of the runtime assets every component receives when it is built.

Loading happens here, once, never inside a stage: stages stay pure and testable.
"""
from __future__ import annotations

import json
import re
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
    note_templates: dict
    abbreviations: frozenset[str]


@dataclass(frozen=True)
class ReadResources:
    """What the read stage needs: the cleaner's phrase lists and the day-first outlets."""

    lexicon: Lexicon
    dayfirst: frozenset[str]
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


def _pattern_file(name: str) -> re.Pattern:
    """One alternation of a file's patterns, one a line, '#' lines being comments."""
    alts = [ln.strip() for ln in _data_text(name).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return re.compile("|".join(f"(?:{a})" for a in alts), re.IGNORECASE)


@lru_cache(maxsize=None)
def load_lang_pack(name: str, lang: str = "en") -> dict:
    """A language pack, eventwire/data/lang/<lang>/<name>.json: knowledge with an example per entry."""
    return json.loads(_data_text(f"lang/{lang}/{name}.json"))


@lru_cache(maxsize=1)
def load_read_lexicon() -> Lexicon:
    """The boilerplate phrase lists (eventwire/data) and jusText's stop-word lists."""
    from .stages.clean import Lexicon
    import justext  # installed with trafilatura; its stoplists are plain word lists
    stoplists = {code: frozenset(justext.get_stoplist(name)) for name, code in _STOPLIST_LANGUAGES.items()}
    return Lexicon(junk=_pattern_file("boilerplate_junk.txt"),
                   comments=_pattern_file("boilerplate_comments.txt"),
                   stamps=_pattern_file("boilerplate_stamps.txt"),
                   sections=_pattern_file("boilerplate_sections.txt"), stoplists=stoplists)


@lru_cache(maxsize=1)
def load_dayfirst_outlets() -> frozenset[str]:
    """Outlet names and domains (lowercase) that write numeric dates day first."""
    return frozenset(ln.strip().lower() for ln in _data_text("dayfirst_outlets.txt").splitlines()
                     if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=1)
def load_charsets() -> Charsets:
    """The web encodings a non-UTF-8 document may be in (data/charsets.json)."""
    return charsets_from_json(json.loads(_data_text("charsets.json")))


@lru_cache(maxsize=1)
def load_read_resources() -> ReadResources:
    return ReadResources(lexicon=load_read_lexicon(), dayfirst=load_dayfirst_outlets(), settings=load_settings())


@lru_cache(maxsize=1)
def load_note_templates() -> dict:
    """ACLED-style note phrases per sub-event type."""
    return json.loads(_data_text("note_templates.json"))


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """Load the packaged gazetteer, actor dictionary, event lexicon, cues and settings."""
    from .gazetteer import load_gazetteer
    from .stages.actors import load_actor_lexicon
    from .stages.event_lexicon import load_event_lexicon
    from .stages.incidents import load_incident_cues
    return Resources(gazetteer=load_gazetteer(), actors=load_actor_lexicon(),
                     event_types=load_event_lexicon(), cues=load_incident_cues(),
                     settings=load_settings(), note_templates=load_note_templates(),
                     abbreviations=load_abbreviations())
