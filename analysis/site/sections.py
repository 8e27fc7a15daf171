"""The book's blocks that are not charts: status, downloads, citation, the flow diagram,
what changed, the codebook, the protocol's facts, agreement and second-reading tables.

One function per block; a chapter cell calls one of them. Every string is escaped.
"""
from __future__ import annotations

import pandas as pd

from ..dataset.review import Review
from ..synthesis import agreement, flow, tables
from ..synthesis.formatting import percent, ratio
from ..synthesis.populations import population
from . import markup, releases
from .downloads import DOWNLOADS
from .render import HTML, table

NOT_STATED = "not yet stated"


def introduction_texts(review: Review) -> dict[str, str]:
    """The version line and the citation of this version, for the introduction."""
    release = releases.current_release(review.history)
    cases = len(review.cases)
    return {"version_line": releases.version_line(review.history, cases),
            "citation": (f"Coproduction Living Review contributors ({str(release['date'])[:4]}). "
                         "Coproduction Living Review: a living systematic review of citizen "
                         f"coproduction of public services, version {release['label']} "
                         f"({release['date']}; {cases} cases). "
                         + (f"{review.project['repository_url']}. " if review.project.get("repository_url")
                            else "") + "Data and code: CITATION.cff in the repository.")}


def status_statement(review: Review) -> HTML:
    """The review's status (PRISMA-LSR): status, update plan, and the searches behind it."""
    status = review.status
    runs = review.searches
    last = runs["date"].max() if len(runs) else "never"
    searched = (f"{len(runs)} searches of {runs['collection'].nunique()} collections are logged, "
                f"the last on {last}; the Method chapter draws their flow, and screening.csv "
                "lists every record screened.") if len(runs) else "No search is logged yet."
    return HTML(f"<p><strong>Status:</strong> {markup.text(status.get('status', ''))}. "
                f"{markup.text(' '.join(status.get('update_schedule', '').split()))}</p>"
                f"<p>{markup.text(searched)}</p>"
                f"<p><strong>Propose a case:</strong> "
                f"{markup.text(' '.join(status.get('how_to_propose', '').split()))} "
                f"{repository_links(review)}</p>")


def repository_links(review: Review) -> str:
    """Live links to the repository, CONTRIBUTING and the forms, from data/project.yml."""
    repository = (review.project or {}).get("repository_url")
    if not repository:
        return markup.text("(The repository's address is not yet stated in data/project.yml, so "
                           "these cannot be linked yet.)")
    base = repository.rstrip("/")
    return " · ".join([markup.link(base, "the repository"),
                       markup.link(f"{base}/blob/main/CONTRIBUTING.md", "CONTRIBUTING"),
                       markup.link(f"{base}/issues/new?template=propose-a-case.yml", "Propose a case"),
                       markup.link(f"{base}/issues/new?template=report-a-coding-error.yml",
                                   "Report a coding error")])


def downloads_list() -> HTML:
    """Links to this version's downloads (written into the site by the build)."""
    items = "".join(f'<li><a href="../downloads/{name}" download>{markup.text(name)}</a>: '
                    f"{markup.text(what)}</li>" for name, what in DOWNLOADS)
    return HTML(f"<ul class='review-downloads'>{items}</ul>")


def flow_diagram(review: Review) -> HTML:
    """The PRISMA 2020 flow, one column per release, as a diagram of boxes that is also a
    table (its text alternative) for screen readers."""
    frame = flow.flow_table(review)
    columns = [c for c in frame.columns if c != "Stage"]
    head = "".join(f'<th scope="col">{markup.text(c)}</th>' for c in columns)
    body = []
    for row in frame.itertuples(index=False):
        stage = row[0]
        css = "sub" if stage.startswith("…") else ("step" if stage in (
            "Records identified", "Records screened", "Cases newly included") else "")
        cells = "".join(f"<td>{markup.text(v)}</td>" for v in row[1:])
        body.append(f'<tr class="{css}"><th scope="row">{markup.text(stage)}</th>{cells}</tr>')
    summary = flow.flow_summary(review)
    return HTML(f'<figure class="prisma-flow" aria-labelledby="prisma-caption">'
                f'<div class="table-wrapper" tabindex="0" role="region" aria-label="PRISMA flow">'
                f'<table class="review-table prisma"><caption>PRISMA 2020 flow of records, one '
                f'column per release</caption><thead><tr><th scope="col">Stage</th>{head}</tr>'
                f'</thead><tbody>{"".join(body)}</tbody></table></div>'
                f'<figcaption id="prisma-caption">{markup.text(summary)}</figcaption></figure>')


