"""The actors, roles and classify language packs (and the kill forms' 'roles' uses): every
entry's invented example goes through the real component and must yield its expectation."""
import pytest

from eventwire.resources import load_lang_pack, load_resources
from eventwire.stages import roles
from eventwire.stages.actors import find_actors
from eventwire.stages.classify import classify_incident

ACTORS = load_lang_pack("actors")
ROLES = load_lang_pack("roles")
CLASSIFY = load_lang_pack("classify")
KILL_ROLES = [dict(r, word=f["form"]) for f in load_lang_pack("kill_verbs")["forms"] for r in f.get("roles", ())]


def _params(pack, *keys):
    return [pytest.param(e, id=f"{k}:{e['word']}") for k in keys for e in pack[k]]


def _mentions(text):
    return find_actors(text, 0, len(text), load_resources().actors, "Syria")


@pytest.mark.parametrize("entry", _params(ACTORS, "group_trailers", "state_trailers"))
def test_trailer_extends_the_mention(entry):
    assert entry["word"] in entry["example"]
    assert entry["expect"]["mention"] in [m.surface for m in _mentions(entry["example"])]


@pytest.mark.parametrize("entry", _params(ACTORS, "wordlike_acronyms"))
def test_wordlike_acronym_in_a_headline_is_a_word(entry):
    assert f" {entry['word'].upper()} " in f" {entry['example']} "
    assert [m.surface for m in _mentions(entry["example"])] == entry["expect"]["mentions"]


def test_an_acronym_outside_a_headline_is_the_actor():
    assert [m.surface for m in _mentions("Fighters loyal to IS attacked the checkpoint.")][-1:] == ["IS"]


def _role(entry):
    text = entry["example"]
    (mention,) = [m for m in _mentions(text) if m.surface == entry["expect"]["actor"]]
    words = load_resources().actors.role_words
    if entry["expect"]["role"] == "agent":
        return "agent" if roles._is_agent(text, mention, words) else "not agent"
    return "victim" if roles._is_victim(text, mention, words) and not roles._is_agent(text, mention, words) else "not victim"


@pytest.mark.parametrize("entry", _params(ROLES, "agent_after", "agent_attributive", "victim_after", "victim_before")
                         + [pytest.param(e, id=f"kill:{e['use']}:{e['word']}") for e in KILL_ROLES if e["use"] != "subject_hurt"])
def test_role_word_gives_the_actor_its_role(entry):
    assert entry["word"] in entry["example"]
    assert _role(entry) == entry["expect"]["role"]


@pytest.mark.parametrize("entry", _params(CLASSIFY, "subject_is_hurt")
                         + [pytest.param(e, id=f"kill:subject_hurt:{e['word']}") for e in KILL_ROLES if e["use"] == "subject_hurt"])
def test_subject_of_a_harm_word_is_the_victim(entry):
    assert entry["word"] in entry["example"]
    best = classify_incident(entry["example"], load_resources().event_types)[0]
    assert best.sub_event_type == entry["expect"]["sub_event_type"]


def test_every_role_use_is_known():
    assert {e["use"] for e in KILL_ROLES} <= {"agent_after", "victim_after", "victim_before", "subject_hurt"}


def test_an_anti_prefix_makes_the_named_group_the_target_not_the_attacker():
    text = "On Monday, the army carried out an anti-ISIS raid near the village."
    words = load_resources().actors.role_words
    (isis,) = [m for m in _mentions(text) if m.surface == "ISIS"]
    assert not roles._is_agent(text, isis, words)


@pytest.mark.parametrize("entry", _params(ROLES, "presence_after"))
def test_aircraft_only_seen_there_make_their_force_no_attacker(entry):
    text = entry["example"]
    assert entry["word"] in text
    (mention,) = [m for m in _mentions(text) if m.surface == entry["expect"]["actor"]]
    assert not roles._is_agent(text, mention, load_resources().actors.role_words)


@pytest.mark.parametrize("entry", _params(ROLES, "speech_between"))
def test_a_speaker_before_a_reported_act_is_not_its_agent(entry):
    # "the army said HTS fighters attacked": the act's subject is HTS; the army only spoke
    text = entry["example"]
    assert entry["word"] in text
    words = load_resources().actors.role_words
    (speaker,) = [m for m in _mentions(text) if m.surface == entry["expect"]["actor"]]
    assert not roles._is_agent(text, speaker, words)
    (doer,) = [m for m in _mentions(text) if m.surface == "HTS fighters"]
    assert roles._is_agent(text, doer, words)


@pytest.mark.parametrize("entry", _params(ROLES, "speaker_pronouns"))
def test_the_speakers_own_pronoun_keeps_the_speaker_the_agent(entry):
    assert f" {entry['word']} " in entry["example"]
    assert _role(entry) == "agent"


def test_a_reported_toll_is_not_the_speakers_act():
    # headline wording: the army reports deaths, it is not said to have killed them
    text = "The Turkish army says 31 militants killed in clashes near the town."
    (army,) = [m for m in _mentions(text) if "army" in m.surface]
    assert not roles._is_agent(text, army, load_resources().actors.role_words)


@pytest.mark.parametrize("entry", _params(ROLES, "attributive_gap"))
def test_a_day_between_the_name_and_its_attack_noun_keeps_the_attribution(entry):
    assert entry["word"] in entry["example"]
    assert _role(entry) == "agent"


def test_a_bracketed_aside_between_the_name_and_its_attack_noun_keeps_the_attribution():
    text = "The toll of the Daesh (banned in many countries) Thursday attack on the village rose to 51."
    (daesh,) = [m for m in _mentions(text) if m.surface == "Daesh"]
    assert roles._is_agent(text, daesh, load_resources().actors.role_words)


@pytest.mark.parametrize("entry", _params(ACTORS, "claimant_after", "claimant_before"))
def test_a_generic_word_stands_for_the_group_that_claims_the_act(entry):
    text = entry["example"]
    assert entry["word"] in text
    first = text.index(".") + 1  # the generic word's own sentence
    (generic,) = [m for m in find_actors(text, 0, first, load_resources().actors, "Syria")
                  if m.surface == entry["expect"]["mention"]]
    assert generic.name == entry["expect"]["actor"]
