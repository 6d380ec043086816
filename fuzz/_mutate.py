"""Mutations: byte-level damage of any input, and structure-aware edits of JSON/TOML/YAML trees.

Every function takes a :class:`random.Random` and is deterministic given its state, so a
run is reproduced by its seed. Tree mutations return a new tree (inputs are never
changed in place) and may plant :class:`Raw` leaves: text written into the document
verbatim (``012``, ``0x3C``, ``1:00``, ``.inf``), so a number can be spelled in ways
the renderers would never produce.
"""

from __future__ import annotations

import functools
import json
import random
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final

__all__ = [
    "BYTE_MUTATORS",
    "RAW_NUMBERS",
    "TREE_MUTATORS",
    "Raw",
    "mutate_bytes",
    "mutate_tree",
    "render",
]

_Tree = Any


class Raw:
    """A leaf written verbatim into the rendered document (not quoted, not escaped)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text!r})"


RAW_NUMBERS: Final = (
    "012",
    "0060",
    "0x3C",
    "0o74",
    "0b111100",
    "1:00",
    "1_000",
    "+60",
    "60.0",
    "6e1",
    "6E+1",
    ".inf",
    "-.inf",
    ".nan",
    "inf",
    "nan",
    "NaN",
    "Infinity",
    "-0",
    "1e9999999999",
    "1e9999999999999999999",
    "-1e-9999999999",
    "9" * 400,
    "0." + "0" * 300 + "1",
    "1e400",
    "~",
    "null",
    "yes",
    "no",
    "on",
    "True",
    "2027-01-04",
    "2027-01-04T10:00:00Z",
    "!!int 12",
    "!!float 1",
    "!!str 12",
    "&a 12",
    "12 # comment",
)
"""Number spellings planted as :class:`Raw` leaves: YAML 1.1 bases and sexagesimals,
TOML/YAML specials, huge exponents, tags and other text a reader must refuse or read
as what it says."""

_TOKENS: Final = (
    b"\xef\xbb\xbf",  # a byte-order mark
    b"\xc2\x85",  # NEL
    b"\xe2\x80\xa8",  # LINE SEPARATOR
    b"\\ud800",
    b'"\\ud800"',
    b"\\udfff\\ud800",
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",  # a surrogate encoded in UTF-8 (invalid)
    b"1e9999999999",
    b"1e9999999999999999999",
    b"-1e-9999999999",
    b"9" * 500,
    b"012",
    b"0x3C",
    b"0b111100",
    b"1:00",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b".inf",
    b"nan",
    b"inf",
    b"null",
    b"~",
    b"true",
    b"{}",
    b"[]",
    b'""',
    b'"',
    b"'",
    b"\\",
    b"\n",
    b"\r",
    b"\r\n",
    b"\t",
    b": ",
    b"- ",
    b"&a ",
    b"*a",
    b"<<: *a",
    b"!!binary ",
    b"!!python/object:os.system ",
    b"? ",
    b"%YAML 1.1\n---\n",
    b"---\n",
    b"...\n",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"[" * 3000,
    b"{" * 3000,
    b"- " * 2000,
    b"a = 1\n",
    b"[a]\n",
    b"[[a]]\n",
    b'"amount": "1900.00", ',
    b"2027-02-30",
    b"9999-12-31",
    b"0000-01-01",
)
_INTERESTING_BYTES: Final = (0x00, 0x0A, 0x0D, 0x20, 0x22, 0x27, 0x2C, 0x3A, 0x5B, 0x5D, 0x7B, 0x7D, 0x7F, 0x80, 0xFF)
_NUMBER: Final = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _flip_bits(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    if not data:
        return b"\x00"
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buffer[rng.randrange(len(buffer))] ^= 1 << rng.randrange(8)
    return bytes(buffer)


def _set_bytes(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    if not data:
        return bytes([rng.choice(_INTERESTING_BYTES)])
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        buffer[rng.randrange(len(buffer))] = rng.choice(_INTERESTING_BYTES)
    return bytes(buffer)


def _truncate(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _delete_range(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.choice((1, 2, 8, 64, 512)))
    return data[:start] + data[end:]


def _duplicate_range(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    piece = data[start : start + rng.choice((1, 16, 128, 1024))]
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece * rng.choice((1, 2, 10)) + data[at:]


def _splice(rng: random.Random, data: bytes, corpus: Sequence[bytes]) -> bytes:
    other = rng.choice(corpus) if corpus else data
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]


def _insert_token(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(_TOKENS) + data[at:]


def _replace_number(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    found = list(_NUMBER.finditer(data))
    if not found:
        return _insert_token(rng, data, _corpus)
    match = rng.choice(found)
    spelling = rng.choice(RAW_NUMBERS).encode()
    return data[: match.start()] + spelling + data[match.end() :]


def _bom(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    return rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) + data


def _line_endings(rng: random.Random, data: bytes, _corpus: Sequence[bytes]) -> bytes:
    return data.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\xc2\x85", b"\n\n")))


BYTE_MUTATORS: Final[tuple[Callable[[random.Random, bytes, Sequence[bytes]], bytes], ...]] = (
    _flip_bits,
    _set_bytes,
    _truncate,
    _delete_range,
    _duplicate_range,
    _splice,
    _insert_token,
    _insert_token,
    _replace_number,
    _replace_number,
    _bom,
    _line_endings,
)


def mutate_bytes(rng: random.Random, data: bytes, corpus: Sequence[bytes] = ()) -> tuple[bytes, str]:
    """Apply one to three byte-level mutations to *data*; returns the result and their names."""
    names = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        mutator = rng.choice(BYTE_MUTATORS)
        data = mutator(rng, data, corpus)
        names.append(mutator.__name__.lstrip("_"))
    return data, "+".join(names)


# -- trees -------------------------------------------------------------------------------


def _paths(tree: _Tree, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in *tree* (the root is ``()``), depth first."""
    found = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += _paths(value, (*prefix, index))
    return found


