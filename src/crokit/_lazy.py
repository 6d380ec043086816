"""Names a package exports but loads on first use (PEP 562), so ``import crokit`` stays light."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any


def load(package: str, lazy: Mapping[str, str], namespace: MutableMapping[str, Any], name: str) -> Any:
    """Import *name* from the module *lazy* names for it, and keep it in *namespace* for next time.

    Raises:
        AttributeError: *name* is not one of *package*'s lazily loaded names.
    """
    module = lazy.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    namespace[name] = value
    return value


def public_names(namespace: Iterable[str], exported: Iterable[str]) -> list[str]:
    """What ``dir()`` shows for a package: its loaded names and the exported ones not loaded yet."""
    return sorted(set(namespace) | set(exported))
