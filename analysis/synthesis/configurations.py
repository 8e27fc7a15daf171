"""Configurations: which combinations of citizen roles and critical factors go with each of
Tu's five outcomes, by crisp-set QCA (qualitative comparative analysis) over the citizen
cases.

One analysis per outcome of the codebook's ``tu2022`` group. Each citizen case is a row of
0/1 memberships:

- **conditions**: the four citizen roles, and the critical factors coded in at least a third
  of the citizen cases, six conditions at most (see :func:`choose_conditions`);
- **outcome**: 1 when the case has that outcome coded with evidence from the case itself
  (outcomes observed elsewhere never count, as everywhere in the review).

The truth table groups the cases by configuration. A configuration counts as sufficient for
the outcome (a *positive* row) when at least ``frequency_cutoff`` cases show it and the
share of them with the outcome (its consistency) reaches ``consistency_cutoff``. The
**conservative** (complex) solution minimises the positive rows alone, with no assumption
about configurations no case shows (the logical remainders). When the prime implicant chart
leaves a choice, every equally short model is reported, as the R package QCA does.

The truth table and the prime implicants come from ``pyqca`` (``qca.CSQCA``), checked
against the published Lipset example in ``tests/test_configurations.py``. Its own cover step
keeps the essential prime implicants and completes them greedily, which names one model only
(and, rarely, a longer one); :func:`_shortest_models` solves the chart exhaustively instead.

These are associations among published case studies of good practice, not causal claims:
a configuration says which cases show the outcome, not why.
"""
from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import SimpleNamespace

import pandas as pd
from pandas.errors import Pandas4Warning
from qca import CSQCA, SetLiteral

from ..dataset.review import Review
from .formatting import count
from .populations import Population, population, values
from .tables import ROLE_ORDER

DIRECTION_RULES = {
    "either": "a factor counts as present whether coded as an enabler or as a barrier",
    "enabler_only": "a factor counts as present only where coded as an enabler",
}
MIN_SHARE = Fraction(1, 3)
MAX_CONDITIONS = 6
CONSISTENCY_CUTOFF = 0.8
FREQUENCY_CUTOFF = 1

TRUTH_TABLE_STATUS = {
    "positive": "sufficient: enough cases, consistency at or above the cut-off",
    "negative": "not sufficient: consistency below the cut-off",
    "too_few_cases": "fewer cases than the frequency threshold: left out, like a remainder",
}
TERM_COLUMNS = ["model", "term", "expression", "consistency", "raw_coverage", "unique_coverage",
                "cases", "case_ids"]
MODEL_COLUMNS = ["model", "solution", "terms", "consistency", "coverage"]


@dataclass(frozen=True)
class Solution:
    """One crisp-set QCA: the truth table, the conservative solution and its fit.

    ``truth_table`` has one row per observed configuration: a 0/1 column per condition,
    ``cases``, ``with_outcome``, ``consistency``, ``status`` (see ``TRUTH_TABLE_STATUS``) and
    ``case_ids``. ``terms`` has one row per term of each model (``model`` M1, M2...): the
    ``term`` in words, its ``expression`` in QCA notation (``A*~B``), its consistency, raw
    and unique coverage within that model, and the cases it describes (with or without the
    outcome). ``models`` has one row per model: the whole ``solution`` (terms joined by OR),
    its consistency and coverage. Both are empty when there is no solution, and ``note``
    then says why; ``note`` also says when several models fit equally well. ``settings``
    names the direction rule, the condition rule and the cut-offs of a review analysis.
    """

    outcome: str
    outcome_label: str
    conditions: tuple[str, ...]
    labels: Mapping[str, str]
    truth_table: pd.DataFrame
    terms: pd.DataFrame
    models: pd.DataFrame
    consistency_cutoff: float
    frequency_cutoff: int
    n: int
    cases_with_outcome: int
    note: str | None = None
    population: str = ""
    direction_rule: str = ""
    settings: dict = field(default_factory=dict)

    @property
    def solved(self) -> bool:
        """Whether there is a solution to show."""
        return not self.models.empty

    @property
    def consistency(self) -> float | None:
        """Consistency of the first model (every model when there is only one)."""
        return None if self.models.empty else float(self.models["consistency"].iloc[0])

    @property
    def coverage(self) -> float | None:
        """Coverage of the first model."""
        return None if self.models.empty else float(self.models["coverage"].iloc[0])

    def expressions(self) -> list[str]:
        """Each model as one readable line: ``(A AND NOT B) OR C``."""
        return list(self.models["solution"])


