"""Which sentences become incident mentions, and how mentions group into incidents."""
import datetime as dt

import pytest

from eventwire.records import Article
from eventwire.stages.annotate import split_sentences
from eventwire.pipeline import extract_article as extract_events


def _events(resources, text, published=dt.date(2021, 1, 9)):
    return list(extract_events(Article(id="t", text=text, published=published), resources))


@pytest.mark.parametrize("text", [
    "During the period from January 1 to April 30, ISIS mercenaries launched 177 attacks against North and East Syria.",
    "More than 387,000 people have been killed and millions forced from their homes since Syria's civil war broke out in 2011.",
    "The ISIS new spokesman threatened, yesterday in an audio message, to launch more attacks in the region.",
    "Sleeper cells continue to launch attacks in the vast desert that stretches from Homs to Deir Ezzor.",
    "Western sources say there has been a rise in recent months of ambushes by remnants of ISIS.",
    "US Army Col. Ryan Dillon cited 54 strikes this week in Deir ez-Zor and 15 in Albu Kamal.",
    "Clashes on the ground, rebel fire and regime aerial bombardment have all increased in the city in recent weeks.",
])
def test_incidents_non_events_give_no_event(resources, text):
    assert _events(resources, text) == []


def test_incidents_event_word_before_a_threat_cue_stays_an_event(resources):
    text = "On Friday, hundreds of workers protested outside the factory in Aleppo, warning that they would strike."
    (event,) = _events(resources, text)
    assert event.event_type == "Protests" and event.event_date == "2021-01-08"


def test_incidents_observer_count_on_one_day_is_one_event(resources):
    text = "On 7 May 2020, the OSCE SMM recorded 12 explosions of unknown weapons near Donetsk Airport."
    (event,) = _events(resources, text, None)
    assert event.event_date == "2020-05-07"


def test_incidents_tally_sentence_sets_the_toll(resources):
    text = ("On 8 May 2020, armed men shot the passengers of a car in Santa Fe, Ocotepeque. Three men were killed "
            "while six passengers were injured. A fourth victim died in hospital. 4 fatalities.")
    (event,) = _events(resources, text, None)
    assert event.fatalities == 4 and event.injuries == 6


def test_incidents_related_story_block_is_page_furniture(resources):
    text = ("On Monday, a car bomb killed five people in Azaz, the Syrian Observatory said. Related News Suicide "
            "bomber kills 40 in Damascus market.")
    (event,) = _events(resources, text)
    assert event.fatalities == 5


def test_incidents_wire_snippet_without_full_stop_is_not_a_heading(resources):
    (event,) = _events(resources, "Unidentified armed men have gunned down a doctor in northern Baghlan province", None)
    assert event.sub_event_type == "Attack" and event.fatalities == 1


def test_incidents_region_and_town_telling_of_one_attack_is_one_event(resources):
    text = ("On Tuesday, a suspected gas attack killed at least 58 people in Idlib province, the Observatory said. "
            "Rescue workers said the bodies were taken to clinics in nearby towns. "
            "Aid groups said hospitals had run out of supplies and that doctors were overwhelmed. "
            "On Tuesday morning, warplanes dropped chemical bombs on the town of Khan Sheikhoun, killing 58 civilians.")
    events = _events(resources, text, dt.date(2017, 4, 4))
    assert len(events) == 1
    (event,) = events
    assert event.sub_event_type == "Chemical weapon" and event.fatalities == 58
    assert len(event.sources[0].spans) >= 2


def test_incidents_undated_commentary_in_a_dated_article_is_dropped(resources):
    text = ("On Monday, a car bomb killed five people in Azaz, the Syrian Observatory said. "
            "Local officials spoke to reporters. The town has seen many displaced families arrive. "
            "Most of the hospitals in the province are now overflowing with the wounded, a doctor said.")
    events = _events(resources, text)
    assert [e.fatalities for e in events] == [5]


def test_incidents_comparison_with_the_war_is_not_a_war_total(resources):
    text = ("Dozens of people have been killed in Syria's northern Idlib province on Tuesday in a suspected "
            "chemical attack that has been described as among the worst in the country's six-year war.")
    (event,) = _events(resources, text, dt.date(2017, 4, 4))
    assert event.sub_event_type == "Chemical weapon" and event.event_date == "2017-04-04"


