from eventwire.resources import load_count_reader

_COUNTS = load_count_reader()
count_figures = _COUNTS.count_figures
parse_number = _COUNTS.parse_number
tally = _COUNTS.tally


def test_counts_number_words_and_digits():
    assert parse_number("seven") == 7
    assert parse_number("twenty-five") == 25
    assert parse_number("1,200") == 1200
    assert parse_number("a dozen") == 12
    assert parse_number("dozens") is None


def test_counts_at_least_is_the_figure():
    s = "Islamic State group jihadists killed at least seven regime loyalists in eastern Syria on Saturday (Jan 9)."
    assert count_figures(s).fatalities == 7


def test_counts_list_of_victims_is_summed():
    s = "The ambush late last Sunday resulted in the deaths of eight soldiers, four allied fighters and three civilians."
    assert count_figures(s).fatalities == 15


def test_counts_named_person_plus_others():
    assert count_figures("His assistant and three other ISIS members had been killed on July 16.").fatalities == 4
    s = "Abu Futtum, an ISIS explosives specialist, and one associate were killed in an airstrike July 13 near Mayadin."
    assert count_figures(s).fatalities == 2


def test_counts_single_victim_and_titled_target():
    assert count_figures("Members of ISIS shot dead the young man Na'oom al-Malouh.").fatalities == 1
    assert count_figures("US special forces carried out a raid, killing ISIS emir Abu Ibrahim.").fatalities == 1


def test_counts_casualties_are_not_deaths():
    assert count_figures("A car-bomb exploded at the Sony roundabout, causing several casualties.").fatalities is None


def test_counts_arrests_and_injuries():
    c = count_figures("At least 12 people were killed and 30 others injured in shelling on Douma.")
    assert (c.fatalities, c.injuries) == (12, 30)
    assert count_figures("which resulted in the arrest of 82 people involved in the attacks.").arrests == 82
    assert count_figures("led to the arrest of seven jihadists").arrests == 7


def test_counts_including_subset_not_added():
    assert count_figures("Warplanes killed 15 civilians, including five children, in Idlib.").fatalities == 15


def test_counts_day_of_month_is_not_a_toll():
    c = count_figures("A similar bombing in the same square on July 25 killed at least seven people and wounded more than 60.")
    assert (c.fatalities, c.injuries) == (7, 60)


def test_counts_number_before_injured_is_not_deaths():
    c = count_figures("57 Civilians killed 150 Injured in Continued Terrorist Attacks on Aleppo.")
    assert (c.fatalities, c.injuries) == (57, 150)


def test_counts_ranges_take_the_lower_figure_and_lists_add_up():
    assert count_figures("11-12 Taliban fighters including a commander were killed").fatalities == 11
    assert count_figures("gunmen killed a policeman and a civilian in Rumbek").fatalities == 2
    assert count_figures("at least 4 people (including 1 journalist) as well as 2 policemen were killed").fatalities == 6


def test_counts_tally_sentences():
    assert tally("4 fatalities.") == 4
    assert tally("The death toll rose to 12.") == 12
    assert tally("Three men died and six others were injured.") is None


def test_counts_deaths_without_a_number_follow_acled_defaults():
    assert count_figures("repelled an attack on the base, incurring fatalities").fatalities == 3
    assert count_figures("warplanes pounded the town, killing dozens of people").fatalities == 10


def test_counts_a_stretch_of_time_before_the_victims_is_not_counted():
    assert count_figures("Over the past two weeks, at least 75 people have died in the town.").fatalities == 75
    assert count_figures("A 10-year-old boy and his father were killed in the strike.").fatalities == 2


# invented sentences: a count next to an injury word counts the hurt, never the dead
def test_counts_a_count_of_the_injured_is_not_a_death_toll():
    s = "Rescuers said 19 passengers were hurt and an unknown number of people died after the explosion at the depot."
    assert count_figures(s).fatalities != 19 and count_figures(s).injuries == 19


def test_counts_a_victim_list_does_not_run_across_the_injured():
    # a headline run into its lead, as scraped pages have it
    s = ("Shopkeeper killed 3 injured in rocket attack on Aleppo Residents said one shopkeeper was killed and three "
         "passers-by were injured.")
    assert count_figures(s).fatalities == 1


def test_counts_a_list_item_may_name_a_unit():
    s = ("The ambush caused the deaths of 2 guards from the northern checkpoint of the border brigade and 1 driver "
         "from the relief convoy.")
    assert count_figures(s).fatalities == 3
