"""Reading and writing model files: format by extension, bounded reads and atomic writes.

:func:`format_for` picks the format a file's extension names. :func:`read_bytes` reads
a *regular* file, checked with ``os.stat`` before it is opened (a FIFO, a device or a
folder is refused, never waited on or read without end), and only up to the input
limit (:func:`max_input_bytes`: 64 MiB unless ``CROKIT_MAX_INPUT_BYTES`` or
:func:`input_limit` says otherwise). :func:`write_atomic` writes through a temporary
file in the target's folder and ``os.replace``, so no partial file is ever left; the
file keeps the mode of the file it replaces, or gets ``0o666 & ~umask`` (``0644`` by
default) when new; a symbolic link is written through to the file it points to and
stays a link. :func:`load` and :func:`dump` read and write a model through them.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Final, TypeVar

import attrs

from crokit.errors import InputFileError, MissingDependencyError, ValidationError
from crokit.registry import Registry
from crokit.serialization._codec import dumps, structure
from crokit.serialization._text import Format, parse

__all__ = [
    "DEFAULT_MAX_INPUT_BYTES",
    "MAX_INPUT_ENV",
    "FileSession",
    "dump",
    "encode_text",
    "file_session",
    "format_for",
    "input_limit",
    "load",
    "max_input_bytes",
    "parse_size",
    "read_bytes",
    "read_text",
    "refuse_surrogates",
    "require_format",
    "session_inputs",
    "write_atomic",
    "write_atomic_with",
]

T = TypeVar("T")
_EXTENSIONS: Final[Mapping[str, Format]] = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}

DEFAULT_MAX_INPUT_BYTES: Final = 64 * 1024 * 1024
"""The largest file crokit reads unless told otherwise: 64 MiB."""
MAX_INPUT_ENV: Final = "CROKIT_MAX_INPUT_BYTES"
"""The environment variable that changes the input limit (``CROKIT_MAX_INPUT_BYTES=200MiB``)."""

_UNITS: Final[Mapping[str, int]] = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "kib": 1024,
    "m": 1000**2,
    "mb": 1000**2,
    "mib": 1024**2,
    "g": 1000**3,
    "gb": 1000**3,
    "gib": 1024**3,
}
_SIZE: Final = re.compile(r"\s*([0-9]{1,15})\s*([a-zA-Z]{0,3})\s*")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_READ_CHUNK: Final = 1 << 20


@attrs.define(kw_only=True)
class FileSession:
    """What one command (or other caller) reads: its input limit and every file it has read.

    Attributes:
        limit: The input limit in bytes, or ``None`` for :func:`max_input_bytes`'s default.
        inputs: ``(path, device, inode)`` of every file read through :func:`read_bytes`.
    """

    limit: int | None = None
    inputs: list[tuple[str, int, int]] = attrs.Factory(list)


_SESSION: ContextVar[FileSession | None] = ContextVar("crokit_file_session", default=None)


def parse_size(text: str, *, what: str = "size") -> int:
    """A byte count from text such as ``"1000"``, ``"64MiB"``, ``"10M"`` or ``"2 GB"``.

    ``k``/``M``/``G`` (and ``kB``/``MB``/``GB``) are powers of 1000, ``KiB``/``MiB``/``GiB``
    powers of 1024; the size must be at least 1 byte.

    Raises:
        ValidationError: At *what*, for anything else.

    >>> parse_size("64MiB"), parse_size("10M"), parse_size("1000")
    (67108864, 10000000, 1000)
    """
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS or int(match.group(1)) * _UNITS[unit] < 1:
        raise ValidationError.at(what, f"expected a size in bytes such as 67108864, 64MiB or 100M, got {text!r}")
    return int(match.group(1)) * _UNITS[unit]


def max_input_bytes() -> int:
    """The largest file crokit reads now: the session's limit, else ``CROKIT_MAX_INPUT_BYTES``, else 64 MiB.

    Raises:
        ValidationError: If ``CROKIT_MAX_INPUT_BYTES`` is set to something that is not a size.
    """
    session = _SESSION.get()
    if session is not None and session.limit is not None:
        return session.limit
    value = os.environ.get(MAX_INPUT_ENV, "").strip()
    return parse_size(value, what=MAX_INPUT_ENV) if value else DEFAULT_MAX_INPUT_BYTES


@contextlib.contextmanager
def file_session(*, limit: int | None = None) -> Iterator[FileSession]:
    """Within the block, reads use *limit* (if given) and record each file read in the session."""
    session = FileSession(limit=limit)
    token = _SESSION.set(session)
    try:
        yield session
    finally:
        _SESSION.reset(token)


def input_limit(limit: int) -> contextlib.AbstractContextManager[FileSession]:
    """Within the block, read files of at most *limit* bytes (instead of :func:`max_input_bytes`)."""
    return file_session(limit=limit)


def format_for(path: str | os.PathLike[str]) -> Format:
    """The format a file's extension names (``.json``, ``.toml``, ``.yaml``/``.yml``)."""
    suffix = Path(path).suffix.lower()
    try:
        return _EXTENSIONS[suffix]
    except KeyError:
        raise InputFileError(
            path, f"cannot tell the format from the extension {suffix or '(none)'!r}: use .toml, .json, .yaml or .yml"
        ) from None


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _regular(path: str | os.PathLike[str], info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(path, "is a directory, expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(path, f"is {_kind(info.st_mode)}: crokit reads only regular files")


def _too_large(path: str | os.PathLike[str], size: str, limit: int) -> InputFileError:
    return InputFileError(
        path,
        f"is {size} bytes, more than the input limit of {limit} bytes "
        f"(raise it with --max-input-size or {MAX_INPUT_ENV})",
    )


def _os_error(path: str | os.PathLike[str], exc: OSError, doing: str) -> InputFileError:
    if isinstance(exc, FileNotFoundError) and doing == "read":
        return InputFileError(path, "no such file")
    return InputFileError(path, f"cannot be {doing} ({exc.strerror or exc})")


def read_bytes(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """The bytes of the regular file *path*, at most *limit* (default :func:`max_input_bytes`).

    The file is checked with ``os.stat`` before it is opened, and opened without
    blocking, so a FIFO never hangs and a device (``/dev/zero``, or a link to it) is
    never read; a file that grows past the limit while being read is refused too.

    Raises:
        InputFileError: If the file is missing, not a regular file, too large or unreadable.
    """
    limit = max_input_bytes() if limit is None else limit
    try:
        info = Path(path).stat()
    except OSError as exc:
        raise _os_error(path, exc, "read") from None
    except ValueError:  # a NUL character in the path
        raise InputFileError(repr(str(path)), "is not a valid file name") from None
    _regular(path, info)
    if info.st_size > limit:
        raise _too_large(path, str(info.st_size), limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise _os_error(path, exc, "read") from None
    chunks: list[bytes] = []
    try:
        opened = os.fstat(handle)
        _regular(path, opened)  # the path may have been swapped for something else since os.stat
        size = 0
        while size <= limit:
            chunk = os.read(handle, min(_READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        if isinstance(exc, InputFileError):
            raise
        raise _os_error(path, exc, "read") from None
    finally:
        os.close(handle)
    if size > limit:
        raise _too_large(path, f"more than {limit}", limit)
    session = _SESSION.get()
    if session is not None:
        session.inputs.append((str(path), opened.st_dev, opened.st_ino))
    return b"".join(chunks)


def read_text(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """The bytes of *path* as :func:`read_bytes` reads them, refusing an empty (or blank) file.

    Raises:
        InputFileError: If the file cannot be read (see :func:`read_bytes`) or is empty.
    """
    data = read_bytes(path, limit=limit)
    if not data.strip():
        raise InputFileError(path, "is empty")
    return data


def require_format(format: Format) -> None:  # noqa: A002 - "format" reads best here
    """Check that the optional package *format* needs is installed.

    Raises:
        MissingDependencyError: For YAML without PyYAML (``pip install 'crokit[yaml]'``).
    """
    if format == "yaml":
        try:
            import yaml  # noqa: F401 - imported to find out whether it is there
        except ImportError:
            raise MissingDependencyError("PyYAML", "yaml") from None


def refuse_surrogates(data: object) -> None:
    """Refuse text in plain *data* holding a lone surrogate (U+D800 to U+DFFF), which UTF-8 cannot write.

    Raises:
        ValidationError: At the path of the first such text.
    """
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found:
                raise ValidationError.at(
                    path,
                    f"text holds the lone surrogate U+{ord(found.group()):04X} at character {found.start() + 1}, "
                    "which is not a Unicode character: remove it",
                )
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                where = f"{path}.{key}" if path else str(key)
                stack.append((where, item))
                stack.append((where, key))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in reversed(list(enumerate(value))))


def load(path: str | os.PathLike[str], cls: type[T], *, registry: Registry | None = None) -> T:
    """Read a *cls* from a file, choosing the format by its extension.

    Raises:
        InputFileError: If the file cannot be read (see :func:`read_bytes`).
        MissingDependencyError: For a YAML file without PyYAML installed.
        FormatError: If the text is not valid in its format.
        ValidationError: Listing every problem with its path (also for text holding a
            lone surrogate, which could never be written back).
    """
    format_ = format_for(path)
    require_format(format_)
    data = parse(read_text(path), format_, source=str(path))
    refuse_surrogates(data)
    return structure(data, cls, registry=registry)


def encode_text(text: str, *, what: str = "output") -> bytes:
    """*text* as UTF-8, or a :class:`~crokit.errors.ValidationError` naming where it cannot be.

    Raises:
        ValidationError: At *what*, if the text holds a lone surrogate.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        raise ValidationError.at(
            what, f"cannot be written as UTF-8: character {exc.start + 1} is the lone surrogate U+{ord(bad):04X}"
        ) from None


def _umask() -> int:
    """The process's file-creation mask, read without changing it (Linux); 0o022 where it cannot be read."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _destination(path: str | os.PathLike[str]) -> tuple[Path, int, os.stat_result | None]:
    """The file to replace (a symbolic link's target), the mode the new file gets, and the old file's status."""
    try:
        target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _os_error(path, exc, "written") from None
    except ValueError:  # a NUL character in the path
        raise InputFileError(repr(str(path)), "is not a valid file name") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputFileError(path, "is a directory, expected a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise InputFileError(path, f"is {_kind(info.st_mode)}: crokit writes only regular files")
    folder = target.parent
    if not folder.is_dir():
        raise InputFileError(path, f"the folder {folder} does not exist")
    mode = info.st_mode & 0o777 if info is not None else 0o666 & ~_umask()
    return target, mode, info


def _keep_owner(temporary: str, old: os.stat_result) -> None:
    """Give the new file the replaced file's group (and owner, when allowed), as far as permitted."""
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):
            os.chown(temporary, old.st_uid, old.st_gid)
        with contextlib.suppress(OSError):
            os.chown(temporary, -1, old.st_gid)


def session_inputs() -> tuple[tuple[str, int, int], ...]:
    """``(path, device, inode)`` of every file read in the current :func:`file_session` (none outside one)."""
    session = _SESSION.get()
    return tuple(session.inputs) if session is not None else ()


def write_atomic_with(path: str | os.PathLike[str], write: Callable[[str], None]) -> Path:
    """Have *write* fill a temporary file in *path*'s folder, then move it over *path* in one step.

    The new file keeps the permission bits (and, as far as allowed, the owner and
    group) of the file it replaces, or gets ``0o666 & ~umask``; if *path* is a
    symbolic link, the file it points to is replaced and the link kept. On any failure
    (even an interrupt) the temporary file is removed and *path* is left as it was.
    Returns the path written (the link's target for a link).

    Raises:
        InputFileError: If *path* is a folder or not a regular file, its folder does not
            exist, or the file cannot be written (permission, read-only or full disk).
    """
    target, mode, old = _destination(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _os_error(path, exc, "written") from None
    os.close(handle)
    try:
        write(temporary)
        with open(temporary, "rb+") as stream:  # noqa: PTH123 - fsync needs the descriptor
            os.fsync(stream.fileno())
        if old is not None:
            _keep_owner(temporary, old)
        Path(temporary).chmod(mode)  # mkstemp makes the file private; give it the mode a new file gets
        Path(temporary).replace(target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, InputFileError):
            raise _os_error(path, exc, "written") from None
        raise
    return target


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Write *text* (as UTF-8) or bytes to *path* atomically (see :func:`write_atomic_with`).

    Raises:
        InputFileError: If the file cannot be written.
        ValidationError: If *text* holds a lone surrogate, which UTF-8 cannot write.
    """
    data = text if isinstance(text, bytes) else encode_text(text, what=str(path))

    def write(temporary: str) -> None:
        Path(temporary).write_bytes(data)

    return write_atomic_with(path, write)


def dump(
    obj: object,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,  # noqa: A002 - "format" reads best here
    registry: Registry | None = None,
    indent: int | None = None,
) -> None:
    """Write *obj* to *path*, in *format* or the one its extension names, atomically.

    The file keeps the mode of the file it replaces, or gets ``0o666 & ~umask``
    (``0644`` by default); see :func:`write_atomic_with`. JSON is compact unless
    *indent* is given (see :func:`~crokit.serialization.dumps`).
    """
    write_atomic(path, dumps(obj, format or format_for(path), registry=registry, indent=indent))