# ---- Conditions and memberships from the review ----

def tu_outcomes(review: Review) -> list[str]:
    """The outcome codes of Tu's five outcome types (group ``tu2022``), in codebook order."""
    return [code for code, group in review.codebook.attribute("outcome", "group").items()
            if group == "tu2022"]


def _present_factors(review: Review, within: Population, direction: str) -> pd.DataFrame:
    if direction not in DIRECTION_RULES:
        raise ValueError(f"direction must be one of {sorted(DIRECTION_RULES)}, not {direction!r}")
    factors = values(review, "factors", within)
    if direction == "enabler_only":
        factors = factors[factors["direction"] == "enabler"]
    return factors[["case_id", "code"]].drop_duplicates()


def condition_frequencies(review: Review, direction: str = "either",
                          min_share: Fraction = MIN_SHARE,
                          max_conditions: int = MAX_CONDITIONS) -> pd.DataFrame:
    """Every candidate condition with the citizen cases showing it, and whether it is chosen.

    Columns: code, label, kind (role or factor), cases, n, share, qualifies, chosen, reason.
    Roles come first (service-cycle order), then factors, most frequent first. The rule is
    the one :func:`choose_conditions` states.
    """
    within = population(review)
    roles = values(review, "roles", within)[["case_id", "code"]].drop_duplicates()
    factors = _present_factors(review, within, direction)
    role_counts = roles.groupby("code")["case_id"].nunique()
    factor_counts = factors.groupby("code")["case_id"].nunique()
    rows = [{"code": code, "label": review.codebook.label("role", code), "kind": "role",
             "cases": int(role_counts.get(code, 0))} for code in ROLE_ORDER]
    factor_order = {code: i for i, code in enumerate(review.codebook.codes("factor"))}
    factor_rows = [{"code": code, "label": review.codebook.label("factor", code),
                    "kind": "factor", "cases": int(count)}
                   for code, count in factor_counts.items()]
    rows += sorted(factor_rows, key=lambda r: (-r["cases"], factor_order.get(r["code"], 0)))
    table = pd.DataFrame(rows, columns=["code", "label", "kind", "cases"])
    n = within.n
    table["n"] = n
    table["share"] = table["cases"] / n if n else float("nan")
    floor = min_share * n
    table["qualifies"] = [(kind == "role" and cases > 0) or (kind == "factor" and cases >= floor
                                                             and cases > 0)
                          for kind, cases in zip(table["kind"], table["cases"])]
    chosen, reasons = [], []
    for row in table.itertuples():
        if not row.qualifies:
            chosen.append(False)
            reasons.append("role coded in no citizen case" if row.kind == "role"
                           else f"in fewer than {_share_words(min_share)} of the citizen cases")
        elif sum(chosen) >= max_conditions:
            chosen.append(False)
            reasons.append(f"more than {max_conditions} conditions qualify; less frequent")
        else:
            chosen.append(True)
            reasons.append("citizen role" if row.kind == "role"
                           else f"in at least {_share_words(min_share)} of the citizen cases")
    table["chosen"] = chosen
    table["reason"] = reasons
    return table


def _share_words(share: Fraction) -> str:
    return {Fraction(1, 3): "a third", Fraction(1, 2): "half", Fraction(1, 4): "a quarter"} \
        .get(Fraction(share), f"{float(share):.0%}")


def choose_conditions(review: Review, direction: str = "either",
                      min_share: Fraction = MIN_SHARE,
                      max_conditions: int = MAX_CONDITIONS) -> list[str]:
    """The conditions of every configurational analysis, in a fixed order.

    The rule: the four citizen roles (each one coded in at least one citizen case), then the
    critical factors present in at least ``min_share`` of the citizen cases (a third), the
    most frequent first (ties in codebook order), until ``max_conditions`` (six) are chosen.
    Roles come first when more qualify than fit. ``direction`` says when a factor is
    present: ``"either"`` (enabler or barrier, the default) or ``"enabler_only"``.
    """
    table = condition_frequencies(review, direction, min_share, max_conditions)
    return list(table.loc[table["chosen"], "code"])


