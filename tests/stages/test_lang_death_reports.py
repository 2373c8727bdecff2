"""The death-reports pack (bodies found, "the bodies of N"): every entry's invented example goes
through the real counts stage and must yield its expectation; wording that only looks alike
must not."""
import re

import pytest

from eventwire.resources import load_count_reader, load_lang_pack

count_figures = load_count_reader().count_figures

PACK = load_lang_pack("death_reports")
ENTRIES = [pytest.param(e, id=f"{kind}:{e['name']}") for kind in ("one", "figure", "no_number") for e in PACK[kind]]


@pytest.mark.parametrize("entry", ENTRIES)
def test_death_report_example(entry):
    pattern = entry["pattern"].replace("{QUALIFIER}", "").replace("{NUMBER}", r"[\w-]+")
    assert re.search(pattern, entry["example"], re.I), "the example must use its wording"
    assert count_figures(entry["example"]).fatalities == entry["expect"]["deaths"]


def test_deaths_without_a_number_are_marked_vague():
    assert count_figures("An unknown number of guards were killed at the depot.").vague
    assert not count_figures("Three guards were killed at the depot.").vague
    # a denial of deaths is no death
    assert count_figures("The bridge was blown up, but no fatalities were reported.").fatalities is None


def test_a_body_that_is_no_find_is_no_death():
    assert count_figures("The body of the lorry was riddled with bullet holes.").fatalities is None
    assert count_figures("Protesters carried a banner past the governor's office.").fatalities is None


def test_between_two_figures_is_the_lower_one():
    assert count_figures("The blast killed between 14 and 20 traders in the market.").fatalities == 14
    assert count_figures("Gunmen killed between two to four guards at the gate.").fatalities == 2
