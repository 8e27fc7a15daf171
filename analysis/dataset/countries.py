"""Countries: names from pycountry (ISO 3166-1), regions from country_converter (UN M49).

Regions follow the UN M49 standard as country_converter classifies it: five regions
(Africa, Americas, Asia, Europe, Oceania) and their sub-regions, so Türkiye counts as
Western Asia, not Europe.
"""
from __future__ import annotations

import functools

import pycountry

M49_REGION_NAMES = {"America": "Americas"}


@functools.lru_cache(maxsize=1)
def _converter():
    # country_converter 1.3.2 misreads Namibia's code 'NA' as missing under pandas 3 when it
    # loads its own table; loading the same table as text and handing it over avoids that.
    import country_converter as coco
    import pandas as pd
    table = pd.read_csv(coco.country_converter.COUNTRY_DATA_FILE, sep="\t", encoding="utf-8",
                        keep_default_na=False, na_values=[""], dtype=str)
    current = coco.CountryConverter(country_data=table).data  # obsolete countries left out
    return current.drop_duplicates("ISO2").set_index("ISO2")[["continent", "UNregion"]] \
        .to_dict("index")


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code."""
    return isinstance(code, str) and pycountry.countries.get(alpha_2=code) is not None


def country_name(code: str) -> str:
    """The common English name of an ISO 3166-1 alpha-2 code (the code if unknown)."""
    country = pycountry.countries.get(alpha_2=code) if isinstance(code, str) else None
    if country is None:
        return str(code)
    return getattr(country, "common_name", None) or country.name


def suggestion(code: str) -> str | None:
    """An ISO code a mistyped country may have meant ('UK' → 'GB'), with its name."""
    try:
        match = pycountry.countries.lookup({"UK": "GB", "EL": "GR"}.get(code, code))
    except (LookupError, AttributeError):
        return None
    return f"'{match.alpha_2}' for {match.name}"


def region(code: str) -> str:
    """The UN M49 region (Africa, Americas, Asia, Europe, Oceania), or 'unknown'."""
    found = _converter().get(code, {}).get("continent")
    return M49_REGION_NAMES.get(found, found) if found else "unknown"


def subregion(code: str) -> str:
    """The UN M49 sub-region, e.g. 'Western Asia', or 'unknown'."""
    return _converter().get(code, {}).get("UNregion") or "unknown"
