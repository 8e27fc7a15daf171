"""Numbers in words, one way everywhere: shares, percentages, counts, intervals."""
from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for k of n (95 % by default)."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def percent(share: float) -> str:
    """A share as a whole percentage with a space before the sign, e.g. ``41 %``. A share that
    is neither none nor all never reads as 0 % or 100 % (737 of 738 is ``>99 %``)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "n/a"
    if 0 < share < 0.005:
        return "<1 %"
    if 0.995 <= share < 1:
        return ">99 %"
    return f"{round(share * 100):d} %"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 case``, ``3 cases``, ``2 countries``."""
    if plural is None:
        if noun.endswith("y") and noun[-2] not in "aeiou":
            plural = noun[:-1] + "ies"
        elif noun.endswith(("s", "sh", "ch", "x")):
            plural = noun + "es"
        else:
            plural = noun + "s"
    many = plural
    return f"{n} {noun if n == 1 else many}"


def share_text(k: int, n: int, noun: str = "cases") -> str:
    """``9 of 22 cases (41 %)``: the count first, the share after."""
    return f"{int(k)} of {int(n)} {noun} ({percent(k / n if n else math.nan)})"


def interval_text(k: int, n: int) -> str:
    """``23–61 %``: the 95 % Wilson interval, read as precision within this collection."""
    low, high = wilson_interval(int(k), int(n))
    if math.isnan(low):
        return "n/a"
    return f"{round(low * 100)}–{round(high * 100)} %"


def share_cell(k: int, n: int) -> str:
    """A table cell: ``41 % (9 of 22)``."""
    return f"{percent(k / n if n else math.nan)} ({int(k)} of {int(n)})"


def points(change: float) -> str:
    """A change in percentage points, signed, to one decimal: ``+4.2`` (63 % to 61 % can be
    -1.2 points, which a whole number would show as -1)."""
    return "" if change is None or (isinstance(change, float) and math.isnan(change)) \
        else f"{change:+.1f}"


def ratio(value: float, digits: int = 2) -> str:
    """A ratio or coefficient such as a lift or kappa: ``1.35``, or ``n/a``."""
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.{digits}f}"
