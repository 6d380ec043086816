"""Reading and writing model files: format by extension, safe reads and atomic writes.

:func:`format_for` picks the format a file's extension names; :func:`read_text` reads a
file's bytes or says why it cannot; :func:`write_atomic` writes through a temporary file
and a rename so no partial file is left. :func:`load` and :func:`dump` read and write a
model through them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Final, TypeVar

from crokit.errors import InputFileError
from crokit.registry import Registry
from crokit.serialization._codec import dumps, loads
from crokit.serialization._text import Format

__all__ = ["dump", "format_for", "load", "read_text", "write_atomic"]

T = TypeVar("T")
_EXTENSIONS: Final[Mapping[str, Format]] = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}


def format_for(path: str | os.PathLike[str]) -> Format:
    """The format a file's extension names (``.json``, ``.toml``, ``.yaml``/``.yml``)."""
    suffix = Path(path).suffix.lower()
    try:
        return _EXTENSIONS[suffix]
    except KeyError:
        raise InputFileError(
            path, f"cannot tell the format from the extension {suffix or '(none)'!r}: use .toml, .json, .yaml or .yml"
        ) from None


def read_text(path: str | os.PathLike[str]) -> bytes:
    """The bytes of *path*, or an :class:`~crokit.errors.InputFileError` saying why not."""
    file = Path(path)
    if not file.exists():
        raise InputFileError(path, "no such file")
    if file.is_dir():
        raise InputFileError(path, "is a directory, expected a file")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise InputFileError(path, "is empty")
    return data


def load(path: str | os.PathLike[str], cls: type[T], *, registry: Registry | None = None) -> T:
    """Read a *cls* from a file, choosing the format by its extension."""
    format_ = format_for(path)
    return loads(read_text(path), cls, format_, registry=registry, source=str(path))


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* to *path* through a temporary file and a rename, so no partial file is left."""
    target = Path(path)
    if target.is_dir():
        raise InputFileError(path, "is a directory, expected a file name")
    directory = target.parent if str(target.parent) else Path()
    if not directory.is_dir():
        raise InputFileError(path, f"the folder {directory} does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dump(
    obj: object,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,  # noqa: A002 - "format" reads best here
    registry: Registry | None = None,
) -> None:
    """Write *obj* to *path*, in *format* or the one its extension names, atomically."""
    write_atomic(path, dumps(obj, format or format_for(path), registry=registry))