def _get(tree: _Tree, path: tuple[Any, ...]) -> _Tree:
    for step in path:
        tree = tree[step]
    return tree


def _replace(tree: _Tree, path: tuple[Any, ...], value: _Tree) -> _Tree:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(tree, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in tree.items()}
    copy = list(tree)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _leaf_paths(tree: _Tree) -> list[tuple[Any, ...]]:
    return [p for p in _paths(tree) if p and not isinstance(_get(tree, p), dict | list)]


def _other_type(rng: random.Random, value: _Tree) -> _Tree:
    choices: list[_Tree] = [
        None,
        True,
        False,
        0,
        -1,
        2**63,
        "",
        "x",
        "12.50",
        [],
        {},
        [value],
        {"value": value},
        Raw("1.5"),
        Raw("1e3"),
    ]
    if isinstance(value, str):
        choices += [value.upper(), value + " ", " " + value, value * 50]
    if isinstance(value, int) and not isinstance(value, bool):
        choices += [str(value), value + 1, -value, value * 10**6, Raw(f"{value}.0")]
    return rng.choice([c for c in choices if c is not value])


def _type_swap(rng: random.Random, tree: _Tree) -> _Tree:
    paths = _paths(tree)[1:]
    if not paths:
        return tree
    path = rng.choice(paths)
    return _replace(tree, path, _other_type(rng, _get(tree, path)))


def _huge_number(rng: random.Random, tree: _Tree) -> _Tree:
    leaves = _leaf_paths(tree)
    if not leaves:
        return tree
    value: _Tree = rng.choice(
        (
            10**400,
            -(10**400),
            2**64,
            2**31,
            "1e9999999999",
            "1E+999999999999999999",
            "-1e-999999999",
            "9" * 400,
            "0." + "0" * 400 + "1",
            "1e30",
            "1000000000000000000000000000000.01",
            "133333333333333333333333329.9",
        )
    )
    return _replace(tree, rng.choice(leaves), value)


def _raw_number(rng: random.Random, tree: _Tree) -> _Tree:
    leaves = [p for p in _leaf_paths(tree) if isinstance(_get(tree, p), int | float | str)]
    if not leaves:
        return tree
    return _replace(tree, rng.choice(leaves), Raw(rng.choice(RAW_NUMBERS)))


_TEXT_DAMAGE: Final = ("\x85", "\u2028", "\ud800", "\udfff", "\x00", "\x1b[31m", "\u202e", "\ufeff", "\n", "\r", "\t")


