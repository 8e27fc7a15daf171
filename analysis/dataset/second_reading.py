"""Second reading: a reader other than the coder checks each coded value against its locator.

A check record names the value's fingerprint: a short hash of the value as it stood when
checked (code, basis, note, locator and, for factors and outcomes, direction, evidence and
kind). A value counts as checked only while a confirming or correcting record carries its
current fingerprint; change the value afterwards and the check goes stale. Pure functions.
"""
from __future__ import annotations

import hashlib
import json

KINDS = ("roles", "factors", "outcomes")
CHECKED = ("confirmed", "corrected")


def fingerprint(value: dict) -> str:
    """A 12-character hash of a coded value, stable across key order and YAML layout."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def coded_values(document: dict) -> list[tuple[str, str, str, dict]]:
    """Every coded value of a case as (path, kind, code, value), e.g. ('roles[0]', 'roles', ...)."""
    out = []
    for kind in KINDS:
        for i, value in enumerate(document.get(kind) or []):
            if isinstance(value, dict):
                out.append((f"{kind}[{i}]", kind, str(value.get("code")), value))
    return out


def reading_status(document: dict, reading: dict | None) -> list[dict]:
    """One row per current value: its status (confirmed, corrected, stale, not yet checked),
    and who checked it when."""
    records = (reading or {}).get("checks") or []
    by_print = {r["fingerprint"]: r for r in records if r.get("verdict") in CHECKED}
    by_path = {(r["value"], r["code"]) for r in records if r.get("verdict") in CHECKED}
    rows = []
    for path, kind, code, value in coded_values(document):
        print_ = fingerprint(value)
        record = by_print.get(print_)
        if record:
            status = record["verdict"]
        elif (path, code) in by_path:
            status = "stale"
        else:
            status = "not yet checked"
        rows.append({"case_id": document.get("id"), "value": path, "kind": kind, "code": code,
                     "fingerprint": print_, "status": status,
                     "reader": record["reader"] if record else "",
                     "date": record["date"] if record else ""})
    return rows


def removals(reading: dict | None) -> list[dict]:
    """The values a second reader took out of the case."""
    return [r for r in (reading or {}).get("checks") or [] if r.get("verdict") == "removed"]


def reading_template(document: dict, reader: str, date: str) -> str:
    """A second-reading file for a case, one record per value, verdicts left to fill in."""
    lines = [f"# Second reading of {document.get('id')}: open each locator, then set each verdict",
             "# (confirmed, corrected or removed) and a one-line reason. See CONTRIBUTING.md.",
             f"case: {document.get('id')}", "checks:"]
    for path, _kind, code, value in coded_values(document):
        lines += [f"  - value: {path}", f"    code: {code}",
                  f'    fingerprint: "{fingerprint(value)}"', "    verdict:        # confirmed, "
                  "corrected or removed", '    reason: ""', f"    reader: {json.dumps(reader)}",
                  f"    date: {date}"]
    return "\n".join(lines) + "\n"
