"""Strict, bounded YAML: text in, plain data and the line of every field out.

Contributed files are read as plain data only, and within limits checked *before* any
structure is built, because the C YAML composer kills the whole process on very deep
nesting and an alias bomb can expand a few kilobytes into gigabytes:

- size, control characters, nesting depth and node count are checked first, on the
  C parser's event stream (which does not recurse);
- anchors, aliases and explicit tags are refused: a case file never needs them (the event
  check finds them; the structure built afterwards refuses any alias or tag it meets, so
  JSON-style ``"key":&anchor`` or a byte-order mark cannot slip one past);
- no implicit dates, yes/no/on/off booleans or floats, and integers in decimal only
  (``NO`` stays Norway, ``2013.0``, ``0x7DD``, ``03735``, ``2_013`` and ``33:33`` stay text
  and are then refused where a year is expected);
- a key given twice in one mapping, or a key that is not plain text, is an error.

Pure: no file is read here (:mod:`analysis.dataset.load` reads the files).
"""
from __future__ import annotations

import re
import unicodedata

import yaml

MAX_BYTES = 256 * 1024
MAX_DEPTH = 32
MAX_NODES = 50_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(ValueError):
    """A text that cannot be read as plain data; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _StrictLoader(_Loader):
    """The safe loader without implicit dates, yes/no booleans or floats; decimal integers only.

    The composer asks :meth:`resolve` for the tag of every node; these data files have no
    path resolvers, so the shortcut below gives the same tags as PyYAML's resolver with a
    quarter of the calls' cost (a case file has hundreds of nodes, a review thousands of
    files)."""

    def descend_resolver(self, current_node, current_index):  # no path resolvers
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_DROPPED = ("tag:yaml.org,2002:timestamp", _BOOL, "tag:yaml.org,2002:float", _INT)
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _StrictLoader.yaml_implicit_resolvers.setdefault(_first, []).append(
        (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)\Z")))
for _first in "-0123456789":
    _StrictLoader.yaml_implicit_resolvers.setdefault(_first, []).append(
        (_INT, re.compile(r"^-?(?:0|[1-9][0-9]{0,17})\Z")))
_PLAIN_TAGS = (_INT, _BOOL, _NULL)
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

# Characters YAML itself refuses, and those it accepts but a text file should not hold.
_NOT_ALLOWED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _character_name(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def _check_text(text: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise YamlError(f"the file is {size // 1024} KB; a data file may hold at most "
                        f"{MAX_BYTES // 1024} KB")
    bad = _NOT_ALLOWED.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise YamlError(f"character {_character_name(bad.group())} is not allowed in a data "
                        "file; remove it", line)


def _check_events(text: str) -> None:
    """Depth, node count, anchors, aliases and tags, from the event stream (no recursion)."""
    depth = nodes = 0
    events = yaml.parse(text, Loader=_StrictLoader)
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise YamlError("aliases (*name) are not allowed; write the value out", line)
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlError(f"more than {MAX_NODES} values; a data file is far smaller", line)
            if event.anchor is not None:
                raise YamlError(f"anchors (&{event.anchor}) are not allowed; write the value out", line)
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            explicit = tag not in (None, "!") and not (implicit is True or (
                isinstance(implicit, tuple) and any(implicit)))
            if explicit:
                raise YamlError(f"tags such as '{tag}' are not allowed; a data file holds plain "
                                "text, numbers and lists only", line)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(f"nested more than {MAX_DEPTH} levels deep; a data file is "
                                "far flatter", line)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


_STR = "tag:yaml.org,2002:str"
# Only a text holding one of these can hold an anchor, alias, tag, deep flow nesting or a long
# chain of block sequences; such a text gets the exact check on the event stream first. Each
# test is a plain substring search first, so an ordinary file costs almost nothing here.
# An anchor, alias or tag may follow a space, a flow indicator, a ':' or '?' written without
# a space (JSON style: "key":&a) or a byte-order mark.
_INDICATOR = re.compile(r"[&*!]\S")
_BLOCK_CHAIN = re.compile(r"(?:-[ \t]+){16}")
_AFTER = frozenset(" \t\r\n[]{},:?\ufeff")


def _needs_event_check(text: str) -> bool:
    if text.count("[") + text.count("{") > 256 or " " * 256 in text:
        return True
    if "- -" in text and _BLOCK_CHAIN.search(text):
        return True
    return any(m.start() == 0 or text[m.start() - 1] in _AFTER for m in _INDICATOR.finditer(text))


def _scalar(node: yaml.ScalarNode, loader: yaml.BaseLoader) -> object:
    """A scalar's value: text, or a decimal integer, true/false or null written plainly."""
    if node.tag == _STR:
        return node.value
    if node.tag in _PLAIN_TAGS and not node.style \
            and loader.resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag:
        return loader.construct_object(node)
    raise YamlError(f"tags such as '{node.tag}' are not allowed; a data file holds plain text, "
                    "numbers and lists only", node.start_mark.line + 1)


