"""One page per case: its coding, evidence notes, second reading, appraisal and sources.

Pure: the body HTML is built from the review with every contributed string escaped
(:mod:`analysis.site.markup`); links are made only from addresses that pass the address
policy. A case page holds nothing about other cases, so its size does not grow with the
number of cases.
"""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pandas as pd

from ..dataset.review import Review
from ..dataset.second_reading import fingerprint
from ..synthesis.formatting import count
from . import markup

STATUS_WORDS = {"confirmed": "confirmed", "corrected": "corrected", "stale": "changed since checked",
                "not yet checked": "not yet checked"}


def _facts(review: Review, case: dict, row: pd.Series, added: str) -> pd.DataFrame:
    codebook = review.codebook
    citizen = codebook.attribute("participant_group", "citizen")
    participants = ", ".join(codebook.label("participant_group", p)
                             + ("" if citizen.get(p) else " (not citizens)")
                             for p in case["participants"])
    return pd.DataFrame([
        ("Country", f"{row['country_name']} ({row['region']}, {row['subregion']})"),
        ("Place", case["place"]),
        ("Sectors", ", ".join(codebook.label("sector", s) for s in case["sectors"])),
        ("Year documented", case["year_documented"] or "undated source"),
        ("Year started", case.get("year_started") or "not stated"),
        ("Lead organisations", "; ".join(case["lead_organisations"])),
        ("Participants", participants),
        ("Level of coproduction", ", ".join(codebook.label("coproduction_level", x)
                                            for x in case["coproduction_levels"])),
        ("Cited by Tu (2022)", f"reference {case['tu2022_reference']}"
         if case.get("tu2022_reference") else "no"),
        ("Coded by", f"{case['coding']['coder']} on {case['coding']['date']}"),
        ("Added to the review", added or "not yet committed"),
    ], columns=["Field", "Value"])


def _appraisal(review: Review, case: dict) -> pd.DataFrame:
    """The AACODS checklist for this case's sources, partly recorded, partly computed."""
    codebook, appraisal = review.codebook, case["appraisal"]
    independent = codebook.attribute("author_role", "independent").get(appraisal["author_role"])
    publishers = "; ".join(dict.fromkeys(s["publisher"] for s in case["sources"]))
    barriers = sum(f["direction"] == "barrier" for f in case.get("factors") or [])
    negatives = sum(o["code"] == "negative_outcome" for o in case.get("outcomes") or [])
    measured = sum(o["evidence"] == "measured_change" for o in case.get("outcomes") or [])
    years = sorted({s["year"] for s in case["sources"] if s.get("year")})
    read = sorted({s["read_on"] for s in case["sources"]})
    return pd.DataFrame([
        ("Authority", f"{codebook.label('author_role', appraisal['author_role'])} "
                      f"({'independent' if independent else 'not independent'} of the initiative); "
                      f"published by {publishers}"),
        ("Accuracy", codebook.label("evaluation_design", appraisal["evaluation_design"])),
        ("Coverage", codebook.label("source_coverage", appraisal["coverage"])
         + (f": {appraisal['coverage_note']}" if appraisal.get("coverage_note") else "")),
        ("Objectivity", f"reports {count(barriers, 'barrier')} and {count(negatives, 'negative outcome')}"),
        ("Date", f"written {', '.join(map(str, years)) or 'undated'}; read {', '.join(read)}"),
        ("Significance", f"{count(measured, 'outcome')} {'rests' if measured == 1 else 'rest'} on a measured change"),
        ("Appraiser's note", appraisal["note"]),
    ], columns=["AACODS item", "For this case"])


def _where(value: dict) -> str:
    return markup.link(value["locator"]["url"], value["locator"]["section"])