def test_incidents_undated_town_telling_merges_with_the_dated_region_one(resources):
    text = ("Dozens of people were killed in Idlib province on Tuesday in a suspected chemical attack, "
            "the Observatory said, putting the toll at 58. "
            "The town's residents described panic in the streets. Doctors asked for more oxygen. "
            "Activists said planes fired missiles carrying poisonous gases on the town of Khan Sheikhoun, "
            "killing dozens of people, many of them women and children.")
    events = _events(resources, text, dt.date(2017, 4, 4))
    chemical = [e for e in events if e.sub_event_type == "Chemical weapon"]
    assert len(chemical) == 1 and chemical[0].fatalities == 58


def test_incidents_takeover_told_as_withdrawal_is_one_event(resources):
    text = ("Heavily armed al-Shabaab militants have taken control of Af-Urur, a strategic village south of "
            "Bossaso town. The militants seized the area following the withdrawal of Puntland forces.")
    events = _events(resources, text, None)
    assert len(events) == 1 and events[0].sub_event_type == "Non-violent transfer of territory"


def test_incidents_warning_shots_are_no_threat(resources):
    text = ("On Monday, residents clashed with police officers over the distribution of food aid in Kaduna. "
            "Police fired warning shots to disperse the crowd.")
    events = _events(resources, text)
    assert len(events) == 1 and events[0].event_type in ("Riots", "Protests")


def test_incidents_plural_strikes_that_hit_a_place_are_an_incident(resources):
    (event,) = _events(resources, "As reported on Friday, army airstrikes hit a compound in Garmsir district, Helmand.",
                       None)
    assert event.sub_event_type == "Air/drone strike"


def test_incidents_sit_in_since_the_start_of_a_crisis_is_one_incident(resources):
    text = ("On 6 May 2020, parents staged a sit-in outside a school in Tangier, denouncing fees charged "
            "since the start of the outbreak.")
    (event,) = _events(resources, text, None)
    assert event.sub_event_type == "Peaceful protest" and event.event_date == "2020-05-06"


def test_incidents_warning_shots_after_a_clash_are_part_of_it(resources):
    text = ("On 4 May 2020, villagers clashed with border police near the crossing in Jhapa. "
            "The police fired warning shots to bring the crowd under control.")
    events = _events(resources, text, None)
    assert len(events) == 1 and events[0].sub_event_type != "Other"


def test_incidents_running_total_after_the_lead_is_background(resources):
    text = ("On Thursday, shelling killed four civilians in the town of Saraqeb, the Observatory said. "
            "Rescue teams pulled survivors from the rubble of two homes. "
            "More than 90 civilians have been killed in the province since the offensive began in March, it said.")
    events = _events(resources, text, dt.date(2019, 6, 7))
    assert [e.fatalities for e in events] == [4]


def test_incidents_running_total_in_the_lead_is_the_report(resources):
    text = ("At least 60 militants have been killed since Sunday in fighting with Kurdish forces near Tal Tamr, "
            "a monitor said on Tuesday.")
    (event,) = _events(resources, text, dt.date(2015, 3, 3))
    assert event.fatalities == 60


@pytest.mark.parametrize("background", [
    "A month of fighting around the town of Mayadin has killed nearly 200 fighters, the monitor says.",
    "Government jets have stepped up air strikes on Maarat al-Numan in recent days, killing at least 40 people.",
    "Over the past two weeks, at least 75 people have died in the besieged town of Daraya.",
])
def test_incidents_totals_over_a_period_do_not_outweigh_the_news(resources, background):
    text = ("On Monday, a roadside bomb killed three soldiers near Palmyra, state media said. "
            "The army sent reinforcements to the area. " + background)
    events = _events(resources, text, dt.date(2016, 5, 10))
    assert max(e.fatalities for e in events) == 3 and {e.admin1 for e in events} == {"Homs"}


def test_incidents_incident_placed_only_by_its_month_is_recalled_history(resources):
    text = ("Two people were killed on Saturday when a car bomb exploded at a checkpoint in Azaz, activists said. "
            "The blast damaged several shops. "
            "In March, a suicide bombing at a market in Jarablus left 40 people dead.")
    events = _events(resources, text, dt.date(2016, 6, 12))
    assert [e.fatalities for e in events] == [2] and events[0].event_date == "2016-06-11"


def test_incidents_undated_toll_near_a_recalled_incident_stays_with_the_news(resources):
    text = ("On Wednesday, rebels launched an assault on government positions in western Aleppo. "
            "Six civilians were killed and dozens wounded, the monitor said. "
            "Last month the army repelled a similar push into the district.")
    events = _events(resources, text, dt.date(2015, 7, 2))
    assert max(e.fatalities for e in events) == 6 and all(e.event_date >= "2015-07-01" for e in events)


