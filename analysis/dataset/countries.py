"""Countries: names from pycountry (ISO 3166-1), regions from country_converter (UN M49).

Regions follow the UN M49 standard as country_converter classifies it: five regions
(Africa, Americas, Asia, Europe, Oceania) and their sub-regions, so Türkiye counts as
Western Asia, not Europe.
"""
from __future__ import annotations

import csv
import functools
import importlib.util
import re
from pathlib import Path

import pycountry

M49_REGION_NAMES = {"America": "Americas"}


@functools.lru_cache(maxsize=1)
def _converter() -> dict[str, dict]:
    """ISO alpha-2 code → M49 continent and sub-region, from country_converter's own table.

    The table is read directly (the package's regex API takes seconds to convert every
    code; loading the table as text also avoids country_converter 1.3.2 misreading
    Namibia's 'NA' as missing under pandas 3). Its ISO2 column holds a code, or a pattern
    such as ``^GB$|^UK$``.
    """
    spec = importlib.util.find_spec("country_converter")
    folder = Path(next(iter(spec.submodule_search_locations)))
    mapping: dict[str, dict] = {}
    with open(folder / "country_data.tsv", encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle, delimiter="\t"), key=lambda r: bool(r["obsolete"]))
    for row in rows:
        codes = re.findall(r"\^([A-Z]{2})\$", row["ISO2"]) if "^" in row["ISO2"] else [row["ISO2"]]
        for code in codes:
            mapping.setdefault(code, {"continent": row["continent"], "UNregion": row["UNregion"]})
    return mapping


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