def condition_labels(review: Review, conditions: Sequence[str]) -> dict[str, str]:
    """Each condition's codebook label (roles and factors)."""
    roles = review.codebook.labels("role")
    return {code: roles[code] if code in roles else review.codebook.label("factor", code)
            for code in conditions}


def memberships(review: Review, conditions: Sequence[str], outcome: str,
                direction: str = "either") -> pd.DataFrame:
    """The crisp data: one row per citizen case (index ``case_id``, sorted), a 0/1 column per
    condition, and the 0/1 outcome column (named by the outcome code)."""
    within = population(review)
    present = pd.concat([values(review, "roles", within)[["case_id", "code"]],
                         _present_factors(review, within, direction)])
    outcomes = values(review, "outcomes", within)
    cases = sorted(within.case_ids)
    table = pd.DataFrame(0, index=pd.Index(cases, name="case_id"),
                         columns=[*conditions, outcome], dtype=int)
    for code in conditions:
        table.loc[table.index.isin(present.loc[present["code"] == code, "case_id"]), code] = 1
    table.loc[table.index.isin(outcomes.loc[outcomes["code"] == outcome, "case_id"]), outcome] = 1
    return table


# ---- The analysis ----

def term_text(literals: Sequence[tuple[str, bool]], labels: Mapping[str, str]) -> str:
    """A term in words: present conditions first, then the absent ones, in condition order.

    ``[("co_design", False), ("co_delivery", True)]`` → ``"Co-delivery AND NOT Co-design"``.
    """
    if not literals:
        return "any configuration"
    present = [labels.get(name, name) for name, value in literals if value]
    absent = [f"NOT {labels.get(name, name)}" for name, value in literals if not value]
    return " AND ".join(present + absent)


def term_expression(literals: Sequence[tuple[str, bool]], conditions: Sequence[str]) -> str:
    """A term in the notation of the QCA literature, in condition order: ``A*~B*C``."""
    value = dict(literals)
    return "*".join(name if value[name] else f"~{name}" for name in conditions
                    if name in value) or "1"


def _shortest_models(primes: list[frozenset], positives: frozenset) -> list[tuple[int, ...]]:
    """Every smallest set of prime implicants that covers all positive rows (the models).

    The essential prime implicants (the only cover of some row) are in every model; the rows
    they leave are covered by trying all combinations of 1, 2, ... of the other implicants.
    """
    essential = sorted({covering[0] for row in positives
                        if len(covering := [i for i, p in enumerate(primes) if row in p]) == 1})
    left = positives - frozenset().union(*(primes[i] for i in essential))
    if not left:
        return [tuple(essential)]
    others = [i for i, p in enumerate(primes) if i not in essential and p & left]
    for size in range(1, len(others) + 1):
        found = [tuple(sorted([*essential, *combo]))
                 for combo in itertools.combinations(others, size)
                 if frozenset().union(*(primes[i] for i in combo)) >= left]
        if found:
            return found
    return []


def _truth_table(rows, conditions: Sequence[str], outcome: str, data: pd.DataFrame,
                 consistency_cutoff: float, frequency_cutoff: int) -> pd.DataFrame:
    records = []
    for row in rows:
        ids = sorted(row.case_ids)
        status = ("too_few_cases" if row.n_cases < frequency_cutoff
                  else "positive" if row.outcome_raw_consist >= consistency_cutoff
                  else "negative")
        records.append({**{c: int(row.config[c]) for c in conditions},
                        "cases": int(row.n_cases),
                        "with_outcome": int(data.loc[ids, outcome].sum()),
                        "consistency": float(row.outcome_raw_consist),
                        "status": status, "case_ids": ids})
    table = pd.DataFrame(records, columns=[*conditions, "cases", "with_outcome", "consistency",
                                           "status", "case_ids"])
    return table.sort_values(["consistency", "cases", *conditions],
                             ascending=[False, False, *[False] * len(conditions)],
                             kind="stable").reset_index(drop=True)


