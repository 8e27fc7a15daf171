"""The population rule, stated once and kept.

The citizen-coproduction chapters (roles, factors, outcomes, the model, configurations and
the summary of findings) count **citizen cases** only: cases in which at least one
participant group is citizens. Cases whose only participants are public-sector staff (such
as the Hessen case Tu cites) appear in the case browser and the Method chapter, never in
those counts. Outcomes count only when observed in the case itself: evidence the source
quotes from elsewhere is shown apart. Every chapter, table and chart names its population
through :func:`population`, and its tables filter through the same function.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..dataset.review import Review


@dataclass(frozen=True)
class Population:
    """Which cases a table counts, in words, with n."""

    name: str
    description: str
    case_ids: frozenset[str]

    @property
    def n(self) -> int:
        return len(self.case_ids)

    def label(self) -> str:
        """``citizen cases, n = 21``: what every table and chart states."""
        return f"{self.description}, n = {self.n}"


def citizen_cases(review: Review) -> pd.DataFrame:
    """Cases in which citizens take part (not only public-sector staff)."""
    return review.cases[review.cases["citizen_participation"]]


def staff_only_cases(review: Review) -> pd.DataFrame:
    """Cases whose only participants are public-sector staff."""
    return review.cases[~review.cases["citizen_participation"]]


def population(review: Review, name: str = "citizen") -> Population:
    """The named population: ``citizen`` (the rule of the citizen chapters), ``all`` cases,
    ``not_tu`` (citizen cases Tu did not cite), ``tu`` (citizen cases Tu cites),
    ``stated`` is not a population (see :func:`values`)."""
    cases = review.cases
    if name == "all":
        return Population(name, "all cases", frozenset(cases["id"]))
    citizen = citizen_cases(review)
    if name == "citizen":
        return Population(name, "citizen cases", frozenset(citizen["id"]))
    if name == "tu":
        return Population(name, "citizen cases Tu (2022) cites",
                          frozenset(citizen.loc[citizen["tu2022_reference"].notna(), "id"]))
    if name == "not_tu":
        return Population(name, "citizen cases Tu (2022) does not cite",
                          frozenset(citizen.loc[citizen["tu2022_reference"].isna(), "id"]))
    if name == "independent":
        return Population(name, "citizen cases with an independent source",
                          frozenset(citizen.loc[citizen["independent_source"], "id"]))
    raise KeyError(f"no population named {name!r}")


def values(review: Review, kind: str, within: Population, stated_only: bool = False,
           measured_only: bool = False) -> pd.DataFrame:
    """The coded values of one kind (roles, factors, outcomes) in a population's cases.

    Outcomes observed elsewhere never count. ``stated_only`` keeps values the source states;
    ``measured_only`` keeps outcomes resting on a measured change.
    """
    frame = getattr(review, kind)
    frame = frame[frame["case_id"].isin(within.case_ids)]
    if kind == "outcomes":
        frame = frame[frame["counted"]]
        if measured_only:
            frame = frame[frame["evidence"] == "measured_change"]
    if stated_only:
        frame = frame[frame["basis"] == "stated"]
    return frame
