"""The codebook: every controlled vocabulary, looked up one way.

``Codebook(vocabularies)`` wraps the parsed ``data/codebook.yml``; every module asks it
for codes, labels and attributes instead of building its own ``{code: ...}`` lookup.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Codebook:
    """The vocabularies of ``data/codebook.yml``: ``{name: {label, definition, codes: [...]}}``."""

    vocabularies: dict
    format: int = 2
    _lookup: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, vocabulary in self.vocabularies.items():
            self._lookup[name] = {entry["code"]: entry for entry in vocabulary.get("codes", [])}

    def __contains__(self, vocabulary: str) -> bool:
        return vocabulary in self.vocabularies

    def names(self) -> list[str]:
        """The vocabularies, in codebook order."""
        return list(self.vocabularies)

    def codes(self, vocabulary: str) -> list[str]:
        """The allowed codes of one vocabulary, in codebook order."""
        return list(self._lookup[vocabulary])

    def entries(self, vocabulary: str) -> list[dict]:
        """Every code of one vocabulary with all its attributes, in codebook order."""
        return list(self._lookup[vocabulary].values())

    def labels(self, vocabulary: str) -> dict[str, str]:
        """Code → label, in codebook order (empty for a vocabulary an older codebook lacks)."""
        return {code: entry["label"] for code, entry in self._lookup.get(vocabulary, {}).items()}

    def label(self, vocabulary: str, code: str) -> str:
        """One code's label (the code itself if the vocabulary does not know it)."""
        entry = self._lookup.get(vocabulary, {}).get(code)
        return entry["label"] if entry else str(code)

    def attribute(self, vocabulary: str, name: str) -> dict[str, object]:
        """Code → one attribute (``side`` of a factor, ``citizen`` of a participant group...)."""
        return {code: entry.get(name) for code, entry in self._lookup.get(vocabulary, {}).items()}

    def vocabulary(self, vocabulary: str) -> dict:
        """A vocabulary's own label and definition (with its codes)."""
        return self.vocabularies[vocabulary]
