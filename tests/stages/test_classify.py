"""Tests for the event-type classifier (eventwire.stages.classify) on real seed sentences."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire.resources import load_event_lexicon
from eventwire.stages.classify import TypeScore, classify_incident, incident_signal

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="module")
def lexicon():
    return load_event_lexicon()


def _seed_sentence(prefix: str, start: str) -> str:
    """The sentence of seed file `prefix*` that starts with `start`, read from the sample text."""
    text = next(SAMPLES.glob(prefix + "_*.txt")).read_text(encoding="utf-8")
    i = text.index(start)
    end = re.compile(r"[.!?](?=\s|$)").search(text, i)
    return text[i:end.end() if end else len(text)]


def _best(text: str, lexicon) -> TypeScore:
    res = classify_incident(text, lexicon)
    assert res, f"no event for: {text}"
    return res[0]


@pytest.mark.parametrize("prefix, start, event_type, sub_event_type", [
    ("003", "Seven members of the National Defence Forces", "Battles", "Armed clash"),
    ("004", "Abd al-Ghafur, a Syria-based ISIS", "Explosions/Remote violence", "Air/drone strike"),
    ("001", "A car-bomb exploded at the Sony roundabout", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("000", "Members of ISIS shot dead the young man", "Violence against civilians", "Attack"),
])
def test_classify_seed_sentences(lexicon, prefix, start, event_type, sub_event_type):
    best = _best(_seed_sentence(prefix, start), lexicon)
    assert (best.event_type, best.sub_event_type) == (event_type, sub_event_type)


def test_classify_seed_arrest_operation(lexicon):
    text = next(SAMPLES.glob("002_*.txt")).read_text(encoding="utf-8")
    i = text.index("which resulted in the arrest of 82 people")
    sentence = text[text.rfind(".", 0, i) + 1:text.find(".", i) + 1].strip()
    assert _best(sentence, lexicon).sub_event_type == "Arrests"


def test_classify_trigger_offsets_point_into_text(lexicon):
    text = _seed_sentence("004", "Abd al-Ghafur, a Syria-based ISIS")
    best = _best(text, lexicon)
    assert text[best.trigger_start:best.trigger_end] == best.trigger
    assert "airstrike" in best.trigger.lower()
    assert 0.0 < best.score <= 1.0


@pytest.mark.parametrize("text", [
    "A magnitude 6.1 earthquake struck the region overnight, killing at least 12 people and destroying dozens of homes.",
    "Heavy flooding after days of torrential rain left 30 people dead and thousands displaced.",
    "Five people died when a fire broke out in a textile factory on the outskirts of the city.",
    "Two people were killed when a bus collided with a truck on the highway.",
    "Customs officers seized 40 kilograms of heroin at the port and detained two smugglers.",
    "The foreign minister met his Turkish counterpart in Ankara to discuss bilateral trade and sanctions.",
    "ISIS spokesman Abu Omar al-Muhajir threatened to launch more attacks in the region.",
])
def test_classify_non_events_return_empty(lexicon, text):
    assert classify_incident(text, lexicon) == []


@pytest.mark.parametrize("text, sub_event_type", [
    ("Police fired tear gas to disperse hundreds of protesters outside parliament.", "Protest with intervention"),
    ("Security forces opened fire on demonstrators with live ammunition, killing four protesters.",
     "Excessive force against protesters"),
    ("Protesters threw stones at police and torched two cars during the demonstration.", "Violent demonstration"),
    ("Hundreds of teachers staged a peaceful protest in front of the ministry demanding higher pay.", "Peaceful protest"),
    ("A suicide bomber detonated a car bomb at a checkpoint, killing six soldiers.", "Suicide bomb"),
    ("Militants fired a rocket-propelled grenade at an army patrol.", "Shelling/artillery/missile attack"),
    ("Army engineers defused a roadside bomb planted near the bridge.", "Disrupted weapons use"),
    ("Air defences intercepted two drones launched towards the airport.", "Disrupted weapons use"),
    ("An angry mob lynched a man accused of stealing a motorbike.", "Mob violence"),
    ("Syrian government forces recaptured the town from Islamic State militants.", "Government regains territory"),
    ("ISIS militants seized control of the town after government troops fled.", "Non-state actor overtakes territory"),
    ("Al-Shabaab militants abducted three aid workers in the village.", "Abduction/forced disappearance"),
    ("The two sides signed a ceasefire agreement and agreed to a prisoner exchange.", "Agreement"),
    ("ISIS announced forced conscription of all men aged 20 to 30 in the province.", "Change to group/activity"),
])
def test_classify_codebook_precedence(lexicon, text, sub_event_type):
    assert _best(text, lexicon).sub_event_type == sub_event_type


def test_classify_nonstate_detention_is_abduction_state_is_arrest(lexicon):
    assert _best("Police arrested five suspected militants in a raid.", lexicon).sub_event_type == "Arrests"
    assert _best("Houthi militants detained five journalists in Sanaa.", lexicon).sub_event_type == \
        "Abduction/forced disappearance"


def test_classify_labour_strike_is_not_air_strike(lexicon):
    best = _best("Dock workers went on strike for a third day over unpaid wages.", lexicon)
    assert best.event_type == "Protests"


def test_incident_signal_separates_incident_sentences(lexicon):
    assert incident_signal(_seed_sentence("000", "Members of ISIS shot dead the young man"), lexicon) >= 0.7
    assert incident_signal("Reporting by Hatim Bashar and Ammar Haydar", lexicon) == 0.0
    assert incident_signal("The region, near the border with Iraq, was formerly a stronghold.", lexicon) < 0.5


@pytest.mark.parametrize("text, sub_event_type", [
    ("Rebel forces fired grenade launchers at the government positions near the village.",
     "Shelling/artillery/missile attack"),
    ("Residents blocked the main road with burning tyres to denounce water cuts.", "Violent demonstration"),
    ("Villagers pelted stones at police officers who were enforcing the curfew.", "Mob violence"),
    ("Dozens of activists protested outside the court against the detention of youths accused of rioting.",
     "Peaceful protest"),
    ("The air force targeted militant positions near the town overnight.", "Air/drone strike"),
    ("Gunmen opened fire on worshippers leaving the mosque after Friday prayers.", "Attack"),
    ("Militants took control of the town after government troops withdrew from it.",
     "Non-violent transfer of territory"),
])
def test_classify_codebook_wording_classes(lexicon, text, sub_event_type):
    assert _best(text, lexicon).sub_event_type == sub_event_type


@pytest.mark.parametrize("text", [
    "Rebel forces fired grenade launchers at the government positions near the village.",
    "Residents blocked the main road with burning tyres to denounce water cuts.",
    "Police arrested five suspected militants in a raid.",
])
def test_incident_signal_passes_what_the_classifier_types(lexicon, text):
    assert classify_incident(text, lexicon)
    assert incident_signal(text, lexicon) >= 0.5


def test_classify_gate_cache_matches_lexicon(lexicon):
    """The derived prefix cache (tools/build_event_gates.py) agrees with the patterns it serves."""
    from eventwire.stages.event_lexicon import pattern_gate
    for g in lexicon.patterns[::7]:
        body = g.source[len(r"(?<!\w)(?:"):-len(r")(?!\w)")]
        derived = pattern_gate(body)
        assert g.gate == (None if derived is None else frozenset(derived))


@pytest.mark.parametrize("text, sub_event_type", [
    # a concrete act with victims is reported, even when its author is only attributed
    ("Three farmers were killed in an attack blamed on bandits near the village on Sunday.", "Attack"),
    ("Two soldiers were killed in an ambush attributed to Islamist militants outside the town.", "Armed clash"),
    # retaking a place, with or without the hyphen
    ("The army re-captured the district headquarters a week after insurgents overran it.",
     "Government regains territory"),
    ("Government troops re-took the port town after two days of fighting.", "Government regains territory"),
    # protests held as motorcades, human chains, pot-banging, gatherings with demands
    ("Taxi drivers held a motorcade through the city centre to demand fuel subsidies.", "Peaceful protest"),
    ("Opposition supporters formed a human chain along the main avenue.", "Peaceful protest"),
    ("Residents banged pots and pans from their balconies during the president's speech.", "Peaceful protest"),
    ("Dozens of nurses gathered outside the regional hospital, demanding unpaid wages.", "Peaceful protest"),
    ("Police dispersed hundreds of stranded workers who gathered on the bridge demanding transport home.",
     "Protest with intervention"),
    # bodies and remains found with signs of violence
    ("The body of a young man was found on Tuesday on the edge of the town with his hands tied.", "Attack"),
    ("Human remains were found in plastic bags dumped beside the highway.", "Attack"),
    ("Gunmen shot at a passing ambulance on the coastal road, witnesses said.", "Attack"),
    # shelling wording
    ("Shells fired by the rebels hit the airport, damaging two aircraft and a fuel tank.",
     "Shelling/artillery/missile attack"),
    ("An artillery shell fired by the army landed in a residential street.", "Shelling/artillery/missile attack"),
    ("Pro-government forces fired heavy and medium weapons at the village overnight.",
     "Shelling/artillery/missile attack"),
    # property destruction, crowds punishing suspects, group changes, security measures
    ("Settlers uprooted dozens of olive trees on farmland near the village.", "Looting/property destruction"),
    ("Armed herders stole 40 cows from a ranch near the town.", "Looting/property destruction"),
    ("Angry residents beat and set alight two suspected thieves at the market.", "Mob violence"),
    ("Twenty policemen and soldiers joined the Taliban in the district, officials said.", "Change to group/activity"),
    ("The governor imposed a three-day curfew on the city after the unrest.", "Change to group/activity"),
    ("The governor's office extended the ban on all forms of marches and sit-ins for another 15 days.",
     "Change to group/activity"),
    ("Border guards fired warning shots into the air to turn back the herders.", "Other"),
    ("The peacekeepers installed a new temporary base in the village to protect displaced families.",
     "Headquarters or base established"),
])
def test_classify_clear_incident_reports(lexicon, text, sub_event_type):
    assert _best(text, lexicon).sub_event_type == sub_event_type
    assert incident_signal(text, lexicon) >= 0.5  # the sentence filter lets it through


@pytest.mark.parametrize("text", [
    "Officials blamed the rebels for the unrest in the province.",
    "The minister said looted funds must be returned to the treasury.",
])
def test_classify_bare_attribution_and_corruption_are_no_event(lexicon, text):
    assert classify_incident(text, lexicon) == []


def test_classify_defied_ban_stays_a_protest(lexicon):
    best = _best("Protesters defied a ban on gatherings and marched to the parliament.", lexicon)
    assert best.sub_event_type == "Peaceful protest"


def test_classify_hyphenated_alliance_is_not_a_protest_leader(lexicon):
    types = classify_incident("US-led air strikes hit the village overnight.", lexicon)
    assert types[0].sub_event_type == "Air/drone strike"
    assert all(t.sub_event_type != "Peaceful protest" for t in types)


@pytest.mark.parametrize("text, sub_event_type", [
    # who took the place: allied auxiliaries fight on the government's side; a group named after
    # "on" or "against" is the target of the operation, not the one who took the town
    ("Government troops and allied tribal fighters seized the hilltop village on Monday.",
     "Government regains territory"),
    ("Soldiers and pro-government militias took control of the crossing after a week of fighting.",
     "Government regains territory"),
    ("Police in an offensive against Boko Haram militants recaptured the district headquarters.",
     "Government regains territory"),
    ("Rebels captured the border town after government troops were routed.",
     "Non-state actor overtakes territory"),
])
def test_classify_territory_goes_to_the_side_that_took_it(lexicon, text, sub_event_type):
    assert _best(text, lexicon).sub_event_type == sub_event_type


@pytest.mark.parametrize("text, sub_event_type", [
    # the words that name a protest's cause are not police action
    ("Hundreds of nurses marched to the ministry to protest a plan for mass arrests of striking staff.",
     "Peaceful protest"),
    ("Students rallied for a second day over the police car chase that killed a teenager.", "Peaceful protest"),
    # one event per day: a march that mourns protesters shot last week is a protest
    ("Thousands marched through the capital on Friday to honour demonstrators shot dead by soldiers last week.",
     "Peaceful protest"),
    # police action on the day is an intervention or excessive force
    ("Riot police chased protesters through the old town and detained dozens of them.",
     "Protest with intervention"),
    ("Soldiers opened fire on protesters outside the governor's office, killing three.",
     "Excessive force against protesters"),
    ("The march against fuel prices turned violent as youths smashed shop windows.", "Violent demonstration"),
])
def test_classify_protest_intervention_needs_police_action_that_day(lexicon, text, sub_event_type):
    assert _best(text, lexicon).sub_event_type == sub_event_type


@pytest.mark.parametrize("text, sub_event_type", [
    # two armed sides
    ("Troops were locked in a fire exchange with the insurgents for several hours near the dam.",
     "Armed clash"),
    ("Soldiers fended off an attack by militants on their base outside the town.", "Armed clash"),
    ("Militants attacked the defence lines of the army near the river; both sides suffered losses.",
     "Armed clash"),
    ("Unknown gunmen shot and killed a policewoman at a checkpoint in the city centre.", "Armed clash"),
    # one-sided: the gunmen are the subject, not the victims
    ("Gunmen opened fire on a minibus carrying wedding guests on the highway.", "Attack"),
    ("Gunmen opened fire on a small cargo plane as it landed at the airstrip.", "Attack"),
    ("Two people died and were found beside the road with bullet wounds.", "Attack"),
])
def test_classify_clash_needs_two_armed_sides(lexicon, text, sub_event_type):
    assert _best(text, lexicon).sub_event_type == sub_event_type


@pytest.mark.parametrize("text, sub_event_type", [
    # the weapon that wounded the men is named: a grenade, even in a day of clashes
    ("Four policemen were wounded in a grenade explosion near the market during clashes with rebels.",
     "Grenade"),
    # artillery answered by artillery is shelling, not a small-arms battle
    ("The army shelled rebel positions across the border after mortar rounds landed in a village; "
     "the army said it had retaliated in kind.", "Shelling/artillery/missile attack"),
    # strikes on chemical-weapons sites, or in reprisal for a gas attack, are strikes
    ("Warplanes launched air strikes on three chemical weapons facilities near the capital.",
     "Air/drone strike"),
    ("The coalition carried out airstrikes on the militants it accused of a chlorine attack on the town.",
     "Air/drone strike"),
    ("Dozens of people suffocated in a suspected chlorine gas attack on the rebel-held town.",
     "Chemical weapon"),
])
def test_classify_weapon_precedence_in_mixed_reports(lexicon, text, sub_event_type):
    assert _best(text, lexicon).sub_event_type == sub_event_type


def test_classify_ministry_as_source_is_no_diplomacy(lexicon):
    text = "Government troops drove the rebels out of the border district on Sunday, the foreign ministry said."
    assert _best(text, lexicon).sub_event_type == "Government regains territory"
    talks = "The foreign minister held talks with his counterpart about the shelling of border villages."
    assert classify_incident(talks, lexicon) == []
