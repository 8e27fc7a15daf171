"""Reading old releases in today's format, so What changed can compare them.

Format 1 (release 1.0) held one ``sector``, listed each source as a citekey and url (the
page's details in references.bib), had no appraisal, and one evidence type
``reported_figure`` that format 2 splits into ``measured_change`` and ``output_count``.
:func:`to_current` rewrites a format-1 case as format 2 where the meaning is the same and
names the fields it cannot compare. Pure.
"""
from __future__ import annotations

CURRENT_FORMAT = 2
NOT_COMPARABLE_FROM_1 = ("appraisal", "sources")


def to_current(document: dict, data_format: int) -> tuple[dict, tuple[str, ...]]:
    """A case of ``data_format`` in the current format, and the fields that cannot be compared."""
    if data_format >= CURRENT_FORMAT or not isinstance(document, dict):
        return document, ()
    migrated = dict(document)
    if "sector" in migrated and "sectors" not in migrated:
        migrated["sectors"] = [migrated.pop("sector")]
    migrated["sources"] = [{"url": s.get("url")} for s in migrated.get("sources") or []
                           if isinstance(s, dict)]
    migrated.pop("appraisal", None)
    return migrated, NOT_COMPARABLE_FROM_1


def comparable(document: dict, skipped: tuple[str, ...]) -> dict:
    """The document without the fields a comparison has to leave out."""
    return {key: value for key, value in document.items() if key not in skipped}