def reading_table(review: Review) -> HTML:
    """Second reading of the coded values: totals per kind of value."""
    status = review.second_readings
    rows = []
    for kind, label in (("roles", "Roles"), ("factors", "Factors"), ("outcomes", "Outcomes")):
        part = status[status["kind"] == kind]["status"].value_counts()
        removed = int((review.removed_values["value"].str.startswith(kind)).sum()) \
            if len(review.removed_values) else 0
        rows.append({"Kind": label, "Values now": int(part.sum()),
                     "Confirmed": int(part.get("confirmed", 0)),
                     "Corrected": int(part.get("corrected", 0)),
                     "Not yet checked": int(part.get("not yet checked", 0) + part.get("stale", 0)),
                     "Removed by the reader": removed})
    frame = pd.DataFrame(rows)
    total = frame.drop(columns="Kind").sum()
    frame.loc[len(frame)] = {"Kind": "All", **total.to_dict()}
    return table(frame, "Second reading of every coded value (all cases)")


def agreement_table(review: Review) -> HTML:
    """Agreement between first and blind second coders, per kind of code."""
    summary = agreement.agreement_summary(review)
    frame = pd.DataFrame({
        "Kind of code": summary["kind"], "Cases coded twice": summary["cases"],
        "Coded by both": summary["both"], "First coder only": summary["first_only"],
        "Second coder only": summary["second_only"],
        "Positive agreement": [percent(v) for v in summary["positive_agreement"]],
        "Cohen's kappa": [ratio(v) for v in summary["kappa"]]})
    return table(frame, "Agreement between two independent coders")


def appraisal_table(review: Review) -> HTML:
    """How the sources of all cases were appraised (AACODS): author, design, coverage."""
    summary = tables.appraisal_summary(review)
    frame = pd.DataFrame({"Item": summary["item"], "Answer": summary["label"],
                          "Cases": summary["cases"], "Of n": summary["n"],
                          "Share": [percent(s) for s in summary["share"]]})
    return table(frame, "Appraisal of the sources of all cases (AACODS)")


def staff_only_cases(review: Review) -> HTML:
    cases = review.cases[~review.cases["citizen_participation"]]
    frame = pd.DataFrame({"Case": cases["title"], "Country": cases["country_name"],
                          "Tu (2022) reference": cases["tu2022_reference"].astype("object")
                          .where(cases["tu2022_reference"].notna(), "")})
    return table(frame, "Cases whose participants are public-sector staff only (left out of the "
                        "citizen chapters)")


def codebook_tables(review: Review) -> HTML:
    """Every codebook vocabulary as a captioned table (code, label, definition, framework)."""
    parts = []
    for name in review.codebook.names():
        vocabulary = review.codebook.vocabulary(name)
        parts.append(f'<section class="codebook-vocabulary"><h3>{markup.text(vocabulary["label"])}</h3>'
                     f"<p><code>{markup.text(name)}</code>: {markup.text(' '.join(vocabulary['definition'].split()))}</p>"
                     + markup.table(tables.codebook_table(review, name), f"Codebook: {vocabulary['label']}")
                     + "</section>")
    return HTML("\n".join(parts))


def _case_link(case_id: str, title: str, linked: bool) -> str:
    """A case's title, linked to its page when the page exists; always escaped."""
    return (f'<a href="cases/{markup.text(case_id)}.html">{markup.text(title)}</a>' if linked
            else markup.text(title))