def _build(root: yaml.Node, loader: yaml.BaseLoader, with_lines: bool = True) \
        -> tuple[object, dict[str, int]]:
    """Plain data and the line of each field path (``roles[1].basis``), built without recursion.

    Without ``with_lines`` the paths are not built (they cost a third of the time and are
    needed only to point at a problem). A node met twice is an alias, and a node with a tag
    other than the one its plain text implies was tagged explicitly: both are refused here
    too, whatever the event check saw."""
    lines: dict[str, int] = {}
    holder: list = [None]
    stack: list[tuple[yaml.Node, str, object, object, int]] = [(root, "", holder, 0, 1)]
    seen: set[int] = set()
    while stack:
        node, path, parent, slot, depth = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise YamlError("aliases (*name) are not allowed; write the value out", line)
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise YamlError(f"more than {MAX_NODES} values; a data file is far smaller", line)
        if depth > MAX_DEPTH:
            raise YamlError(f"nested more than {MAX_DEPTH} levels deep; a data file is far "
                            "flatter", line)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            raise YamlError(f"tags such as '{node.tag}' are not allowed; a data file holds plain "
                            "text, numbers and lists only", line)
        if isinstance(node, yaml.MappingNode):
            value: object = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlError(f"{path or '(file)'}: a key must be plain text, not a list "
                                    "or mapping", key_line)
                if id(key_node) in seen:
                    raise YamlError("aliases (*name) are not allowed; write the value out",
                                    key_line)
                seen.add(id(key_node))
                key = _scalar(key_node, loader)
                if key in value:
                    where = f"{path}.{key}" if path else str(key)
                    first = f"lines {lines[where]} and {key_line}" if with_lines else f"line {key_line}"
                    raise YamlError(f"{where}: key '{key}' appears twice ({first}); keep one", key_line)
                child = (f"{path}.{key}" if path else str(key)) if with_lines else path
                if with_lines:
                    lines[child] = key_line
                value[key] = None
                stack.append((value_node, child, value, key, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            value = [None] * len(node.value)
            for i, item in enumerate(node.value):
                child = f"{path}[{i}]" if with_lines else path
                if with_lines:
                    lines[child] = item.start_mark.line + 1
                stack.append((item, child, value, i, depth + 1))
        else:
            value = _scalar(node, loader)
        parent[slot] = value
    return holder[0], lines


def parse_yaml(text: str, with_lines: bool = True) -> tuple[object, dict[str, int]]:
    """Parse YAML text as plain data; return the data and the line of every field (an empty
    map without ``with_lines``).

    Raises :class:`YamlError`, never anything else, for any text.
    """
    if not isinstance(text, str):
        raise YamlError("not text")
    _check_text(text)
    try:
        if _needs_event_check(text):
            _check_events(text)
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            return (None, {}) if node is None else _build(node, loader, with_lines)
        finally:
            loader.dispose()
    except YamlError:
        raise
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark or err.context_mark
        raise YamlError(f"cannot be read as plain data: {(err.problem or '').strip()}",
                        mark.line + 1 if mark else None) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise YamlError(f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
    except Exception as err:  # noqa: BLE001 - a constructor's IndexError, a RecursionError...
        raise YamlError(f"cannot be read as plain data ({type(err).__name__})") from None
