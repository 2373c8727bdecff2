"""News and ACLED-style spellings of Syrian and Iraqi conflict places must reach a Syrian or
Iraqi gazetteer entry written out exactly as in the text (no spelling-level guess)."""
from __future__ import annotations

import pytest

from eventwire.gazetteer import find_mentions
from eventwire.resources import load_gazetteer

SPELLINGS = """Kafr Nobol|Ma'arrat An Nu'man|Maarat al-Numan|Mhambal|Al-Bara|Kafr Takharim|Abu Hamam|
Gharanij|Hajin|Al-Shafa|Diban|Theyban|Thiban|Kasra|Al-Busayra|Tayyana|Shheil|Al-Shuhayl|Al-Hol|
Ein Issa|Tal Abiad|Ras Al Ain|Tal Tamer|Abu Rasin|Al-Darbasiyah|Tal Refaat|Menbij|Jarablus|
Al Bab|Afrin|Jinderes|Saraqab|Ariha|Jisr Ash-Shugur|Darkosh|Sarmada|Atareb|Daret Azza|Khan Shaykun|
Khan Sheikhoun|Kafr Zeita|Al-Lataminah|Morek|Qalaat Al Madiq|Sahl Al Ghab|Tafas|Mzeireb|
Jasem|Inkhil|Nawa|Sheikh Maskin|Dael|Busra Esh-Sham|Tseel|Yadudeh|Nasib|Talbiseh|Ar-Rastan|Tadmor|
Sukhneh|Al-Qaryatayn|Duma|Harasta|Ein Terma|Kisweh|Yabroud|Qudsiya|Shahba|Salkhad|Khan Arnaba|
Mayadin|Al-Mayadin|Al Bukamal|Abu Kamal|Al-Quriyah|Muhasan|Al-Kishkiyeh|Sweidan|Dhiban|
Al-Sabha|Al-Suwar|Markada|Al-Shaddadi|Tal Hamis|Qamishli|Amuda|Derik|Al-Malikiyah|Rmeilan|
Jawadiyah|Tabqa|Al-Mansoura|Suluk|Tal Abyad|Kobani|Ain al-Arab|Dabiq|Akhtarin|Azaz|Tel Rifaat|Nubl|
Khan Touman|Al-Hader|Zarbah|Atarib|Kafr Nabl|Kafranbel|Binnish|Taftanaz|Saraqib|
Maarrat Misrin|Harem|Salqin|Armanaz|Jisr al-Shughur|Badama|Jabal al-Zawiya|Jebel Elzawiya|Mosul|
Tal Afar|Sinjar|Baaj|Qayyarah|Hawija|Dibis|Tuz Khurmatu|Samarra|Baiji|Shirqat|Tikrit|Balad|Dujail|
Muqdadiyah|Baqubah|Khanaqin|Jalawla|Saadiya|Mandali|Rutba|Qaim|Haditha|Rawa|Anah|Heet|Fallujah|
Ramadi|Karmah|Abu Ghraib|Tarmiyah|Mahmudiyah|Yusufiyah|Jurf al-Sakhar|Makhmour|Daquq|
Amerli|Eastern Ghouta|Golan Heights"""


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    return load_gazetteer(overlay=str(tmp_path_factory.mktemp("none") / "places.tsv"))


@pytest.mark.parametrize("name", [n.strip() for n in SPELLINGS.split("|")])
def test_gazetteer_syria_iraq_spelling_is_found(gaz, name):
    (mention, *_) = find_mentions(f"fighting was reported in {name} on Monday.", gaz)
    assert mention.surface == name and mention.exact
    assert any(p.cc in ("SY", "IQ") for p in mention.candidates)