def test_incidents_earlier_incident_recalled_after_comes_gives_no_toll_or_place(resources):
    text = ("On Friday, militants stormed an army post near Tadmur, the monitor said. "
            "The assault comes less than two weeks after the group killed 150 guards at a gas field in Hasakeh.")
    events = _events(resources, text, dt.date(2014, 7, 5))
    assert all(e.fatalities < 150 for e in events)
    assert all(e.admin1 != "Al-Hasakeh" for e in events)


def test_incidents_recalled_incident_with_its_own_day_keeps_it(resources):
    text = ("On Friday, a suicide bomber struck a market in Homs, wounding 12 people. "
            "Friday's attack came after a truck bomb killed at least 30 people on Tuesday in the city of Hama.")
    events = _events(resources, text, dt.date(2014, 5, 3))
    recalled = [e for e in events if e.fatalities == 30]
    assert len(recalled) == 1 and recalled[0].event_date == "2014-04-29"


def test_incidents_toll_of_an_earlier_incident_days_before_is_not_today_s(resources):
    text = "Gunmen shot dead two policemen in Arish on Sunday, three days after a car bomb killed 11 soldiers in Rafah."
    (event,) = _events(resources, text, dt.date(2017, 6, 11))
    assert event.fatalities == 2


def test_incidents_page_widget_before_the_lead_is_cut_not_the_lead(resources):
    text = "14.03.2017Get short URL 0 41 Five civilians were killed in an airstrike on the town of Maarat al-Numan on Tuesday."
    (event,) = _events(resources, text, dt.date(2017, 3, 14))
    assert event.fatalities == 5 and event.admin1 == "Idleb"


def test_a_toll_since_a_campaign_began_is_a_period_statistic_even_in_the_lead(resources):
    # Invented: the figure runs from the start of an offensive, not from one incident; the
    # fighting of the day is still news, without the period's toll.
    from eventwire.pipeline import extract
    from eventwire.records import Article, Event
    article = Article("period-1", "The army said on Saturday that 6,000 militants had been killed on "
                      "this front since the offensive began. Fighting continued near the town of Al-Bab.",
                      outlet="Test", published=dt.date(2017, 3, 4))
    events = [e for e in extract([article], resources) if isinstance(e, Event)]
    assert all((e.fatalities or 0) < 6000 for e in events)


@pytest.mark.parametrize("text", [
    "Islamic State said it killed 30 Syrian soldiers in an attack near Palmyra on Friday, but the army denied any losses.",
    "The militia claimed to have killed 12 fighters near Manbij on Friday, a claim the SDF rejected.",
])
def test_a_denied_toll_counts_zero(resources, text):
    from eventwire.pipeline import extract
    from eventwire.records import Article, Event
    article = Article("denial-1", text, outlet="Test", published=dt.date(2017, 3, 4))
    events = [e for e in extract([article], resources) if isinstance(e, Event)]
    assert events and all(e.fatalities == 0 for e in events)


def test_a_denied_toll_confirmed_by_another_sentence_counts(resources):
    from eventwire.pipeline import extract
    from eventwire.records import Article, Event
    article = Article("denial-2", "Islamic State said it killed 30 Syrian soldiers in an attack near Palmyra "
                      "on Friday, but the army denied any losses. A monitor said on Saturday that 18 soldiers "
                      "were killed in the attack near Palmyra.", outlet="Test", published=dt.date(2017, 3, 4))
    events = [e for e in extract([article], resources) if isinstance(e, Event)]
    assert [e.fatalities for e in events][:1] == [18]


def test_a_toll_not_denied_still_counts(resources):
    from eventwire.pipeline import extract
    from eventwire.records import Article, Event
    article = Article("denial-3", "The group's news agency said that 16 civilians were killed in raids near Manbij "
                      "on Friday, and a coalition source did not deny that strikes were carried out.",
                      outlet="Test", published=dt.date(2017, 3, 4))
    events = [e for e in extract([article], resources) if isinstance(e, Event)]
    assert [e.fatalities for e in events][:1] == [16]


@pytest.mark.parametrize("text", [
    # invented, in the shape of period statistics: none is one incident's toll
    "A rights group said on Wednesday that coalition strikes in the east have killed 649 civilians since September 2014.",
    "The commander claimed on Friday that at least 6,000 militants have been killed on this front.",
    "Over 750 people have so far been killed in the ongoing bombing campaign on the city, a doctor said on Monday.",
])
def test_period_and_front_wide_tolls_are_no_incident(resources, text):
    from eventwire.pipeline import extract
    from eventwire.records import Article, Event
    article = Article("period-2", text, outlet="Test", published=dt.date(2016, 12, 3))
    events = [e for e in extract([article], resources) if isinstance(e, Event)]
    assert all((e.fatalities or 0) < 600 for e in events)