def crisp_qca(data: pd.DataFrame, outcome: str, conditions: Sequence[str],
              labels: Mapping[str, str] | None = None,
              consistency_cutoff: float = CONSISTENCY_CUTOFF,
              frequency_cutoff: int = FREQUENCY_CUTOFF,
              outcome_label: str | None = None) -> Solution:
    """Crisp-set QCA of any 0/1 table (index: case ids): truth table and conservative solution.

    Says so in ``note``, instead of failing, when there are no cases or no conditions, when
    the outcome is present in all cases or in none (nothing to explain), or when no
    configuration reaches the cut-offs.
    """
    conditions = tuple(conditions)
    labels = {c: (labels or {}).get(c, c) for c in conditions}
    outcome_label = outcome_label or outcome
    n, with_outcome = len(data), int(data[outcome].sum()) if len(data) else 0
    empty = {"terms": pd.DataFrame(columns=TERM_COLUMNS),
             "models": pd.DataFrame(columns=MODEL_COLUMNS)}
    base = dict(outcome=outcome, outcome_label=outcome_label, conditions=conditions,
                labels=labels, consistency_cutoff=consistency_cutoff,
                frequency_cutoff=frequency_cutoff, n=n, cases_with_outcome=with_outcome)
    blank_table = pd.DataFrame(columns=[*conditions, "cases", "with_outcome", "consistency",
                                        "status", "case_ids"])
    if n == 0:
        return Solution(**base, truth_table=blank_table, **empty, note="no cases to compare")
    if not conditions:
        return Solution(**base, truth_table=blank_table, **empty,
                        note="no condition qualifies, so there is no configuration to compare")
    frame = data[[*conditions, outcome]].astype(int).rename_axis("case_id").reset_index()
    frame["case_id"] = frame["case_id"].astype(str)
    model = CSQCA(data=frame, outcome=outcome, conditions=list(conditions), case_id="case_id")
    with warnings.catch_warnings():
        # pyqca warns that without directional expectations the intermediate solution is
        # the conservative one, and when no row is positive; both are handled here. With one
        # condition it also trips pandas' notice that groupby keys will become tuples, which
        # its own code already allows for.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", Pandas4Warning)
        fitted = model.fit(consistency_cutoff=consistency_cutoff,
                           frequency_cutoff=frequency_cutoff)
    truth_table = _truth_table(fitted.truth_table_rows, conditions, outcome,
                               data.set_axis(data.index.astype(str)), consistency_cutoff,
                               frequency_cutoff)
    if with_outcome == 0:
        return Solution(**base, truth_table=truth_table, **empty,
                        note=f"no case shows {outcome_label}: nothing to explain")
    if with_outcome == n:
        return Solution(**base, truth_table=truth_table, **empty,
                        note=f"every case shows {outcome_label}: nothing to tell apart")
    primes = fitted.minimization.prime_implicants_complex
    if not primes:
        return Solution(**base, truth_table=truth_table, **empty,
                        note=f"no configuration of at least {count(frequency_cutoff, 'case')} reaches "
                             f"consistency {consistency_cutoff:g}")
    names = fitted.minimization.condition_names
    literal_sets = [[(name, int(value) == 1) for name, value in zip(names, prime.pattern)
                     if value in (0, 1)] for prime in primes]
    positives = frozenset().union(*(p.covered for p in primes))
    term_rows, model_rows = [], []
    for number, combo in enumerate(_shortest_models([p.covered for p in primes], positives), 1):
        name = f"M{number}"
        chosen = [literal_sets[i] for i in combo]
        fit, per_term = _fit(model, chosen, n, with_outcome)
        texts = [term_text(lits, labels) for lits in chosen]
        for lits, text, metric in sorted(zip(chosen, texts, per_term),
                                         key=lambda t: (-t[2].raw_coverage, t[1])):
            covered = sorted(frame.loc[_covers(frame, lits), "case_id"])
            term_rows.append({"model": name, "term": text,
                              "expression": term_expression(lits, conditions),
                              "consistency": metric.consistency,
                              "raw_coverage": metric.raw_coverage,
                              "unique_coverage": metric.unique_coverage,
                              "cases": len(covered), "case_ids": covered})
        model_rows.append({"model": name,
                           "solution": _disjunction([t["term"] for t in term_rows
                                                     if t["model"] == name]),
                           "terms": len(combo), "consistency": fit.consistency,
                           "coverage": fit.raw_coverage})
    return Solution(**base, truth_table=truth_table,
                    terms=pd.DataFrame(term_rows, columns=TERM_COLUMNS),
                    models=pd.DataFrame(model_rows, columns=MODEL_COLUMNS),
                    note=None if len(model_rows) == 1 else
                    f"{len(model_rows)} equally short models fit the truth table")


