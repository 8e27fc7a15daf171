"""The Coproduction Living Review's analysis package, in three floors:

- :mod:`analysis.dataset` — the review's data: reading (:mod:`~analysis.dataset.load`, the
  only module that touches files and git), strict YAML, the codebook, schemas, validation,
  the bibliography, the screening log and second readings;
- :mod:`analysis.synthesis` — pure functions of the review: populations, tables, charts, the
  model, configurations, agreement, certainty, the flow of records, and the words and
  numbers the chapters quote;
- :mod:`analysis.site` — the book's machinery: what chapters call to show things, case
  pages, the case browser, releases and what changed, downloads, and the Sphinx extension.

``analysis.open_review()`` is the one door to the data.
"""
from .dataset.load import open_review

__all__ = ["open_review"]