def _coded_table(review: Review, values: list[dict], kind: str, status: dict[str, str],
                 caption: str) -> str:
    codebook = review.codebook
    vocabulary = {"roles": "role", "factors": "factor", "outcomes": "outcome"}[kind]
    head = {"roles": ["Role"], "factors": ["Factor", "Side", "Direction"],
            "outcomes": ["Outcome", "Evidence type"]}[kind] + ["Basis", "Evidence note", "Where",
                                                               "Second reading"]
    rows = []
    for value in values:
        label = codebook.label(vocabulary, value["code"])
        if value.get("kind"):
            label += f" ({codebook.label('negative_outcome_kind', value['kind'])})"
        cells = [markup.text(label)]
        if kind == "factors":
            side = codebook.attribute("factor", "side").get(value["code"])
            cells += [markup.text(codebook.label("factor_side", side)),
                      markup.text(codebook.label("factor_direction", value["direction"]))]
        if kind == "outcomes":
            evidence = codebook.label("evidence_type", value["evidence"])
            if value["evidence"] == "observed_elsewhere":
                evidence += " (not counted as this case's outcome)"
            cells.append(markup.text(evidence))
        cells += [markup.text(codebook.label("basis", value["basis"])), markup.text(value["note"]),
                  _where(value), markup.text(STATUS_WORDS.get(status.get(fingerprint(value)),
                                                              "not yet checked"))]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if not rows:
        return f"<p>{markup.text(caption.split(':')[0])}: none reported in the sources read.</p>"
    header = "".join(f'<th scope="col">{markup.text(h)}</th>' for h in head)
    return (f'<div class="table-wrapper" tabindex="0" role="region" aria-label="{markup.text(caption)}">'
            f'<table class="review-table case-coding"><caption>{markup.text(caption)}</caption>'
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def _address(url: str) -> str:
    """``govint.org/good-practice/case-studies/community-speedwatch``: a page's address, short."""
    parts = urlsplit(url)
    return (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")


def _sources(case: dict) -> str:
    """The sources as references; two pages with the same title also show their addresses,
    so a reader can tell them apart."""
    titles = Counter(source["title"] for source in case["sources"])
    items = []
    for source in case["sources"]:
        who = source.get("author") or source["publisher"]
        year = source.get("year") or "n.d."
        page = f" (page {markup.text(_address(source['url']))})" if titles[source["title"]] > 1 else ""
        text = (f"{markup.text(who)} ({markup.text(year)}). {markup.link(source['url'], source['title'])}{page}. "
                f"{markup.text(source['publisher'])}. Read on {markup.text(source['read_on'])}.")
        if source.get("archived_url"):
            text += f" {markup.link(source['archived_url'], 'Archived copy')}."
        items.append(f"<li>{text}</li>")
    return f"<ul class='case-sources'>{''.join(items)}</ul>"


def reading_summary(rows: pd.DataFrame) -> str:
    """'12 of 15 values checked by a second reader (ai-reader-1, 2026-11-30); 3 not yet checked.'"""
    checked = rows[rows["status"].isin(["confirmed", "corrected"])]
    readers = ", ".join(sorted(set(checked["reader"])))
    dates = ", ".join(sorted(set(checked["date"])))
    text = f"{len(checked)} of {len(rows)} values checked by a second reader"
    if len(checked):
        text += f" ({readers}, {dates})"
    left = len(rows) - len(checked)
    return text + (f"; {left} not yet checked." if left else ".")


def case_page_html(review: Review, case_id: str, added: str = "", report_url: str | None = None) -> str:
    """The body of one case's page, as HTML."""
    case = review.documents[case_id]
    row = review.cases.set_index("id").loc[case_id]
    readings = review.second_readings[review.second_readings["case_id"] == case_id]
    status = dict(zip(readings["fingerprint"], readings["status"]))
    notes = []
    if not row["citizen_participation"]:
        notes.append("The participants in this case are public-sector staff, not citizens: it "
                     "is listed here and in the Method chapter, and left out of the citizen "
                     "chapters' counts.")
    if case["appraisal"]["coverage"] == "partial":
        notes.append("The sources could be read only in part, so the case is coded in part: "
                     + case["appraisal"]["coverage_note"])
    if row["no_outcome_reported"]:
        notes.append("No outcome of this case is reported in the sources read; the review "
                     "counts it among the cases with no outcome reported.")
    parts = [f"<h1>{markup.text(case['title'])}</h1>",
             f'<p class="case-summary">{markup.text(" ".join(case["summary"].split()))}</p>']
    parts += [f'<div class="admonition note case-caveat"><p>{markup.text(n)}</p></div>' for n in notes]
    parts.append(f'<p class="case-reading">{markup.text(reading_summary(readings))}</p>')
    parts.append(markup.table(_facts(review, case, row, added), "About the case"))
    sections = (("Citizen roles", "roles"), ("Critical factors", "factors"), ("Outcomes", "outcomes"))
    for title, kind in sections:
        parts.append(f'<section id="{kind}"><h2>{markup.text(title)}</h2>'
                     + _coded_table(review, case.get(kind) or [], kind, status,
                                    f"{title}: each value with its basis, note, locator and check")
                     + "</section>")
    parts.append('<section id="appraisal"><h2>Appraisal of the sources</h2>'
                 + markup.table(_appraisal(review, case),
                                "Appraisal of the sources with the AACODS checklist")
                 + "</section>")
    parts.append(f'<section id="sources"><h2>Sources</h2>{_sources(case)}</section>')
    cite = (f"Coproduction Living Review contributors. Case '{case_id}': {case['title']}. Coded by "
            f"{case['coding']['coder']} on {case['coding']['date']}. Data file data/cases/{case_id}.yml.")
    report = (markup.link(report_url, "Report a coding error in this case") if report_url else
              markup.text("To report a coding error, open an issue with the 'Report a coding "
                          "error' form in the review's repository."))
    parts.append(f'<section id="cite"><h2>How to cite this case</h2><p>{markup.text(cite)}</p>'
                 f"<p>{report}</p></section>")
    return "\n".join(parts)
