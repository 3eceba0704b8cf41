from __future__ import annotations

import pytest

from postguard.yamlsafe import LineDict, YamlError, load_yaml


def test_line_numbers_are_kept() -> None:
    data = load_yaml("a: 1\nb:\n  - x\n  - y\n")
    assert isinstance(data, LineDict)
    assert data.key_lines == {"a": 1, "b": 2}
    assert data["b"].item_lines == [3, 4]


def test_aliases_are_refused() -> None:
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    with pytest.raises(YamlError, match="aliases"):
        load_yaml(bomb)


def test_object_tags_are_refused() -> None:
    with pytest.raises(YamlError):
        load_yaml("x: !!python/object/apply:os.system ['echo hacked']")


def test_duplicate_keys_are_refused_with_line() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml("a: 1\nb: 2\na: 3\n")
    assert info.value.line == 3


def test_size_limit() -> None:
    with pytest.raises(YamlError, match="larger"):
        load_yaml("a: " + "x" * 2000, max_bytes=1000)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(YamlError):
        load_yaml("[" * 5000 + "]" * 5000)
