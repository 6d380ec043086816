"""Random damage to JSON documents, for fuzzing the importers with Hypothesis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

JsonPath = tuple[str | int, ...]

ODD_VALUES: tuple[Any, ...] = (
    None,
    "",
    "x",
    "P-3Q",
    0,
    -1,
    1.5,
    10**30,
    float("nan"),
    True,
    [],
    {},
    ["x"],
    {"x": 1},
)
"""Values that replace a key's value: each is wrong somewhere in a study document."""


def all_paths(node: object, prefix: JsonPath = ()) -> Iterator[JsonPath]:
    """Every path to a value inside *node* (keys of objects, indices of lists)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from all_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from all_paths(value, (*prefix, index))


def changed(node: Any, path: JsonPath, value: Any, *, delete: bool = False) -> Any:
    """A copy of *node* with the value at *path* replaced (or deleted); only the containers on the path are copied."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict) and head in node:
        copy = dict(node)
        if delete and not rest:
            del copy[head]
        else:
            copy[head] = changed(node[head], rest, value, delete=delete)
        return copy
    if isinstance(node, list) and isinstance(head, int) and head < len(node):
        items = list(node)
        if delete and not rest:
            del items[head]
        else:
            items[head] = changed(node[head], rest, value, delete=delete)
        return items
    return node


def mutations(paths: list[JsonPath]) -> st.SearchStrategy[list[tuple[JsonPath, Any, bool]]]:
    """Lists of one to three (path, new value, delete?) changes."""
    change = st.tuples(st.sampled_from(paths), st.sampled_from(ODD_VALUES), st.booleans())
    return st.lists(change, min_size=1, max_size=3)


def apply(document: Any, changes: list[tuple[JsonPath, Any, bool]]) -> Any:
    """*document* with every change applied in turn."""
    for path, value, delete in changes:
        document = changed(document, path, value, delete=delete)
    return document