def test_the_worst_attack_since_a_year_is_still_an_incident(resources):
    from eventwire.pipeline import extract
    from eventwire.records import Article, Event
    article = Article("period-3", "An air strike killed 12 people in the town of Saraqeb on Friday, the deadliest "
                      "since 2014.", outlet="Test", published=dt.date(2016, 12, 3))
    events = [e for e in extract([article], resources) if isinstance(e, Event)]
    assert [e.fatalities for e in events] == [12]


# invented sentences: an incident is its kind, place, day and actors (issue 12)
def test_a_different_pair_of_sides_in_the_same_town_that_day_is_another_incident(resources):
    text = ("Islamic State fighters attacked a Syrian Democratic Forces post in Manbij on Monday, killing four. "
            "On Monday, Russian jets struck Free Syrian Army positions in Manbij, killing six.")
    events = sorted(_events(resources, text, dt.date(2016, 5, 10)), key=lambda e: e.fatalities)
    assert [(e.fatalities, e.event_date) for e in events] == [(4, "2016-05-09"), (6, "2016-05-09")]
    assert "Islamic State" in events[0].actor1 and "Russia" in events[1].actor1


def test_a_sentence_sharing_a_side_with_the_incident_tells_more_of_it(resources):
    text = ("Islamic State fighters attacked a Syrian Democratic Forces post in Manbij on Monday, killing four. "
            "The SDF said on Monday it killed six Islamic State attackers in Manbij.")
    (event,) = _events(resources, text, dt.date(2016, 5, 10))
    assert event.event_date == "2016-05-09" and "Islamic State" in event.actor1


def test_a_recalled_incident_with_its_own_date_is_its_own_event_on_that_date(resources):
    text = ("Twin car bombs killed 14 people at a market in Qamishli on Tuesday, the monitor said. "
            "On October 13 a suicide bomber killed 30 people at a wedding hall near Hasakah. "
            "Rescuers were still searching the rubble of the market on Wednesday.")
    events = _events(resources, text, dt.date(2016, 10, 26))
    by_toll = {e.fatalities: e for e in events}
    assert by_toll[14].event_date == "2016-10-25"
    assert by_toll[30].event_date == "2016-10-13"


def test_a_related_stories_block_after_the_view_counter_is_page_furniture(resources):
    # invented, in the shape of a wire page: the story, then its counter and related headlines
    text = ("Daesh mortar shells killed three civilians in the Jorah district of Deir ez-Zor on Tuesday. "
            "The army said the attackers fled east. ... 55 Related US-Led Coalition Airstrikes Kill 40 Civilians "
            "in Raqqa Syrian Army Retakes Village Near Palmyra.")
    (event,) = _events(resources, text, dt.date(2017, 10, 4))
    assert event.fatalities == 3 and event.actor1 == "Islamic State (Syria)"  # not the related headline's coalition


def test_a_toll_told_without_a_number_gives_way_to_the_report_s_figure(resources):
    # invented: the headline counts the dead, the dated lead only says "many"
    text = ("Army kills 30 militants north of Aleppo. "
            "Army units pressed on Monday their assault on militant positions north of Aleppo, killing many of them.")
    events = _events(resources, text, dt.date(2016, 3, 22))
    assert max(e.fatalities for e in events) == 30


def test_one_incident_told_twice_with_one_toll_is_one_event_on_the_earlier_day(resources):
    # invented, in the shape of a page whose publication line runs into its lead
    text = ("Date of publication 16 September 2016 Air raids on a market in the town of Mayadin killed nine children "
            "and 14 others, activists said. Missile strikes on the market in Mayadin killed 23 civilians on Thursday, "
            "activists reported on Friday morning.")
    (event,) = _events(resources, text, dt.date(2016, 9, 16))
    assert (event.fatalities, event.event_date) == (23, "2016-09-15")


def test_two_incidents_with_one_toll_in_two_towns_stay_two(resources):
    text = ("A car bomb killed 12 people at a market in Azaz on Thursday, a monitor said. "
            "On Thursday a car bomb also killed 12 people in Manbij, the monitor said.")
    events = _events(resources, text, dt.date(2016, 9, 16))
    assert sorted(e.location for e in events) == sorted({e.location for e in events}) and len(events) == 2
