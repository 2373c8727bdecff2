"""Gazetteer: spelling-proof keys, lookups on the packaged asset, toponym spotting, user places."""
from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.gazetteer import find_mentions, fold_key, skeleton_key
from eventwire.place_overlay import merge_places
from eventwire.resources import load_gazetteer

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gazetteer"
DATA = Path(__file__).resolve().parent.parent / "eventwire" / "data"


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    return load_gazetteer(overlay=str(tmp_path_factory.mktemp("none") / "places.tsv"))


@pytest.mark.parametrize("a,b", [
    ("Deir ez-Zor", "Deir Ezzor"), ("Deir ez-Zor", "Dayr Az Zawr"), ("Deir ez-Zor", "Deir al-Zour"),
    ("Qamishlo", "Qamishli"), ("Muhaimida", "Mhemideh"), ("Atmeh", "Atma"),
    ("Al-Shola", "Ash Shula"), ("al-Busira", "Basira"),
])
def test_gazetteer_skeleton_key_merges_transliterations(a, b):
    assert skeleton_key(a) == skeleton_key(b)


def test_gazetteer_fold_key_strips_articles_diacritics_and_hyphens():
    assert fold_key("Ar-Raqqah") == fold_key("al Raqqa") == fold_key("Raqqa")
    assert fold_key("Ālbū Kamāl") == fold_key("Albu Kamal")


@pytest.mark.parametrize("spelling", [
    "Deir ez-Zor", "Deir Ezzor", "Dayr Az Zawr", "Deir al-Zour", "دير الزور"])
def test_gazetteer_lookup_finds_deir_ez_zor_in_every_spelling(gaz, spelling):
    found = [p for p in gaz.by_name(spelling) if p.cc == "SY"]
    assert found and all(p.admin1 == "Deir-ez-Zor" for p in found)


@pytest.mark.parametrize("a,b", [
    ("al-Busira", "Al Busayrah"), ("Albu Kamal", "Al-Bukamal"), ("Serêkaniyê", "Ras al-Ayn"),
    ("Girê Spi", "Tell Abyad"), ("Qamishlo", "Qamishli"), ("Atmeh", "Atma"),
    ("Al-Shola", "Ash Shula"), ("Muhaimida", "Mhemideh"), ("Abu Kamal", "Albu Kamal"),
])
def test_gazetteer_variants_reach_the_same_syrian_place(gaz, a, b):
    ids_a = {p.id for p in gaz.by_name(a) if p.cc == "SY"}
    ids_b = {p.id for p in gaz.by_name(b) if p.cc == "SY"}
    assert ids_a & ids_b


def test_gazetteer_acled_admin1_spellings_for_syria_and_iraq(gaz):
    names = set(gaz.admin1.values())
    for n in ("Deir-ez-Zor", "Ar-Raqqa", "Al-Hasakeh", "Idleb", "Rural Damascus", "Damascus",
              "As-Sweida", "Dar'a", "Ninewa", "Sala al-Din", "Thi-Qar", "Babylon", "Missan",
              "Basrah", "Dahuk", "Qadissiya", "Wassit"):
        assert n in names


def _acled_admin1_examples():
    rows = (DATA / "acled_admin1.tsv").read_text("utf-8").splitlines()
    return [r.split("\t") for r in rows if r and not r.startswith("#")][1:]


@pytest.mark.parametrize("cc, spelling, acled, example", _acled_admin1_examples())
def test_gazetteer_places_carry_acled_admin1_spelling(gaz, cc, spelling, acled, example):
    from eventwire.records import Article
    from eventwire.stages.places import resolve_place
    place = resolve_place(Article(id="a1", text=example), [(0, len(example))], gaz)
    assert place.admin1 == acled


def test_gazetteer_mentions_skip_stopwords_and_acronyms(gaz):
    text = "On 5 May 2020, GNA forces clashed with LNA fighters in Msallata. Police said Three died."
    surfaces = [m.surface for m in find_mentions(text, gaz)]
    assert surfaces == ["Msallata"]