def _text_damage(rng: random.Random, tree: _Tree) -> _Tree:
    leaves = [p for p in _leaf_paths(tree) if isinstance(_get(tree, p), str)]
    if not leaves:
        return tree
    path = rng.choice(leaves)
    text = _get(tree, path)
    at = rng.randrange(len(text) + 1)
    piece = rng.choice(_TEXT_DAMAGE) * rng.choice((1, 1, 3))
    return _replace(tree, path, text[:at] + piece + text[at:])


def _drop_key(rng: random.Random, tree: _Tree) -> _Tree:
    dicts = [p for p in _paths(tree) if isinstance(_get(tree, p), dict) and _get(tree, p)]
    if not dicts:
        return tree
    path = rng.choice(dicts)
    node = _get(tree, path)
    key = rng.choice(list(node))
    return _replace(tree, path, {k: v for k, v in node.items() if k != key})


def _add_key(rng: random.Random, tree: _Tree) -> _Tree:
    dicts = [p for p in _paths(tree) if isinstance(_get(tree, p), dict)]
    if not dicts:
        return tree
    path = rng.choice(dicts)
    node = _get(tree, path)
    key = rng.choice(("extra", "Amount", "schema_version", "kind", "__class__", "", " ", "amount "))
    if node:
        key = rng.choice((key, next(iter(node)).upper()))
    return _replace(tree, path, {**node, key: rng.choice((1, "x", None, [], {}))})


def _list_edit(rng: random.Random, tree: _Tree) -> _Tree:
    lists = [p for p in _paths(tree) if isinstance(_get(tree, p), list)]
    if not lists:
        return _type_swap(rng, tree)
    path = rng.choice(lists)
    items = list(_get(tree, path))
    action = rng.randrange(4)
    if action == 0 or not items:
        items = []
    elif action == 1:
        items.append(rng.choice(items))
    elif action == 2:
        items.reverse()
    else:
        items = items * rng.choice((2, 50))
    return _replace(tree, path, items)


def _deep_nesting(rng: random.Random, tree: _Tree) -> _Tree:
    leaves = _leaf_paths(tree) or [()]
    depth = rng.choice((50, 500, 5000, 50000))
    opener, closer = rng.choice((("[", "]"), ("{a: ", "}")))
    return _replace(tree, rng.choice(leaves), Raw(opener * depth + "1" + closer * depth))


def _dates(rng: random.Random, tree: _Tree) -> _Tree:
    leaves = [
        p
        for p in _leaf_paths(tree)
        if isinstance(_get(tree, p), str) and re.fullmatch(r"\d{4}-\d\d-\d\d", _get(tree, p))
    ]
    if not leaves:
        return _text_damage(rng, tree)
    value = rng.choice(
        ("2027-02-30", "0001-01-01", "9999-12-31", "2027-1-4", "2027-01-04T00:00:00", "20270104", " 2027-01-04")
    )
    return _replace(tree, rng.choice(leaves), rng.choice((value, Raw(value))))


TREE_MUTATORS: Final[tuple[Callable[[random.Random, _Tree], _Tree], ...]] = (
    _type_swap,
    _type_swap,
    _huge_number,
    _raw_number,
    _raw_number,
    _text_damage,
    _drop_key,
    _add_key,
    _list_edit,
    _deep_nesting,
    _dates,
)


def mutate_tree(rng: random.Random, tree: _Tree) -> tuple[_Tree, str]:
    """Apply one or two structure-aware mutations to *tree*; returns the new tree and their names."""
    names = []
    for _ in range(rng.choice((1, 1, 2))):
        mutator = rng.choice(TREE_MUTATORS)
        tree = mutator(rng, tree)
        names.append(mutator.__name__.lstrip("_"))
    return tree, "+".join(names)


def has_raw(tree: _Tree) -> bool:
    """Whether *tree* holds a :class:`Raw` leaf (so its rendering says more than the tree)."""
    if isinstance(tree, Raw):
        return True
    if isinstance(tree, dict):
        return any(has_raw(v) for v in tree.values())
    if isinstance(tree, list):
        return any(has_raw(v) for v in tree)
    return False


