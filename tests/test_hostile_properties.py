"""Property-based tests of loading and checking (hypothesis, fixed seed, bounded examples).

- Any YAML-like text given to :func:`analysis.dataset.strict_yaml.parse_yaml` either reads
  as plain data (mappings with text, number, true/false or null keys, lists, text, decimal
  integers, true/false, null: never a float, date, byte string or shared node) or raises
  :class:`YamlError`; nothing else.
- Random mutations of a valid case (type swaps, deletions, insertions, unicode junk) never
  crash :meth:`analysis.dataset.validation.CaseChecker.check`, every problem names the file
  and a field on one line, and a mutation that makes the case invalid (a required field
  deleted, an unknown field inserted, a value of the wrong type, a text of invisible or
  control characters) never passes.
"""
from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.dataset import load, strict_yaml
from analysis.dataset.codebook import Codebook
from analysis.dataset.strict_yaml import YamlError, parse_yaml
from analysis.dataset.validation import CaseChecker, CaseResult, Problem, template_placeholders

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "data" / "cases" / "canakkale-participatory-budgeting.yml"
FILE = "data/cases/canakkale-participatory-budgeting.yml"
STEM = "canakkale-participatory-budgeting"
SETTINGS = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---- parse_yaml: any text in, plain data or YamlError out ----

TOKENS = ["- ", "-", ": ", ":", "? ", "\n", "\n  ", "\n    ", "  ", "\t", "[", "]", "{", "}",
          ", ", ",", "&a ", "*a", "&b", "*b", "!!str ", "!!float ", "!!binary ", "!", "!!python/object:os.system ",
          "|", ">-", "'", '"', "#", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
          "\\", "\\n", "\\0", "\\x07", "\\u202e", "key", "title", "id", "1", "2014", "2014.0",
          "0x7DD", "033", "1_000", "1:20", "~", "null", "true", "yes", "NO", ".inf", "2026-11-29",
          "\ufeff", "\u202e", "\u200b", "\x00", "\x85", "\u2028", "\r", "\r\n", "é", "日本",
          "\U0001F600", "<<", "<<: *a", "=", "@", "`", "%"]

FLOW_PREFIXES = ["", "&a ", "*a", "!!float ", "!!binary ", "!!int ", "!!str ", "!!bool ",
                 "!!timestamp ", "!!set ", "!!omap ", "! ", "&b ", "*b"]
FLOW_VALUES = ["2014", "2014.0", "0x7DE", "033", "2_014", "33:34", "+12", "yes", "true", "null",
               '"text"', "'text'", "aGk=", "2026-11-29", "[1, 2]", "{k: v}", "[]", "{}", ".nan"]


@st.composite
def flow_document(draw) -> str:
    """JSON-style flow mappings and lists, with tags, anchors and aliases right after ':'
    or '[' (no space), and a byte-order mark in front now and then."""
    def value(depth: int) -> str:
        prefix = draw(st.sampled_from(FLOW_PREFIXES))
        if depth < 3 and draw(st.booleans()):
            items = [value(depth + 1) for _ in range(draw(st.integers(0, 3)))]
            if draw(st.booleans()):
                keys = draw(st.lists(st.sampled_from(['"a"', '"b"', "c", '"year"', "1", "~"]),
                                     min_size=len(items), max_size=len(items)))
                sep = draw(st.sampled_from([":", ": "]))
                return prefix + "{" + ",".join(f"{k}{sep}{v}" for k, v in zip(keys, items)) + "}"
            return prefix + "[" + ",".join(items) + "]"
        return prefix + draw(st.sampled_from(FLOW_VALUES))
    return draw(st.sampled_from(["", "\ufeff", "--- "])) + value(0)


yaml_like = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
    flow_document(),
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from("-:?[]{},&*!|>'\"#\n \t%@`abc01"), max_size=200),
)

PLAIN_SCALARS = (str, int, bool, type(None))


def _is_plain(data: object) -> bool:
    stack = [data]
    seen: set[int] = set()
    while stack:
        value = stack.pop()
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                return False  # a shared node: an alias got through
            seen.add(id(value))
        if isinstance(value, dict):
            if not all(isinstance(key, PLAIN_SCALARS) for key in value):
                return False
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif not isinstance(value, PLAIN_SCALARS):
            return False
    return True


@settings(SETTINGS, max_examples=800)
@given(yaml_like)
def test_any_text_reads_as_plain_data_or_raises_yaml_error(text: str):
    try:
        data, lines = parse_yaml(text)
    except YamlError as err:
        assert str(err)
        assert err.line is None or (isinstance(err.line, int) and err.line >= 1)
        return
    assert _is_plain(data), data
    assert all(isinstance(k, str) and isinstance(v, int) and v >= 1 for k, v in lines.items())
    # an integer is read only from its own decimal digits (no 0x7DE, 2_014 or 33:34 as 2014)
    assert all(str(number) in text for number in _integers(data)), (text, data)