def what_changed(review: Review) -> HTML:
    """Cases, codebook and key shares changed since the release this build is compared with,
    or a plain statement of why there is nothing to compare."""
    base, why = releases.comparison_base(review.history)
    release = releases.current_release(review.history)
    if base is None:
        return HTML(f'<div class="admonition note"><p>{markup.text("Nothing to compare: " + why + ".")}</p></div>')
    cases = releases.case_changes(base, review.documents)
    added = review.history.added_dates
    rows = []
    for change in cases.itertuples():
        title = _case_link(change.id, change.title, linked=change.change != "removed")
        date = added.get(change.id, "not yet committed") if change.change == "added" else "—"
        rows.append(f"<tr><td>{markup.text(change.change)}</td><td>{title}</td>"
                    f"<td>{markup.text(change.fields or '—')}</td><td>{markup.text(date)}</td></tr>")
    counts = cases["change"].value_counts()
    intro = (f"Compared with release {base.label} ({base.date}): "
             f"{int(counts.get('added', 0))} cases added, {int(counts.get('removed', 0))} removed, "
             f"{int(counts.get('recoded', 0))} recoded.")
    if base.not_compared:
        intro += (f" Release {base.label} used an older data format without "
                  + " and ".join(base.not_compared)
                  + "; those fields are not compared, and its cases were read through the "
                    "migration to today's format.")
    case_table = ("<div class='table-wrapper' tabindex='0' role='region' aria-label='Cases changed'>"
                  "<table class='review-table what-changed'><caption>Cases added, removed and "
                  "recoded</caption><thead><tr><th scope='col'>Change</th><th scope='col'>Case</th>"
                  "<th scope='col'>Fields changed</th><th scope='col'>Date added (new cases)</th></tr></thead>"
                  f"<tbody>{''.join(rows) or '<tr><td colspan=4>No case changed.</td></tr>'}</tbody></table></div>")
    codebook = releases.codebook_changes(base, review)
    old_review = releases.snapshot_review(base)
    shifts = releases.share_shifts(old_review, review)
    return HTML(f"<p>{markup.text(intro)}</p><h2>Cases added, removed and recoded</h2>{case_table}"
                "<h2>Changes to the codebook</h2>"
                + (markup.table(codebook, "Codes added, removed or redefined") if len(codebook)
                   else "<p>No code was added, removed or redefined.</p>")
                + "<h2>Shift of the key shares</h2><p>Each share is the number of citizen cases "
                  "coded with a role or outcome, before and now; with few cases, a shift of a few "
                  "points can come from one case.</p>"
                + markup.table(shifts, f"Key shares: release {base.label} and version {release['label']}"))


def version_history(review: Review) -> HTML:
    frame = releases.version_history(review.history)
    if not len(frame):
        return HTML("<p>No release has been recorded yet.</p>")
    current = set(review.cases["id"])
    lists = []
    for version, changes in releases.changes_by_release(review.history).items():
        items = "".join(
            f"<li>{markup.text(change.change)}: {_case_link(change.id, change.title, change.id in current)}"
            + ("" if change.id in current else " (no longer in the review)") + "</li>"
            for change in changes.itertuples())
        lists.append(f"<details><summary>The {len(changes)} cases added, removed or recoded in "
                     f"release {markup.text(version)}</summary><ul>{items}</ul></details>")
    return HTML(table(frame, "Every release, from data/releases.yml").body + "".join(lists))


def project_facts(review: Review) -> HTML:
    """Facts only the maintainers can state, from data/project.yml; missing ones say so."""
    project = review.project
    maintainers = project.get("maintainers")
    rows = [("Repository", project.get("repository_url") or NOT_STATED),
            ("Maintainers", ", ".join(maintainers) if maintainers else NOT_STATED),
            ("Contact", project.get("contact") or NOT_STATED),
            ("Funding", project.get("funding") or NOT_STATED),
            ("Conflicts of interest", project.get("conflicts_of_interest") or NOT_STATED),
            ("Licence of the code", project.get("code_licence") or NOT_STATED),
            ("Licence of the data and text", project.get("data_licence") or NOT_STATED)]
    body = "".join(f'<tr><th scope="row">{markup.text(k)}</th><td>'
                   + (markup.link(v, v) if k == "Repository" and v != NOT_STATED else markup.text(v))
                   + "</td></tr>" for k, v in rows)
    return HTML("<div class='table-wrapper' tabindex='0' role='region' aria-label='Project facts'>"
                "<table class='review-table'><caption>Project facts (data/project.yml)</caption>"
                f"<tbody>{body}</tbody></table></div>")


def coders(review: Review) -> HTML:
    """Who coded and who checked: handles of the coders and second readers."""
    readers = sorted(set(review.second_readings.loc[review.second_readings["reader"] != "", "reader"]))
    second = sorted({c["coder"] for c in review.second_codings.values()})
    frame = pd.DataFrame([("Coders of the cases", ", ".join(sorted(review.cases["coder"].unique()))),
                          ("Second readers", ", ".join(readers) or "none yet"),
                          ("Blind second coders", ", ".join(second) or "none yet")],
                         columns=["Role", "Handles"])
    return table(frame, "Who coded and who checked (handles as recorded in the data)")


