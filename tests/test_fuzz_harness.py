"""A quick check of the fuzz harness itself (``python -m fuzz``); the full fuzz run is not part of pytest."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the fuzz package lives beside src/, not in it
    sys.path.insert(0, str(ROOT))

from fuzz import _cli, _mutate, _oracle, _run  # noqa: E402
from fuzz._readers import READERS, Case, Outcome, Reader, Seed  # noqa: E402

from crokit.errors import ValidationError  # noqa: E402


class _Stub(Reader):
    name = "stub"

    def __init__(self, action: str) -> None:
        self.action = action

    def seeds(self) -> list[Seed]:
        return [Seed("one", "json", b"{}")]

    def generate(self, rng, seeds, extra) -> Case:  # noqa: ARG002 - the stub needs only the generator
        return Case(self.name, "json", bytes([rng.randrange(256)]), "stub")

    def run(self, case, workdir) -> Outcome:  # noqa: ARG002 - the stub reads nothing from disk
        if self.action == "escape":
            raise KeyError(case.data)
        if self.action == "refuse":
            raise ValidationError.at("x", "refused")
        if self.action == "hang":
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                pass
        if self.action == "block":
            time.sleep(5)
        return Outcome(accepted=True)


@pytest.mark.parametrize(
    ("action", "verdict"), [("escape", "escape"), ("refuse", "refused"), ("hang", "hang"), ("accept", "accepted")]
)
def test_run_one_tells_escapes_refusals_hangs_and_acceptance_apart(action, verdict):
    started = time.monotonic()
    found, _, _ = _run.run_one(_Stub(action), Case("stub", "json", b"x", "stub"), 0.2)
    assert found == verdict
    assert time.monotonic() - started < 3  # the alarm stopped the hang


def test_a_read_that_blocks_is_a_hang_on_the_wall_clock():
    """The limit is CPU time; a read that waits without computing is stopped by the wall-clock alarm."""
    started = time.monotonic()
    found, _, cpu = _run.run_one(_Stub("block"), Case("stub", "json", b"x", "stub"), 0.1)
    assert found == "hang"
    assert cpu < 0.1
    assert time.monotonic() - started < 0.1 * _run.WALL_FACTOR + 1


def test_an_escape_is_classified_by_type_and_line():
    with pytest.raises(KeyError) as caught:
        _Stub("escape").run(Case("stub", "json", b"x", "stub"), ROOT)
    assert _run.classify(caught.value).startswith("KeyError at test_fuzz_harness.py:")


def test_mutations_are_deterministic_for_a_seed():
    data = b'{"sites": 12, "amount": "1900.00"}'
    first = [_mutate.mutate_bytes(random.Random(seed), data) for seed in range(50)]  # noqa: S311 - seeded on purpose
    again = [_mutate.mutate_bytes(random.Random(seed), data) for seed in range(50)]  # noqa: S311 - seeded on purpose
    assert first == again
    assert len({d for d, _ in first}) > 10


def test_raw_leaves_are_written_verbatim_in_every_format():
    tree = {"study": {"sites": _mutate.Raw("012"), "name": "x"}}
    assert "sites: 012" in _mutate.render(tree, "yaml")
    assert "sites = 012" in _mutate.render(tree, "toml")
    assert '"sites": 012' in _mutate.render(tree, "json")


def test_the_oracle_sees_yaml_rebasing_and_duplicate_keys():
    reading = _oracle.reference("sites: 012\nplanned_patients: 1:00\n", "yaml")
    assert reading is not None
    found = _oracle.changes(reading.tree, {"sites": 10, "planned_patients": 60})
    assert len(found) == 2
    assert _oracle.changes(reading.tree, {"sites": 12, "planned_patients": "1:00"}) == []
    duplicated = _oracle.reference('{"amount": "1900.00", "amount": "19.00"}', "json")
    assert duplicated is not None
    assert duplicated.duplicates == ["amount"]


def test_the_oracle_ignores_order_and_scale():
    reading = _oracle.reference('{"countries": ["US", "DE"], "rate": "12.50"}', "json")
    assert reading is not None
    assert _oracle.changes(reading.tree, {"countries": ["DE", "US"], "rate": "12.5"}) == []
    assert _oracle.changes(reading.tree, {"countries": ["DE", "US"], "rate": "12.51"}) != []


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_the_oracle_reads_yaml_breaks_as_yaml_12_text(char):
    """PyYAML (YAML 1.1) folds at NEL, LS and PS; crokit and the oracle read them as text, as YAML 1.2 does."""
    text = f"name: Ĝ{char}  x\nquoted: 'a{char}{char}  '\nescaped: \"\\U000F0000\"\n"  # a would-be stand-in
    reading = _oracle.reference(text, "yaml")
    assert reading is not None
    assert reading.tree == {"name": f"Ĝ{char}  x", "quoted": f"a{char}{char}  ", "escaped": "\U000f0000"}
    assert _oracle.changes(reading.tree, {"name": f"Ĝ{char}  x", "quoted": f"a{char}{char}  "}) == []
    assert _oracle.changes(reading.tree, {"name": "Ĝ x", "quoted": "a  "}) != []


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_rendered_yaml_says_what_the_tree_holds(char):
    """The renderer quotes YAML 1.1 breaks, so crokit's YAML 1.2 reading is the tree it was made from."""
    from crokit.serialization import parse

    tree = {"name": f"Follow-{char}up", "visits": [{"name": f"{char}x{char}"}]}
    text = _mutate.render(tree, "yaml")
    assert parse(text, "yaml") == tree
    reading = _oracle.reference(text, "yaml")
    assert reading is not None
    assert reading.tree == tree


