"""Files and failures at the edge of the command line: inputs, outputs, exit codes.

Every command runs inside :func:`run`, which gives it a file session (the input size
limit, and a record of every file read), and turns each way a command can fail into
one line on stderr and a documented exit code, never a traceback:

- :data:`EXIT_INVALID` (1): a :class:`~crokit.errors.CrokitError` (invalid input, a
  missing optional package, an output that would overwrite an input) or an operating
  system error (permission, read-only or full disk, ...);
- :data:`EXIT_INTERRUPTED` (130): Ctrl-C;
- :data:`EXIT_CLOSED_OUTPUT` (141): standard output closed by its reader (``crokit demo | head -1``).

:func:`write_output` never writes over a file the command read (the same path, a hard
link or a symbolic link to it) and writes atomically (see
:func:`crokit.serialization._files.write_atomic_with`).
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final, TextIO

from crokit.errors import CrokitError, InputFileError, ValidationError
from crokit.serialization._files import (
    MAX_INPUT_ENV,
    encode_text,
    file_session,
    parse_size,
    session_inputs,
    write_atomic,
)

__all__ = [
    "EXIT_CLOSED_OUTPUT",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "ClosedOutput",
    "add_input_limit",
    "closed_output",
    "emit",
    "refuse_output_over",
    "run",
    "write_output",
]

EXIT_OK: Final = 0
"""The command did what it was asked."""
EXIT_INVALID: Final = 1
"""Invalid input, a missing optional package, an output refused, or an operating-system error."""
EXIT_USAGE: Final = 2
"""The command line itself is wrong (argparse)."""
EXIT_INTERRUPTED: Final = 130
"""Interrupted by Ctrl-C (128 + SIGINT, as shells report it)."""
EXIT_CLOSED_OUTPUT: Final = 141
"""Standard output was closed before everything was written (128 + SIGPIPE, as shells report it)."""

Handler = Callable[[argparse.Namespace, TextIO], int]


def _size(text: str) -> int:
    try:
        return parse_size(text, what="--max-input-size")
    except CrokitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_input_limit(parser: argparse.ArgumentParser) -> None:
    """Give a command that reads files the ``--max-input-size SIZE`` option."""
    parser.add_argument(
        "--max-input-size",
        type=_size,
        metavar="SIZE",
        help=f"largest input file read, such as 200MiB (default: ${MAX_INPUT_ENV}, else 64MiB)",
    )


def _same_file(output: str, path: str) -> bool:
    try:
        mine, theirs = Path(output).stat(), Path(path).stat()
    except (OSError, ValueError):
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)


def _refusal(output: str, path: str) -> InputFileError:
    return InputFileError(output, f"is the input file {path} (or a link to it): choose another --output")


def refuse_output_over(output: str | None, *inputs: str | None) -> None:
    """Refuse *output* if it is one of *inputs*: the same path, a hard link or a symbolic link to it.

    Raises:
        InputFileError: Naming the output and the input it would overwrite.
    """
    if output is None:
        return
    for path in inputs:
        if path is not None and (_same_file(output, path) or os.path.realpath(output) == os.path.realpath(path)):
            raise _refusal(output, path)


def write_output(output: str, text: str | bytes) -> None:
    """Write *text* (or the bytes of a binary file) to *output* atomically, unless it is a file this command has read.

    Raises:
        InputFileError: If *output* is an input, or cannot be written.
        ValidationError: If *text* cannot be written as UTF-8.
    """
    try:
        info = Path(output).stat()
    except OSError:
        info = None
    if info is not None:
        for path, device, inode in session_inputs():
            if (info.st_dev, info.st_ino) == (device, inode):
                raise _refusal(output, path)
    write_atomic(output, text)


def emit(text: str, output: str | None, out: TextIO) -> None:
    """Write *text* to the file *output* (see :func:`write_output`), or to *out* without one.

    Raises:
        ValidationError: If *text* cannot be written as UTF-8 (a lone surrogate), or
            standard output's encoding cannot show it.
    """
    if output:
        write_output(output, text)
        return
    encode_text(text, what="standard output")
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        raise ValidationError.at(
            "standard output",
            f"its encoding {encoding} cannot show {bad!r} (U+{ord(bad):04X}): "
            "set PYTHONIOENCODING=utf-8, or write to a file with --output",
        ) from None
    except LookupError:  # pragma: no cover - an encoding Python does not know: let the stream decide
        pass
    out.write(text)


class ClosedOutput(io.StringIO):
    """Standard output when the process started with it closed: writing to it is a broken pipe."""

    def write(self, _text: str) -> int:
        """Refuse, as a closed pipe would."""
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, CrokitError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc)


def _silence_stdout() -> None:
    """Point the standard-output descriptor at the null device, so the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout is not a real file
        pass


def closed_output(out: TextIO, err: TextIO) -> int:
    """Report that *out* was closed by its reader, and return :data:`EXIT_CLOSED_OUTPUT`."""
    if out is sys.stdout:
        _silence_stdout()
    err.write("crokit: error: standard output was closed before everything was written\n")
    return EXIT_CLOSED_OUTPUT


def run(handler: Handler, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run *handler* in a file session and turn every failure into one line on *err* and an exit code."""
    source = getattr(args, "file", None)
    try:
        with file_session(limit=getattr(args, "max_input_size", None)):
            refuse_output_over(getattr(args, "output", None), source)
            code = handler(args, out)
            out.flush()
    except KeyboardInterrupt:
        err.write("crokit: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return closed_output(out, err)
    except (CrokitError, OSError, MemoryError) as exc:
        message = _message(exc) if not isinstance(exc, MemoryError) else "not enough memory"
        if source and isinstance(exc, CrokitError) and source not in message:
            message = f"{source}: {message}"
        # Text from the input (a key, a value) may hold a lone surrogate, which UTF-8 cannot write.
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")
        first, *rest = message.splitlines() or [""]
        err.write(f"crokit: error: {first}\n")
        err.writelines(f"{line}\n" for line in rest)  # a ValidationError lists each problem on its own line
        return EXIT_INVALID
    return code