def population_note(review: Review) -> HTML:
    """The population rule, stated at the top of every citizen chapter."""
    citizen, everyone = population(review), population(review, "all")
    staff_only = everyone.n - citizen.n
    left_out = ("the case in which only public-sector staff take part is left out (it is" if staff_only == 1
                else f"the {staff_only} cases in which only public-sector staff take part are left out "
                     "(they are")
    return HTML(f'<div class="admonition note population-rule"><p>This chapter counts the '
                f"<strong>{citizen.n} citizen cases</strong>: {left_out} listed in the Method "
                f"chapter and the case browser). Outcomes count only when observed in the case "
                f"itself.</p></div>")


def sensitivity(review: Review, kind: str) -> HTML:
    """The main shares beside the same shares on firmer ground: stated evidence only, sources
    independent of the initiative only and, for outcomes, measured changes only."""
    from ..synthesis.formatting import share_cell
    citizen, independent = population(review), population(review, "independent")
    if kind == "roles":
        views = {"All evidence": tables.role_distribution(review),
                 "Stated only": tables.role_distribution(review, stated_only=True),
                 "Independent sources only": tables.role_distribution(review, independent)}
        first = "Role"
    elif kind == "factors":
        views = {"All evidence": tables.factor_frequency(review),
                 "Stated only": tables.factor_frequency(review, stated_only=True),
                 "Independent sources only": tables.factor_frequency(review, within=independent)}
        order = views["All evidence"]
        keep = list(order.loc[order["cases"] > 0, "code"][:10])
        views = {k: v.set_index("code").loc[keep].reset_index() for k, v in views.items()}
        first = "Factor (either direction; the ten most frequent)"
    else:
        views = {"All evidence": tables.outcome_distribution(review),
                 "Stated only": tables.outcome_distribution(review, stated_only=True),
                 "Independent sources only": tables.outcome_distribution(review, independent),
                 "Measured change only": tables.outcome_distribution(review, measured_only=True)}
        first = "Outcome"
    main = views["All evidence"]
    frame = pd.DataFrame({first: main["label"]})
    for name, view in views.items():
        cells = dict(zip(view["code"], (share_cell(k, n) for k, n in zip(view["cases"], view["n"]))))
        frame[name] = main["code"].map(cells)
    note = (f"Independent sources: {independent.n} of the {citizen.n} citizen cases."
            if independent.n else "No citizen case has a source independent of the initiative yet.")
    return HTML(markup.table(frame, f"Sensitivity: {citizen.label()}") + f"<p class='caption-note'>{markup.text(note)}</p>")


def role_combinations(review: Review) -> HTML:
    combos = tables.role_combinations(review)
    frame = pd.DataFrame({"Roles in the case": combos["combination"], "Cases": combos["cases"],
                          "Of n": combos["n"], "Share": [percent(s) for s in combos["share"]]})
    return table(frame, f"Combinations of roles: {population(review).label()}")


def case_browser(review: Review) -> HTML:
    """The case browser: filters and a paged table whose rows load from a data file."""
    filters = "".join(
        f'<label class="case-filter">{markup.text(label)}<select data-column="{column}" '
        f'aria-label="Filter by {markup.text(label.lower())}"><option value="">All</option></select></label>'
        for column, label in (("country", "Country"), ("region", "Region"), ("sectors", "Sector"),
                              ("roles", "Role"), ("outcomes", "Outcome")))
    return HTML(
        '<div class="review-case-browser">'
        f'<form class="case-filters" role="search" aria-label="Filter the cases">{filters}'
        '<label class="case-filter case-search">Search<input type="search" '
        'aria-label="Search every column" placeholder="Words in any column"></label></form>'
        '<p class="case-count" aria-live="polite"></p>'
        '<div class="table-wrapper"><table id="case-browser" class="display compact review-table">'
        '<caption>Every case of the review</caption></table></div>'
        f'<noscript><p>The case browser needs JavaScript. The same list is in the download '
        f'cases.csv.</p></noscript></div>')


def key_messages(review: Review) -> HTML:
    """Plain-language key messages, computed from the data, each with its confidence."""
    from ..synthesis.certainty import key_messages as messages
    items = "".join(f"<li>{markup.text(m)}</li>" for m in messages(review))
    return HTML(f'<ul class="key-messages">{items}</ul><p class="caption-note">Confidence is rated '
                'per finding in the manner of GRADE-CERQual; see <a href="findings.html">Findings</a>.</p>')