def _integers(data: object) -> list[int]:
    found, stack = [], [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
            stack.extend(value.keys())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            found.append(value)
    return found


@settings(SETTINGS, max_examples=300)
@given(yaml_like)
def test_fields_lines_do_not_change_the_data(text: str):
    """Lines are worked out only when a problem needs them: the data is the same either way."""
    try:
        with_lines = parse_yaml(text)[0]
    except YamlError:
        with pytest.raises(YamlError):
            parse_yaml(text, with_lines=False)
        return
    assert parse_yaml(text, with_lines=False)[0] == with_lines


class _PyYamlResolver(strict_yaml._Loader):
    """PyYAML's own resolver with the strict loader's implicit rules."""

    yaml_implicit_resolvers = strict_yaml._StrictLoader.yaml_implicit_resolvers


def _tags(text: str, loader_class) -> list[tuple[str, object]] | str:
    loader = loader_class(text)
    try:
        stack, out = [loader.get_single_node()], []
    except yaml.YAMLError as err:
        return f"error: {err}"
    finally:
        loader.dispose()
    while stack:
        node = stack.pop()
        if node is None:
            continue
        out.append((node.tag, node.value if isinstance(node, yaml.ScalarNode) else None))
        if isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return out


@settings(SETTINGS, max_examples=400)
@given(st.one_of(st.sampled_from(TOKENS + FLOW_VALUES), st.text(max_size=12)),
       st.sampled_from(["{}", "k: {}", "- {}", "[{}, x]", "{{a: {}}}", "'{}'", "!!str {}"]))
def test_the_strict_loaders_resolver_gives_pyyamls_tags(scalar: str, form: str):
    """The strict loader's shortcut resolver tags every node as PyYAML's resolver does."""
    text = form.format(scalar)
    assert _tags(text, strict_yaml._StrictLoader) == _tags(text, _PyYamlResolver)


@settings(SETTINGS, max_examples=150)
@given(st.integers(min_value=0, max_value=5000), st.sampled_from(["[", "{", "- ", "a:\n "]))
def test_deep_nesting_is_an_error_not_a_crash(depth: int, opener: str):
    closer = {"[": "]", "{": "}"}.get(opener, "")
    text = opener * depth + "x" + closer * depth if closer else \
        "".join(" " * i + opener for i in range(min(depth, 700))) + "x"
    try:
        data, _ = parse_yaml(text)
    except YamlError:
        return
    assert _is_plain(data)


# ---- CaseChecker.check: mutations of a valid case ----

@pytest.fixture(scope="module")
def checker() -> CaseChecker:
    codebook_data, _ = parse_yaml(load.CODEBOOK_PATH.read_text(encoding="utf-8"))
    codebook = Codebook(codebook_data["vocabularies"], codebook_data.get("format", 1))
    placeholders = template_placeholders(load.TEMPLATE_PATH.read_text(encoding="utf-8"))
    return CaseChecker(codebook, dt.date.today(), placeholders)


@pytest.fixture(scope="module")
def valid_case() -> dict:
    data, _ = parse_yaml(CASE.read_text(encoding="utf-8"))
    return data


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10 ** 6)


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Every path (tuple of keys and indexes) to a value in the document."""
    out = []
    stack = [(data, prefix)]
    while stack:
        value, path = stack.pop()
        if path:
            out.append(path)
        if isinstance(value, dict):
            stack.extend((v, path + (k,)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, path + (i,)) for i, v in enumerate(value))
    return sorted(out, key=lambda p: [str(x) for x in p])


def _get(data: object, path: tuple) -> object:
    for part in path:
        data = data[part]
    return data


def _copy(data: object) -> object:
    return yaml.safe_load(dump(data))  # a deep copy through the same plain types


def _kind(value: object) -> str:
    return {bool: "bool", int: "int", str: "str", list: "list", dict: "dict",
            type(None): "null"}[type(value)]


# Texts no reader can see: zero-width characters, joiners, combining marks and variation
# selectors without a base letter, Unicode tags, fillers, spaces.
BLANK_CHARS = ("\u200b\u200c\u200d\u2060\ufeff\u00ad\u0301\u0308\ufe0f\ufe0e\u3164\u2800"
               "\U000e0041\U000e007f\u180e \t\n\u3000\u00a0")
# Characters that reorder or hide text, or control the terminal (not U+0085, which YAML
# reads as a line break, so a dumped text would not keep it).
HOSTILE_CHARS = "\u202e\u202d\u2066\u2067\u2068\u200f\u061c\x07\x1b\x00\U000e0069\ufff9"
JUNK_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(BLANK_CHARS), min_size=1, max_size=14),
    st.builds(lambda before, char, after: before + char + after,
              st.text(alphabet=string.ascii_letters + " ", min_size=0, max_size=20),
              st.sampled_from(HOSTILE_CHARS),
              st.text(alphabet=string.ascii_letters + " ", min_size=0, max_size=20)),
)
ANY_TEXT = st.text(max_size=40)
OF_KIND = {
    "bool": st.booleans(),
    "int": st.integers(min_value=-10 ** 6, max_value=10 ** 6),
    "str": ANY_TEXT,
    "list": st.lists(st.one_of(st.integers(), ANY_TEXT), max_size=3),
    "dict": st.dictionaries(st.sampled_from(["junk", "x", "code"]), st.integers(), min_size=1,
                            max_size=2).map(lambda d: {"junk_field": 1, **d}),
}


@st.composite
def invalidating_mutation(draw, case: dict) -> tuple[str, dict]:
    """A mutation that must make the case invalid, and the mutated case."""
    data = _copy(case)
    paths = _paths(data)
    action = draw(st.sampled_from(["delete", "insert", "swap", "junk-text"]))
    if action == "delete":
        # every field of a case is required, except an outcome's kind
        path = draw(st.sampled_from([p for p in paths if isinstance(p[-1], str)
                                     and p[-1] != "kind"]))
        del _get(data, path[:-1])[path[-1]]
    elif action == "insert":
        mappings = [()] + [p for p in paths if isinstance(_get(data, p), dict)]
        path = draw(st.sampled_from(mappings))
        name = draw(st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=12))
        target = _get(data, path)
        name = name if name not in target else name + "_unknown"
        from hypothesis import assume
        assume(name != "kind")  # 'kind' is a known field of an outcome
        target[name] = draw(st.one_of(st.none(), st.integers(), ANY_TEXT))
    elif action == "swap":
        path = draw(st.sampled_from(paths))
        old = _kind(_get(data, path))
        new = draw(st.sampled_from([k for k in OF_KIND if k != old and k != "null"]))
        _get(data, path[:-1])[path[-1]] = draw(OF_KIND[new])
    else:
        texts = [p for p in paths if isinstance(_get(data, p), str)]
        path = draw(st.sampled_from(texts))
        _get(data, path[:-1])[path[-1]] = draw(JUNK_TEXT)
    return f"{action} {path}", data


@st.composite
def any_mutation(draw, case: dict) -> dict:
    """One to four random changes, valid or not."""
    data = _copy(case)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get(data, path[:-1])
        action = draw(st.sampled_from(["delete", "replace", "append", "text"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(st.one_of(st.none(), *OF_KIND.values()))
        elif action == "append" and isinstance(_get(data, path), list):
            _get(data, path).append(draw(st.one_of(st.none(), *OF_KIND.values())))
        elif action == "text":
            parent[path[-1]] = draw(st.one_of(ANY_TEXT, JUNK_TEXT))
    return data


def _well_formed(result: CaseResult) -> None:
    assert isinstance(result, CaseResult)
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.file == FILE and problem.field
        assert "\n" not in str(problem) and "\r" not in str(problem)
        assert "\n" not in problem.github_annotation()


def test_the_valid_case_passes(checker, valid_case):
    result = checker.check(FILE, STEM, dump(valid_case))
    assert result.valid, [str(p) for p in result.problems]


def test_invalidating_mutations_never_pass(checker, valid_case):
    @settings(SETTINGS, max_examples=250)
    @given(invalidating_mutation(valid_case))
    def check(mutation):
        what, data = mutation
        result = checker.check(FILE, STEM, dump(data))
        _well_formed(result)
        assert not result.valid, f"passed after: {what}"
    check()


def test_any_mutation_never_crashes(checker, valid_case):
    @settings(SETTINGS, max_examples=250)
    @given(any_mutation(valid_case))
    def check(data):
        _well_formed(checker.check(FILE, STEM, dump(data)))
    check()


def test_text_damage_never_crashes(checker, valid_case):
    text = CASE.read_text(encoding="utf-8")

    @settings(SETTINGS, max_examples=200)
    @given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(text)),
                              st.integers(min_value=0, max_value=40),
                              st.sampled_from(TOKENS)), min_size=1, max_size=4))
    def check(edits):
        damaged = text
        for position, cut, insert in edits:
            position = min(position, len(damaged))
            damaged = damaged[:position] + insert + damaged[position + cut:]
        _well_formed(checker.check(FILE, STEM, damaged))
    check()
