"""Safe YAML with line numbers, for packs, config and front matter.

Hostile YAML is normal input for a linter: only plain data types are built (no object
tags), aliases are refused outright (the cheapest defence against "billion laughs"), and
documents are size-limited before parsing. Mappings and sequences remember the line of
each key/item so that validation errors can say `FILE:LINE: what is wrong`.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_YAML_BYTES = 4 * 1024 * 1024


class YamlError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]
    value_cols: dict[str, int]


class LineList(list):  # type: ignore[type-arg]
    line: int = 0
    item_lines: list[int]


# libyaml's parser when it is there (several times faster; packs load at every start).
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # An alias is a node met a second time: refuse it, whichever parser built the tree.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise YamlError("YAML aliases (*name) are not allowed", node.start_mark.line + 1)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        result.value_cols = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise YamlError("a mapping key must be a plain value", key_node.start_mark.line + 1) from None
            if key in result:
                raise YamlError(f"duplicate key '{key}'", key_node.start_mark.line + 1)
            if value_node in self.constructed_objects:
                raise YamlError("YAML aliases (*name) are not allowed", key_node.start_mark.line + 1)
            result[key] = self.construct_object(value_node, deep=True)
            if isinstance(key, str):
                result.key_lines[key] = key_node.start_mark.line + 1
                result.value_cols[key] = value_node.start_mark.column + 1
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_sequence)


def _line_of(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def load_yaml(text: str, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Parse one YAML document into plain data (LineDict/LineList/scalars)."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise YamlError(f"YAML document larger than {max_bytes // 1024} KiB")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from a safe loader
    except YamlError:
        raise
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlError(f"invalid YAML: {problem}", _line_of(exc)) from None
    except RecursionError:
        raise YamlError("YAML nested too deeply") from None
