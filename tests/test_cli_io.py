"""The command line's files and failures: never over an input, atomic and with the right mode, clean errors."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit
import crokit._cli_scenario
from crokit._cli_io import EXIT_CLOSED_OUTPUT, EXIT_INTERRUPTED, EXIT_INVALID, refuse_output_over
from crokit.cli import main
from crokit.errors import InputFileError, ValidationError
from crokit.serialization import _files
from crokit.serialization._files import (
    DEFAULT_MAX_INPUT_BYTES,
    input_limit,
    max_input_bytes,
    parse_size,
    read_bytes,
    write_atomic,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rare_disease_phase2.toml"
PILOT = Path(__file__).resolve().parent / "data" / "usdm" / "CDISC_Pilot_Study.json"
COMMAND = [sys.executable, "-m", "crokit"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def one_clean_line(err: str) -> str:
    assert "Traceback" not in err
    assert err.startswith("crokit: error: ") or err == "crokit: interrupted\n", err
    assert err.count("\n") == 1, err
    return err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "s.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


@pytest.fixture(name="umask_022")
def _umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# --- never over an input (finding 3) ---


def test_output_equal_to_the_input_is_refused(scenario: Path) -> None:
    before = scenario.read_bytes()
    code, out, err = run("evaluate", str(scenario), "--output", str(scenario))
    assert code == EXIT_INVALID
    assert out == ""
    assert "is the input file" in one_clean_line(err)
    assert scenario.read_bytes() == before
    assert leftovers(scenario.parent) == []


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_output_linked_to_the_input_is_refused(scenario: Path, link: str) -> None:
    before = scenario.read_bytes()
    alias = scenario.with_name("alias.toml")
    if link == "hard":
        os.link(scenario, alias)
    else:
        alias.symlink_to(scenario)
    code, _, err = run("evaluate", str(scenario), "--output", str(alias))
    assert code == EXIT_INVALID
    assert "is the input file" in one_clean_line(err)
    assert scenario.read_bytes() == before
    assert alias.is_symlink() == (link == "symbolic")


def test_import_output_equal_to_the_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "x.json"
    source.write_bytes(PILOT.read_bytes())
    code, _, err = run("import", "usdm", str(source), "--output", str(source))
    assert code == EXIT_INVALID
    assert "is the input file" in one_clean_line(err)
    assert source.read_bytes() == PILOT.read_bytes()


def test_an_output_over_any_file_read_is_refused_when_written(scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check at write time covers inputs the early check does not know of (an option's file).
    other = scenario.with_name("other.toml")
    other.write_bytes(scenario.read_bytes())
    monkeypatch.setattr(crokit._cli_scenario, "_report", lambda *_args: "report\n")

    def load_both(path: str) -> object:
        _files.read_bytes(other)
        return real(path)

    real = crokit._cli_scenario._load_scenario
    monkeypatch.setattr(crokit._cli_scenario, "_load_scenario", load_both)
    code, _, err = run("evaluate", str(scenario), "--output", str(other))
    assert code == EXIT_INVALID
    assert "is the input file" in one_clean_line(err)
    assert other.read_bytes() == scenario.read_bytes()


def test_refuse_output_over_accepts_other_files(tmp_path: Path) -> None:
    refuse_output_over(None, "a.toml")
    refuse_output_over(str(tmp_path / "new.json"), str(tmp_path / "a.toml"), None)
    with pytest.raises(InputFileError, match="is the input file"):
        refuse_output_over(str(tmp_path / "." / "a.toml"), str(tmp_path / "a.toml"))


# --- how outputs are written: atomic, mode, links (finding 3, issue 12 item 5) ---


@pytest.mark.usefixtures("umask_022")
def test_a_new_output_gets_the_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    assert run("template", "scenario", "--output", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.usefixtures("umask_022")
def test_an_existing_output_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")
    target.chmod(0o640)
    assert run("template", "scenario", "--output", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8").startswith("#")


@pytest.mark.usefixtures("umask_022")
def test_dump_writes_the_umask_mode_and_keeps_an_existing_one(tmp_path: Path) -> None:
    from crokit.demo import demo_scenario

    scenario = demo_scenario()
    fresh, kept = tmp_path / "fresh.json", tmp_path / "kept.json"
    crokit.dump(scenario, fresh)
    kept.write_text("{}")
    kept.chmod(0o600)
    crokit.dump(scenario, kept)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert crokit.load(kept, type(scenario)) == scenario


def test_a_symlinked_output_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert run("template", "scenario", "--output", str(link))[0] == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("#")
    assert leftovers(tmp_path) == []


def test_a_full_disk_leaves_the_old_file_and_no_partial_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run("template", "scenario", "--output", str(target))
    assert code == EXIT_INVALID
    assert os.strerror(errno.ENOSPC) in one_clean_line(err)
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_an_interrupt_while_writing_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.txt"

    def interrupted(_descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    code, _, err = run("template", "scenario", "--output", str(target))
    assert code == EXIT_INTERRUPTED
    assert one_clean_line(err) == "crokit: interrupted\n"
    assert not target.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "output",
    [
        "/proc/crokit-report.txt",  # a folder nobody may write in, even root
        "/proc/version",  # an existing file there
        "/dev/null",  # not a regular file: never replaced by one
        "{tmp}/file/report.txt",  # a file where a folder should be
        "{tmp}",  # a folder (argparse refuses it: exit 2)
    ],
)
def test_unwritable_outputs_give_one_line(output: str, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code, out, err = run("template", "scenario", "--output", output.format(tmp=tmp_path))
    assert out == ""
    assert "Traceback" not in err
    if output == "{tmp}":
        assert code == 2
    else:
        assert code == EXIT_INVALID
        one_clean_line(err)
    assert Path("/dev/null").is_char_device()


def test_os_errors_from_anywhere_give_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*_args: object, **_kwargs: object) -> object:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/somewhere/registry")

    monkeypatch.setattr(crokit._cli_scenario, "default_registry", denied)
    code, _, err = run("evaluate", str(EXAMPLE))
    assert code == EXIT_INVALID
    assert one_clean_line(err) == f"crokit: error: /somewhere/registry: {os.strerror(errno.EACCES)}\n"


# --- closed output and Ctrl-C (finding 10) ---


class _Closed(io.StringIO):
    def write(self, _text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_a_closed_output_gives_one_line_and_141() -> None:
    err = io.StringIO()
    code = main(["template", "scenario"], out=_Closed(), err=err)
    assert code == EXIT_CLOSED_OUTPUT
    assert "standard output was closed" in one_clean_line(err.getvalue())


def test_help_into_a_closed_pipe_gives_141(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", _Closed())
    err = io.StringIO()
    assert main(["--help"], err=err) == EXIT_CLOSED_OUTPUT
    assert "standard output was closed" in one_clean_line(err.getvalue())


def test_ctrl_c_gives_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(crokit._cli_scenario, "_evaluate", interrupted)
    code, out, err = run("demo")
    assert (code, out) == (EXIT_INTERRUPTED, "")
    assert one_clean_line(err) == "crokit: interrupted\n"


@pytest.mark.slow
def test_a_closed_pipe_as_a_subprocess() -> None:
    process = subprocess.Popen([*COMMAND, "demo", "--format", "html"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # the reader goes away before the report is written, like `| head -1`
    code = process.wait(timeout=120)
    err = process.stderr.read().decode()
    process.stderr.close()
    assert code == EXIT_CLOSED_OUTPUT
    assert "standard output was closed" in one_clean_line(err)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/bin/sh").exists(), reason="needs /bin/sh to start a command with stdout closed")
def test_a_command_started_with_stdout_closed(tmp_path: Path) -> None:
    closed = ["/bin/sh", "-c", 'exec "$@" >&-', "sh", *COMMAND]
    printed = subprocess.run([*closed, "template", "scenario"], capture_output=True, text=True, check=False)
    assert printed.returncode == EXIT_CLOSED_OUTPUT
    assert "standard output was closed" in one_clean_line(printed.stderr)
    target = tmp_path / "s.toml"
    written = subprocess.run(
        [*closed, "template", "scenario", "--output", str(target)], capture_output=True, text=True, check=False
    )
    assert written.returncode == 0, written.stderr
    assert target.read_text(encoding="utf-8").startswith("#")


@pytest.mark.slow
def test_sigint_as_a_subprocess() -> None:
    code = (
        "import signal, sys\n"
        # A child started from a background job inherits SIGINT ignored, and Python then
        # installs no KeyboardInterrupt handler: restore it, as an interactive shell has it.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import crokit._cli_scenario as commands\n"
        "commands._evaluate = lambda *_: signal.raise_signal(signal.SIGINT)\n"
        "from crokit.cli import main\n"
        "sys.exit(main(['demo']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == EXIT_INTERRUPTED
    assert result.stdout == ""
    assert one_clean_line(result.stderr) == "crokit: interrupted\n"


# --- inputs: regular files within a size limit (finding 10) ---


@pytest.mark.slow
def test_a_fifo_input_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    result = subprocess.run([*COMMAND, "validate", str(fifo)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == EXIT_INVALID
    assert "FIFO" in one_clean_line(result.stderr)


def test_a_fifo_input_is_refused_in_process(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    code, _, err = run("evaluate", str(fifo))
    assert code == EXIT_INVALID
    assert "is a FIFO (named pipe): crokit reads only regular files" in one_clean_line(err)


def test_a_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    code, _, err = run("validate", str(link))
    assert code == EXIT_INVALID
    assert "is a character device" in one_clean_line(err)


def test_a_read_error_gives_one_line(tmp_path: Path) -> None:
    # /proc/self/mem is a regular file whose first page cannot be read: EIO, even for root.
    link = tmp_path / "mem.toml"
    link.symlink_to("/proc/self/mem")
    code, _, err = run("validate", str(link))
    assert code == EXIT_INVALID
    assert one_clean_line(err) == f"crokit: error: {link}: cannot be read ({os.strerror(errno.EIO)})\n"


def test_a_file_over_the_limit_is_refused(scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    size = scenario.stat().st_size
    assert run("validate", str(scenario), "--max-input-size", str(size))[0] == 0
    code, _, err = run("validate", str(scenario), "--max-input-size", str(size - 1))
    assert code == EXIT_INVALID
    assert f"more than the input limit of {size - 1} bytes" in one_clean_line(err)
    monkeypatch.setenv("CROKIT_MAX_INPUT_BYTES", "1KiB")
    code, _, err = run("validate", str(scenario))
    assert code == EXIT_INVALID
    assert "limit of 1024 bytes" in err
    assert run("validate", str(scenario), "--max-input-size", "64MiB")[0] == 0  # the option wins over the variable
    monkeypatch.setenv("CROKIT_MAX_INPUT_BYTES", "lots")
    code, _, err = run("validate", str(scenario))
    assert code == EXIT_INVALID
    assert "CROKIT_MAX_INPUT_BYTES: expected a size in bytes" in err
    assert run("validate", str(scenario), "--max-input-size", "0")[0] == 2


def test_a_file_growing_past_the_limit_is_refused(tmp_path: Path) -> None:
    # /proc files say they are empty, then have content: the limit holds while reading too.
    assert Path("/proc/self/status").stat().st_size == 0
    with pytest.raises(InputFileError, match="more than the input limit of 10 bytes"):
        read_bytes("/proc/self/status", limit=10)
    assert read_bytes("/proc/self/status").startswith(b"Name:")
    with input_limit(10), pytest.raises(InputFileError, match="limit of 10 bytes"):
        read_bytes(EXAMPLE)
    assert max_input_bytes() == DEFAULT_MAX_INPUT_BYTES
    with pytest.raises(InputFileError, match="no such file"):
        read_bytes(tmp_path / "missing.toml")
    with pytest.raises(InputFileError, match="is a directory"):
        read_bytes(tmp_path)


def test_a_file_name_with_a_nul_character_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="is not a valid file name"):
        read_bytes("bad\0name.toml")
    with pytest.raises(InputFileError, match="is not a valid file name"):
        write_atomic(str(tmp_path / "bad\0name.toml"), "x")


@given(st.integers(min_value=1, max_value=10**12), st.sampled_from(["", "B", "k", "KB", "KiB", "M", "MiB", "G", "GiB"]))
def test_parse_size_reads_every_unit(number: int, unit: str) -> None:
    factor = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 10**6, "mib": 2**20, "g": 10**9, "gib": 2**30}
    assert parse_size(f"{number}{unit}") == number * factor[unit.lower()]
    assert parse_size(f" {number} {unit} ") == number * factor[unit.lower()]


@pytest.mark.parametrize("text", ["", "0", "-1", "1.5M", "10 TB", "lots", "1e6"])
def test_parse_size_refuses_what_is_not_a_size(text: str) -> None:
    with pytest.raises(ValidationError, match="expected a size in bytes"):
        parse_size(text)


# --- a lone surrogate (finding 10) ---


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_a_lone_surrogate_is_refused_at_load(command: str, tmp_path: Path) -> None:
    from crokit.demo import demo_scenario
    from crokit.serialization import unstructure

    data = unstructure(demo_scenario())
    data["study"]["name"] = "RD\ud800-201"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="ascii")  # "\ud800" as an escape: valid JSON syntax
    output = tmp_path / "report.txt"
    code, out, err = run(command, str(path), *(["--output", str(output)] if command == "evaluate" else []))
    assert (code, out) == (EXIT_INVALID, "")
    assert "study.name: text holds the lone surrogate U+D800 at character 3" in one_clean_line(err)
    assert not output.exists()


def test_text_that_utf8_cannot_hold_is_never_half_written(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(ValidationError, match=r"lone surrogate U\+DC80"):
        write_atomic(target, "ok \udc80")
    assert not target.exists()
    assert leftovers(tmp_path) == []
    out = io.StringIO()
    with pytest.raises(ValidationError, match="standard output"):
        crokit._cli_io.emit("x\ud800", None, out)
    assert out.getvalue() == ""


def test_a_report_standard_output_cannot_show_gives_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import crokit.template

    monkeypatch.setattr(crokit.template, "scenario_template", lambda: "# Caf\u00e9 \u2500\n")
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    err = io.StringIO()
    code = main(["template", "scenario"], out=out, err=err)
    assert code == EXIT_INVALID
    assert "standard output: its encoding ascii cannot show '\u00e9' (U+00E9)" in one_clean_line(err.getvalue())
    assert "PYTHONIOENCODING=utf-8" in err.getvalue()
    out.flush()
    assert out.buffer.getvalue() == b""


# --- tests run anywhere (issue 8, section 5) ---


def test_no_test_runs_crokit_through_path() -> None:
    bare = re.compile(r"""(?:run|Popen|call|check_output)\(\s*\[\s*["']crokit["']""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if bare.search(line) and "bare = " not in line
    ]
    assert found == []


@pytest.mark.slow
def test_python_m_crokit_needs_nothing_on_path(tmp_path: Path) -> None:
    environment = {"PATH": "", "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [*COMMAND, "catalogue", "stages"], capture_output=True, text=True, env=environment, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "phase-2-3" in result.stdout


def test_an_import_holding_a_lone_surrogate_writes_nothing(tmp_path: Path) -> None:
    text = PILOT.read_text(encoding="utf-8")
    at = text.index('"name": "') + len('"name": "')
    source = tmp_path / "x.json"
    source.write_text(text[:at] + "\\ud800" + text[at:], encoding="utf-8")
    output = tmp_path / "study.toml"
    code, out, err = run("import", "usdm", str(source), "--output", str(output))
    assert (code, out) == (EXIT_INVALID, "")
    assert "lone surrogate" in one_clean_line(err)
    assert not output.exists()
    assert leftovers(tmp_path) == []


# --- properties of the file layer ---


@given(data=st.binary(max_size=3000), limit=st.integers(min_value=1, max_value=4000))
def test_what_is_written_is_read_back_within_the_limit(data: bytes, limit: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.bin"
        write_atomic(path, data)
        assert sorted(p.name for p in Path(folder).iterdir()) == ["file.bin"]
        if len(data) <= limit:
            assert read_bytes(path, limit=limit) == data
        else:
            with pytest.raises(InputFileError, match=f"more than the input limit of {limit} bytes"):
                read_bytes(path, limit=limit)


@given(
    text=st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    surrogate=st.integers(min_value=0xD800, max_value=0xDFFF),
    data=st.data(),
)
def test_only_text_with_a_lone_surrogate_is_refused(text: str, surrogate: int, data: st.DataObject) -> None:
    document = {"study": {"name": text, "tags": [text, {"note": text}]}}
    _files.refuse_surrogates(document)
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    document["study"]["tags"][1] = {"note": text[:at] + chr(surrogate) + text[at:]}  # type: ignore[index]
    with pytest.raises(ValidationError, match=rf"^study\.tags\[1\]\.note: .*U\+{surrogate:04X} at character {at + 1},"):
        _files.refuse_surrogates(document)


def test_an_error_naming_a_lone_surrogate_is_written_escaped_not_raised() -> None:
    # Fuzz finding (cli, 2026-11-30): an error message quoting input text with a lone
    # surrogate raised UnicodeEncodeError on a strict UTF-8 error stream.
    import argparse

    from crokit._cli_io import run

    def handler(_args: argparse.Namespace, _out: object) -> int:
        raise ValidationError.at("sponsor\udcff", "expected text, got '\udcfe'")

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    written = io.BytesIO()
    err = io.TextIOWrapper(written, encoding="utf-8")
    code = run(handler, argparse.Namespace(file=None), out, err)
    err.flush()
    assert code == EXIT_INVALID
    assert written.getvalue().decode("utf-8") == "crokit: error: sponsor\\udcff: expected text, got '\\udcfe'\n"