def test_gazetteer_mentions_keep_lowercase_article_and_multiword_names(gaz):
    text = "ISIS shot a man in the town of al-Busira in the eastern Deir ez-Zor countryside."
    surfaces = [m.surface for m in find_mentions(text, gaz)]
    assert surfaces == ["al-Busira", "Deir ez-Zor"]


def _counts(stats: dict) -> dict:
    return {k: stats[k] for k in ("read", "added", "updated")}


def test_gazetteer_add_merges_geonames_dump(tmp_path):
    overlay = tmp_path / "places.tsv"
    stats = merge_places(overlay, FIXTURES / "SY.txt")
    # the wadi (H.WAD) is a kind of place a conflict needs: a named point
    assert _counts(stats) == {"read": 2, "added": 2, "updated": 0} and not stats["errors"]
    gaz = load_gazetteer(overlay=str(overlay))
    hits = gaz.by_name("Al-Jurdi al-Sharqi")
    assert hits and hits[0].admin1 == "Deir-ez-Zor" and abs(hits[0].lat - 34.98) < 1e-6
    assert gaz.by_name("الجردي الشرقي")
    assert gaz.by_name("Wadi Example Stream")[0].kind == "P"
    assert _counts(merge_places(overlay, FIXTURES / "SY.txt")) == {"read": 2, "added": 0, "updated": 2}


def test_gazetteer_add_merges_analyst_csv(tmp_path):
    overlay = tmp_path / "places.tsv"
    merge_places(overlay, FIXTURES / "SY.txt")
    stats = merge_places(overlay, FIXTURES / "analyst.csv")
    assert stats["added"] == 1
    gaz = load_gazetteer(overlay=str(overlay))
    assert gaz.by_name("Til Hemis Farms")[0].admin1 == "Al-Hasakeh"
    assert gaz.by_name("Jurdi Sharqi")  # the earlier GeoNames row survives the second merge


def test_gazetteer_add_reports_bad_rows_by_line_and_keeps_the_rest(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,latitude,longitude,cc\nGood One,35.1,40.2,SY\nNowhere,95,40,SY\n"
                   "Short,35\nGood Two,35.2,40.3,SY\n", encoding="utf-8")
    stats = merge_places(tmp_path / "places.tsv", bad)
    assert stats["errors"] == ["bad.csv:3: bad coordinates '95', '40'",
                               "bad.csv:4: 2 columns, the header has 4"]
    assert stats["added"] == 2