def _fit(model: CSQCA, chosen: list[list[tuple[str, bool]]], n: int, with_outcome: int):
    """The model's and each term's consistency and coverage, from pyqca; a term with no
    condition left (every configuration is positive) covers every case."""
    if any(not lits for lits in chosen):  # then it is the only term of a shortest model
        whole = SimpleNamespace(consistency=with_outcome / n, raw_coverage=1.0,
                                unique_coverage=1.0)
        return whole, [whole]
    terms = [[SetLiteral(c, negated=not v) for c, v in lits] for lits in chosen]
    return model.evaluate_solution(terms), model.compute_solution_coverages(terms)


def _disjunction(terms: Sequence[str]) -> str:
    if len(terms) == 1:
        return terms[0]
    return " OR ".join(f"({term})" if " AND " in term else term for term in terms)


def _covers(frame: pd.DataFrame, literals: Sequence[tuple[str, bool]]) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for name, value in literals:
        mask &= frame[name] == int(value)
    return mask


def configurations(review: Review, outcome: str, direction: str = "either",
                   consistency_cutoff: float = CONSISTENCY_CUTOFF,
                   frequency_cutoff: int = FREQUENCY_CUTOFF,
                   min_share: Fraction = MIN_SHARE,
                   max_conditions: int = MAX_CONDITIONS) -> Solution:
    """The crisp-set QCA of one outcome over the citizen cases, with the conditions of
    :func:`choose_conditions`; ``settings`` names the direction rule and every cut-off."""
    conditions = choose_conditions(review, direction, min_share, max_conditions)
    data = memberships(review, conditions, outcome, direction)
    result = crisp_qca(data, outcome, conditions, condition_labels(review, conditions),
                       consistency_cutoff, frequency_cutoff,
                       outcome_label=review.codebook.label("outcome", outcome))
    return replace(result, population=population(review).label(), direction_rule=direction,
                   settings={"direction": DIRECTION_RULES[direction],
                             "conditions": f"the citizen roles, then the factors in at least "
                                           f"{_share_words(min_share)} of the citizen cases, "
                                           f"{max_conditions} at most, roles first",
                             "consistency_cutoff": consistency_cutoff,
                             "frequency_cutoff": frequency_cutoff,
                             "solution": "conservative (no logical remainders)"})


def tu_configurations(review: Review, direction: str = "either",
                      consistency_cutoff: float = CONSISTENCY_CUTOFF,
                      frequency_cutoff: int = FREQUENCY_CUTOFF,
                      min_share: Fraction = MIN_SHARE,
                      max_conditions: int = MAX_CONDITIONS) -> dict[str, Solution]:
    """One :class:`Solution` for each of Tu's five outcomes (the same conditions for all)."""
    return {outcome: configurations(review, outcome, direction, consistency_cutoff,
                                    frequency_cutoff, min_share, max_conditions)
            for outcome in tu_outcomes(review)}


def solutions_table(solutions: Mapping[str, Solution]) -> pd.DataFrame:
    """One row per outcome and model: the solution in words, its consistency and coverage,
    the cases with the outcome, n, and the note when there is no (single) solution."""
    rows = []
    for code, result in solutions.items():
        base = {"outcome": code, "label": result.outcome_label,
                "cases_with_outcome": result.cases_with_outcome, "n": result.n,
                "direction_rule": result.direction_rule, "note": result.note or ""}
        if result.models.empty:
            rows.append({**base, "model": "", "solution": "", "consistency": None,
                         "coverage": None})
        for row in result.models.itertuples():
            rows.append({**base, "model": row.model, "solution": row.solution,
                         "consistency": row.consistency, "coverage": row.coverage})
    return pd.DataFrame(rows, columns=["outcome", "label", "model", "solution", "consistency",
                                       "coverage", "cases_with_outcome", "n", "direction_rule",
                                       "note"])