def test_rendered_yaml_keeps_a_lone_surrogate():
    """LibYAML's emitter refuses a lone surrogate; the renderer falls back to PyYAML's, which escapes it."""
    assert _mutate.render({"name": "a\ud800b"}, "yaml") == 'name: "a\\uD800b"\n'


@pytest.mark.parametrize("name", ["study.json", "ctgov", "excel.rate-card", "cli"])
def test_a_chunk_of_a_real_reader_runs_the_inputs_asked_for(name):
    settings = _run.Settings(seed=3, inputs=4, chunk=4, jobs=1, subprocess_every=0)
    tally = _run.run_chunk((name, settings, 1, 4, None))
    assert tally.inputs == 4
    assert tally.accepted <= tally.inputs


def test_the_same_seed_makes_the_same_inputs():
    reader = READERS["study.yaml"]
    settings = _run.Settings(seed=5, chunk=3)
    first = [c.data for _, c in zip(range(3), _run._cases(reader, settings, 2, 3), strict=False)]
    again = [c.data for _, c in zip(range(3), _run._cases(reader, settings, 2, 3), strict=False)]
    assert first == again


def test_the_command_prints_a_table_and_saves_escapes(tmp_path, capsys):
    code = _cli.main(["--inputs", "3", "--jobs", "1", "--readers", "cro_profile", "--save-escapes", str(tmp_path)])
    out = capsys.readouterr().out
    assert code in {0, 1}
    assert "| `cro_profile.json` | 3 " in out
    assert ("None." in out) == (code == 0)


def test_readers_run_in_the_order_asked():
    assert _cli._selected("ctgov,study,ctgov") == ["ctgov", "study.json", "study.toml", "study.yaml"]


def test_a_recorded_run_keeps_its_table_after_each_reader(tmp_path, monkeypatch):
    written: list[str] = []
    monkeypatch.setattr(_cli, "HERE", tmp_path)
    real = _cli._record

    def spy(*args, **kwargs):
        real(*args, **kwargs)
        written.append((tmp_path / "RESULTS.md").read_text(encoding="utf-8"))

    monkeypatch.setattr(_cli, "_record", spy)
    _cli.main(["--inputs", "2", "--jobs", "1", "--readers", "ctgov,cro_profile", "--record"])
    assert len(written) == 2
    assert "not reached yet: `cro_profile.json`" in written[0]
    assert "| `ctgov` " in written[0]
    assert "not reached yet" not in written[1]
    assert "| `cro_profile.json` " in written[1]