def summary_of_findings(review: Review) -> HTML:
    """The summary-of-findings table with a confidence rating per finding."""
    from ..synthesis.certainty import summary_of_findings as sof
    return table(sof(review), f"Summary of findings: {population(review).label()}")


def then_and_now(review: Review) -> HTML:
    """Tu's headline findings beside the current data, with the caveat that fits the data."""
    from ..synthesis import then_and_now as tn
    tu, n = tn.tu_share(review)
    caveat = (f"{tu} of the {n} citizen cases are Tu's own, so agreement with Tu is partly "
              "agreement with itself; the column of cases Tu did not cite is the fairer test."
              if tu * 2 > n else
              f"{n - tu} of the {n} citizen cases are cases Tu did not cite; the column of those "
              "cases is the test of whether Tu's findings travel.")
    intro = ("Tu's findings are taken from the paper's abstract, the only part of it this "
             "review holds: it names five outcome types and no single dominant role or factor. ")
    return HTML(f"<p>{markup.text(intro + caveat)}</p>"
                + markup.table(tn.comparison(review), "Tu (2022) then and this review now"))


def configuration_conditions(review: Review) -> HTML:
    """Which conditions enter the configurational analysis, and why."""
    from ..synthesis import configurations
    frame = configurations.condition_frequencies(review)
    keep = [c for c in ("label", "cases", "chosen", "reason") if c in frame.columns]
    readable = frame[keep].rename(columns={"label": "Condition", "cases": "Citizen cases",
                                           "chosen": "Used", "reason": "Why"})
    if "Used" in readable:
        readable["Used"] = readable["Used"].map({True: "yes", False: "no"})
    return table(readable, f"Candidate conditions: {population(review).label()}")


def configuration(review: Review, outcome: str, solution=None) -> HTML:
    """One outcome's configurational analysis: solution terms with consistency and coverage,
    the caveats, and the truth table (case counts, not case lists)."""
    from ..synthesis import configurations
    result = solution or configurations.configurations(review, outcome)
    parts = [f"<p>{markup.text(result.outcome_label)} is reported in {result.cases_with_outcome} "
             f"of the {result.n} citizen cases.</p>"]
    if result.note:
        parts.append(f'<div class="admonition note"><p>{markup.text(result.note)}</p></div>')
    if result.solved:
        terms = result.terms
        frame = pd.DataFrame({"Solution": terms["model"], "Term": terms["term"],
                              "Consistency": [ratio(v) for v in terms["consistency"]],
                              "Raw coverage": [ratio(v) for v in terms["raw_coverage"]],
                              "Unique coverage": [ratio(v) for v in terms["unique_coverage"]]})
        parts.append(markup.table(frame, f"Conservative solution for {result.outcome_label.lower()}"))
        models = pd.DataFrame({"Solution": result.models["model"],
                               "Consistency": [ratio(v) for v in result.models["consistency"]],
                               "Coverage": [ratio(v) for v in result.models["coverage"]]})
        parts.append(markup.table(models, "Fit of each whole solution"))
    if len(result.truth_table):
        labels = result.labels
        tt = result.truth_table
        frame = pd.DataFrame({labels.get(c, c): tt[c].map({1: "yes", 0: "no"}) for c in result.conditions})
        frame["Cases"] = tt["cases"]
        frame["With the outcome"] = tt["with_outcome"]
        frame["Consistency"] = [ratio(v) for v in tt["consistency"]]
        parts.append("<details><summary>Truth table</summary>"
                     + markup.table(frame, f"Truth table for {result.outcome_label.lower()}")
                     + "</details>")
    return HTML("".join(parts))


def configuration_alternative(review: Review) -> HTML:
    """The same analysis with only enablers counting as a factor present, for comparison."""
    from ..synthesis import configurations
    solutions = configurations.tu_configurations(review, direction="enabler_only")
    frame = configurations.solutions_table(solutions)
    readable = pd.DataFrame({"Outcome": frame["label"], "Solution": frame["model"],
                             "Terms": frame["solution"].where(frame["solution"] != "", "no solution"),
                             "Consistency": [ratio(v) if v == v and v is not None else "" for v in frame["consistency"]],
                             "Coverage": [ratio(v) if v == v and v is not None else "" for v in frame["coverage"]]})
    return table(readable, "Alternative: a factor counts as present only as an enabler")