def _placeholders(tree: _Tree, found: list[str]) -> _Tree:
    if isinstance(tree, Raw):
        found.append(tree.text)
        return f"@@RAW{len(found) - 1}@@"
    if isinstance(tree, dict):
        return {k: _placeholders(v, found) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_placeholders(v, found) for v in tree]
    if isinstance(tree, Decimal):
        return str(tree)
    return tree


def _drop_none(tree: _Tree) -> _Tree:
    if isinstance(tree, dict):
        return {k: _drop_none(v) for k, v in tree.items() if v is not None}
    if isinstance(tree, list):
        return [_drop_none(v) for v in tree if v is not None]
    return tree


@functools.cache
def _yaml_dumper(*, libyaml: bool = True) -> Any:
    r"""PyYAML's safe dumper, writing text that holds U+0085, U+2028 or U+2029 double-quoted.

    PyYAML emits YAML 1.1, where those three characters are line breaks: in a plain or
    single-quoted scalar it writes them raw and indents the next "line", which a YAML 1.2
    reader (crokit's) keeps as part of the text. Double-quoted, they are written as the
    escapes ``\N``, ``\L`` and ``\P``, which mean the same in both versions, so the
    rendered text says what the tree holds. Raw breaks still reach the readers through
    byte damage, which the oracle reads as YAML 1.2.
    """
    import yaml

    def text(dumper: Any, value: str) -> Any:
        style = '"' if any(char in value for char in "\x85\u2028\u2029") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    # LibYAML's emitter when PyYAML has it: the pure-Python one took a third of the time
    # of a scenario.yaml input. Only the rendering of inputs runs in C; the oracle keeps
    # PyYAML's pure-Python composer, so it does not share a parser with crokit's reader.
    base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper) if libyaml else yaml.SafeDumper
    representers: dict[Any, Any] = {**base.yaml_representers, str: text}
    return type("FuzzDumper", (base,), {"yaml_representers": representers})


def render(tree: _Tree, format_: str, *, duplicate: bool = False, rng: random.Random | None = None) -> str:
    """*tree* as JSON, TOML or YAML text, with every :class:`Raw` leaf written verbatim.

    With *duplicate*, one ``key: value`` line of the text is repeated with a changed
    value right after itself (a duplicate key), where the format's layout allows it.
    """
    raws: list[str] = []
    plain = _placeholders(tree, raws)
    if format_ == "json":
        text = json.dumps(plain, indent=1, ensure_ascii=rng is not None and rng.random() < 0.3)
    elif format_ == "toml":
        import tomli_w

        plain = _drop_none(plain)
        text = tomli_w.dumps(plain if isinstance(plain, dict) else {"value": plain})
    else:
        import yaml

        options: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 10**6}
        try:
            text = yaml.dump(plain, Dumper=_yaml_dumper(), **options)
        except UnicodeEncodeError:  # a lone surrogate, which only the pure-Python emitter writes
            text = yaml.dump(plain, Dumper=_yaml_dumper(libyaml=False), **options)
    for index, raw in enumerate(raws):
        token = f"@@RAW{index}@@"
        for quoted in (f'"{token}"', f"'{token}'", token):
            text = text.replace(quoted, raw)
    if duplicate and rng is not None:
        text = _duplicate_line(rng, text, format_)
    return text


_KEY_LINE: Final = {
    "json": re.compile(r'^(\s*"[^"]+": )("?[-0-9.]+"?)(,?)$', re.MULTILINE),
    "toml": re.compile(r"^(\s*[A-Za-z_][\w-]* = )(\"?[-0-9.]+\"?)()$", re.MULTILINE),
    "yaml": re.compile(r"^(\s*[A-Za-z_][\w-]*: )('?[-0-9.]+'?)()$", re.MULTILINE),
}


def _duplicate_line(rng: random.Random, text: str, format_: str) -> str:
    lines = list(_KEY_LINE[format_].finditer(text))
    if not lines:
        return text
    match = rng.choice(lines)
    key, value, comma = match.group(1), match.group(2), match.group(3)
    changed = value.replace("1", "7", 1) if "1" in value else value[:-1] + "9" if value[-1:].isdigit() else value
    if format_ == "json":
        extra = f"{key}{changed},\n" if comma else f",\n{key}{changed}"
        insert = match.start() if comma else match.end()
        return text[:insert] + extra + text[insert:]
    return text[: match.end()] + "\n" + key + changed + text[match.end() :]
