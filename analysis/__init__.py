"""The Coproduction Living Review's analysis package.

load → validate → tables → charts → model: :mod:`analysis.load` reads files,
:mod:`analysis.validate` checks them, and the rest are pure functions of the
resulting :class:`~analysis.load.Review`.
"""