def test_gazetteer_add_rejects_a_file_of_unknown_format(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("just some words\nmore words\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.txt:1: unknown format"):
        merge_places(tmp_path / "places.tsv", bad)


def test_gazetteer_add_places_a_village_without_coordinates_on_its_sub_district_seat(tmp_path):
    # OCHA's communities carry admin1-3 but no coordinates: an unknown village sits on the
    # seat town of its sub-district, at district precision
    rows = tmp_path / "communities.tsv"
    rows.write_text("name\talt_names\tcountry\tadmin1\tadmin2\tadmin3\tlatitude\tlongitude\n"
                    "Umm Example\tأم المثال\tSY\tAl-Hasakeh\tRas Al Ain\tRas Al Ain\t\t\n"
                    "Tall Tamr\t\tSY\tAl-Hasakeh\tAl-Hasakeh\tTal Tamer\t\t\n"
                    "Nowhere Known\t\tSY\tAl-Hasakeh\tNo District\tNo Subdistrict\t\t\n",
                    encoding="utf-8")
    stats = merge_places(tmp_path / "places.tsv", rows)
    assert stats["added"] == 2 and stats["unplaced"] == 1 and not stats["errors"]
    gaz = load_gazetteer(overlay=str(tmp_path / "places.tsv"))
    village = gaz.by_name("أم المثال")[0]
    seat = [p for p in gaz.by_name("Ras al-Ain") if p.kind == "P" and p.cc == "SY"][0]
    assert village.seated and (village.lat, village.lon) == (seat.lat, seat.lon)
    town = [p for p in gaz.by_name("Tall Tamr") if p.id.startswith("user:")][0]
    assert not town.seated  # a known town keeps its own point


def test_gazetteer_cli_add_writes_overlay(tmp_path):
    from click.testing import CliRunner
    from eventwire.cli import main
    out = tmp_path / "p.tsv"
    res = CliRunner().invoke(main, ["gazetteer", "add", str(FIXTURES / "analyst.csv"),
                                    "--to", str(out)])
    assert res.exit_code == 0, res.output
    assert '"added": 1' in res.output and '"errors": 0' in res.output and "Tal Hamis Farms" in out.read_text(encoding="utf-8")


def test_gazetteer_romance_connectors_join_multiword_names(gaz):
    text = "In Rio de Janeiro and in Santa Cruz de la Sierra, police said."
    surfaces = [m.surface for m in find_mentions(text, gaz)]
    assert "Rio de Janeiro" in surfaces and "Janeiro" not in surfaces
    assert "Santa Cruz de la Sierra" in surfaces


def test_gazetteer_districts_are_indexed_as_second_level_units(gaz):
    pulwama = [p for p in gaz.by_name("Pulwama") if p.kind == "A2"]
    assert pulwama and pulwama[0].admin1 == "Jammu and Kashmir" and pulwama[0].cc == "IN"


@pytest.mark.parametrize("name,cc,admin1", [
    ("Bunia", "CD", "Ituri"), ("Lubumbashi", "CD", "Haut-Katanga"), ("Gulu", "UG", "Gulu"),
    ("General Santos", "PH", "Soccsksargen"), ("Marawi", "PH",
                                               "Bangsamoro Autonomous Region in Muslim Mindanao"),
    ("Belgrade", "RS", "Belgrade"), ("Novi Sad", "RS", "Vojvodina"),
    ("Casablanca", "MA", "Casablanca-Settat"), ("Omsk", "RU", "Omsk Oblast"),
])
def test_gazetteer_admin1_follows_current_first_level_units(gaz, name, cc, admin1):
    towns = [p for p in gaz.by_name(name) if p.cc == cc and p.kind == "P"]
    assert max(towns, key=lambda p: p.population).admin1 == admin1


def test_gazetteer_nationality_words_are_not_toponyms(gaz):
    text = "Saudi forces fired on the Barangay hall."
    assert find_mentions(text, gaz) == []


def test_gazetteer_codes_and_clipped_alternates_are_not_names(gaz):
    # GeoNames lists "ABB" (Asaba's airport), "Pier" (Pierre) and "DAY" (Dayton's airport)
    text = ("On 1 May, workers marched from Pier 15 on Labor Day in Manila. "
            "7 Taliban militants were killed in Ab Band district, Ghazni.")
    surfaces = {m.surface for m in find_mentions(text, gaz)}
    assert not surfaces & {"Pier", "Labor", "Day", "Ab"}
    assert {"Manila", "Ghazni"} <= surfaces


def test_gazetteer_common_word_names_survive_for_sizeable_places(gaz):
    assert any(p.cc == "FR" for p in gaz.by_name("Nice"))
    assert any(p.cc == "IQ" for p in gaz.by_name("Mosul"))
    assert any(p.cc == "LB" for p in gaz.by_name("Tyr"))  # three letters, but Tyre is a city
    assert not any(p.cc == "US" for p in gaz.by_name("Pier"))


@pytest.mark.parametrize("name,cc,admin1", [
    ("Ab Band", "AF", "Ghazni"), ("Sholgara", "AF", "Balkh"), ("Khogyani", "AF", "Nangarhar"),
    ("Qa'atabah", "YE", "Ad Dali'"), ("Salkhad", "SY", "As-Sweida")])
def test_gazetteer_districts_carry_their_region(gaz, name, cc, admin1):
    found = [p for p in gaz.by_name(name) if p.kind == "A2" and p.cc == cc]
    assert found and found[0].admin1 == admin1


def test_gazetteer_district_without_seat_or_towns_is_coarse(gaz):
    # GeoNames files no Cameroonian town under its departments: Nyong-et-Mfoumou can only sit
    # on its region's main town, and says so (coarse, precision 3)
    nyong = [p for p in gaz.by_name("Nyong-et-Mfoumou") if p.kind == "A2"][0]
    centre = [p for p in gaz.by_name("Centre") if p.kind == "A1" and p.cc == "CM"][0]
    assert nyong.coarse and (nyong.lat, nyong.lon) == (centre.lat, centre.lon)
    assert not any(p.coarse for p in gaz.by_name("Salkhad"))


def test_gazetteer_district_without_seat_sits_among_its_towns(gaz):
    ab_band = [p for p in gaz.by_name("Ab Band") if p.kind == "A2"][0]
    ghazni = [p for p in gaz.by_name("Ghazni") if p.kind == "A1"][0]
    assert not ab_band.coarse and (ab_band.lat, ab_band.lon) != (ghazni.lat, ghazni.lon)


def test_gazetteer_district_names_are_not_bare_county_surnames(gaz):
    assert not [p for p in gaz.by_name("Carter") if p.kind == "A2" and p.cc == "US"]


def test_gazetteer_demonyms_cover_adjectival_country_names(gaz):
    assert gaz.demonyms["Philippine"] == gaz.demonyms["Filipino"] == "PH"
    assert gaz.demonyms["Syrian"] == "SY" and gaz.demonyms["Congolese"] == "CD"
    assert "Djibouti" not in gaz.demonyms  # a place name, never a demonym
    assert len(set(gaz.demonyms.values())) > 180


def test_gazetteer_possessive_ends_a_name():
    gaz = load_gazetteer()
    found = find_mentions("Turkish jets struck Syria's Ghouta region at dawn.", gaz)
    assert [m.surface for m in found] == ["Syria", "Ghouta"] and all(m.exact for m in found)


def test_gazetteer_possessive_without_apostrophe_of_a_famous_place():
    gaz = load_gazetteer()
    found = find_mentions("at dawn shelling hit Aleppos western outskirts; Syrias army replied.", gaz)
    assert [m.surface for m in found] == ["Aleppo", "Syria"]
    # a plural or a small place's name is left alone
    assert [m.surface for m in find_mentions("clashes in Negros Oriental", gaz)][:1] != ["Negro"]


def test_gazetteer_generic_first_word_does_not_stand_for_the_whole_name():
    gaz = load_gazetteer()
    (m,) = find_mentions("Turkish forces shelled Tal Tamer overnight.", gaz)
    assert m.surface == "Tal Tamer" and any(p.name == "Tall Tamr" for p in m.candidates)
    (m,) = find_mentions("A drone struck Jisr Ash-Shugur overnight.", gaz)
    assert m.surface == "Jisr Ash-Shugur" and any(p.cc == "SY" for p in m.candidates)


def test_gazetteer_names_with_lowercase_particles_are_whole_names():
    gaz = load_gazetteer()
    for text, name in (("Gang members fought in Port-au-Prince overnight.", "Port-au-Prince"),
                       ("Doctors protested in Mazar-e Sharif city, Balkh.", "Mazar-e Sharif")):
        assert name in [m.surface for m in find_mentions(text, gaz)]
    assert find_mentions("Fighting was reported and gunmen fled.", gaz) == []


def test_gazetteer_english_words_get_no_spelling_level_guess(gaz):
    # "Around" has the consonants of Arandu, "Civil" of Kavali: English words, not misspellings
    text = "Around 30 April, nurses protested at the Civil Hospital, Ludhiana (Punjab)."
    surfaces = {m.surface for m in find_mentions(text, gaz)}
    assert not surfaces & {"Around", "Civil", "Civil Hospital"}
    assert "Ludhiana" in surfaces


def test_gazetteer_arabic_wa_and_bin_join_a_name(gaz):
    # Yemeni districts are named "X wa Y" ("X and Y"): one name, not two towns
    text = "Coalition jets struck Khabb wa ash Shaaf district and Ar Raydah wa Qusayar district."
    surfaces = [m.surface for m in find_mentions(text, gaz)]
    assert surfaces == ["Khabb wa ash Shaaf", "Ar Raydah wa Qusayar"]
