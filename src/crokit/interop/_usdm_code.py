"""Reading USDM ``Code`` and ``AliasCode`` objects, shared by every part of the USDM reader.

USDM states phases, types, scopes and modes as a ``Code`` (``code`` and ``decode``) or an
``AliasCode`` wrapping one as its ``standardCode``: :func:`read_code` gives the pair of
either, and :func:`is_code` tells whether a node carries a given NCI code or, failing
that, one of the given decodes.
"""

from __future__ import annotations

from crokit.interop._node import Node

__all__ = ["is_code", "read_code"]


def read_code(node: Node) -> tuple[str | None, str | None]:
    """The ``(code, decode)`` of a USDM Code, or of an AliasCode's standard code."""
    if node.mapping() is None:
        return None, None
    if node.has("standardCode"):
        node = node["standardCode"]
    return node["code"].text(), node["decode"].text()


def is_code(node: Node, code: str, *decodes: str) -> bool:
    """Whether *node* has the NCI *code*, or a decode that lower-cased is one of *decodes*."""
    found, decode = read_code(node)
    return found == code or (decode is not None and decode.lower() in decodes)
