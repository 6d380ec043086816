"""A scenario's ``requires``: the extension packages it needs, checked before anything else.

A scenario that uses an extension's vocabulary (``acme:vector-shedding``) names the
package at its top::

    requires = ["acme-crokit"]

Each name is a distribution (what ``pip install`` takes) or an entry-point name of the
``crokit.extensions`` group. When one is not among the registry's loaded extensions the
file is refused with ONE error naming the package, instead of one "unknown id" error
per id the package would have defined. Names compare as packaging does: case, ``-``,
``_`` and ``.`` do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from crokit.errors import Problem, ValidationError
from crokit.registry import Registry

__all__ = ["check_requires", "normalise_requirements", "precheck_scenario"]

_NAME: Final = re.compile(r"\A[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\Z")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def normalise_requirements(value: object) -> tuple[str, ...]:
    """A converter: a list of package names to a tuple.

    Raises:
        ValidationError: For anything but texts that are package names, with the path
            ``requires[i]``.
    """
    if not isinstance(value, (list, tuple)):
        raise ValidationError.at("requires", f"expected a list of package names such as ['acme-crokit'], got {value!r}")
    items: Iterable[object] = value
    problems = [
        Problem(path=f"requires[{index}]", message=f"expected a package name such as 'acme-crokit', got {item!r}")
        for index, item in enumerate(items)
        if not isinstance(item, str) or not _NAME.match(item)
    ]
    if problems:
        raise ValidationError(problems)
    return tuple(str(item) for item in items)


def check_requires(requires: Iterable[str], registry: Registry, *, path: str = "requires") -> None:
    """Refuse with one error naming the first package of *requires* the registry has not loaded.

    >>> check_requires([], Registry.builtin())
    >>> check_requires(["acme-crokit"], Registry.builtin())
    Traceback (most recent call last):
    ...
    crokit.errors.ValidationError: requires[0]: this scenario needs the crokit extension package 'acme-crokit', \
which is not installed (no extension is loaded); install it (pip install acme-crokit), or check that \
CROKIT_NO_EXTENSIONS is not set
    """
    loaded: dict[str, str] = {}
    for info in registry.extensions:
        loaded[_canonical(info.distribution)] = info.distribution
        loaded[_canonical(info.name)] = info.distribution
    for index, name in enumerate(requires):
        if _canonical(name) in loaded:
            continue
        found = sorted({f"{info.distribution} {info.version}" for info in registry.extensions})
        have = f"loaded: {', '.join(found)}" if found else "no extension is loaded"
        raise ValidationError.at(
            f"{path}[{index}]",
            f"this scenario needs the crokit extension package {name!r}, which is not installed ({have}); "
            f"install it (pip install {name}), or check that CROKIT_NO_EXTENSIONS is not set",
        )


def precheck_scenario(data: Mapping[str, Any], registry: Any) -> None:
    """Check a scenario file's ``requires`` before the rest of it is read (see :class:`DocumentSpec`).

    Raises:
        ValidationError: For a malformed ``requires`` or a package that is not loaded,
            with the path ``scenario.requires[i]``.
    """
    if "requires" not in data or not isinstance(registry, Registry):
        return
    try:
        check_requires(normalise_requirements(data["requires"]), registry)
    except ValidationError as exc:
        raise exc.with_prefix("scenario") from None
