"""Explicit loading of the runtime assets every stage receives as arguments.

Loading happens here, once, never inside a stage: stages stay pure and testable.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .config import Settings, load_settings
from .gazetteer import Gazetteer, load_gazetteer
from .stages.actors import ActorLexicon, load_actor_lexicon
from .stages.event_lexicon import EventLexicon, load_event_lexicon
from .stages.incidents import IncidentCues, load_incident_cues


@dataclass(frozen=True)
class Resources:
    """Everything the extract pipeline needs, loaded once per process."""

    gazetteer: Gazetteer
    actors: ActorLexicon
    event_types: EventLexicon
    cues: IncidentCues
    settings: Settings


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """Load the packaged gazetteer, actor dictionary, event lexicon, cues and settings."""
    return Resources(gazetteer=load_gazetteer(), actors=load_actor_lexicon(),
                     event_types=load_event_lexicon(), cues=load_incident_cues(),
                     settings=load_settings())
