"""Roles stage on invented sentences: who is put first as the one who acted."""
from __future__ import annotations

from eventwire.resources import load_resources
from eventwire.stages.actors import find_actors
from eventwire.stages.roles import assign_roles


def _roles(text: str, sub_event_type: str, event_type: str = "Explosions/Remote violence"):
    lexicon = load_resources().actors
    mentions = find_actors(text, 0, len(text), lexicon, "Syria")
    return assign_roles(text, mentions, event_type, sub_event_type, "Syria", lexicon.role_words)


def test_a_named_attacker_stays_first_in_an_air_strike_over_a_state_given_no_part():
    # the incident is typed an air strike, but the words name ISIS as the one who fired;
    # "regime-held" names the regime only as the holder of the districts
    text = "Three civilians were killed on Wednesday in mortar shelling by ISIS militants on the regime-held districts."
    assert _roles(text, "Air/drone strike").actor1 == "Islamic State (Syria)"


def test_a_state_still_flies_the_strike_when_the_rebels_are_only_its_target():
    text = "On Monday regime warplanes struck a base targeting HTS near the town."
    r = _roles(text, "Air/drone strike")
    assert (r.actor1, r.actor2) == ("Military Forces of Syria (2000-2024)", "HTS: Hayat Tahrir al Sham")


def test_of_two_named_attackers_the_state_flies_the_strike():
    text = "HTS fighters attacked the village on Monday as regime warplanes bombed its outskirts."
    assert _roles(text, "Air/drone strike").actor1 == "Military Forces of Syria (2000-2024)"
