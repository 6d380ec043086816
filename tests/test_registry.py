"""The registry: immutable, conflict-checked, extensible through real distributions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crokit
from crokit import CroCategory, DuplicateIdError, ExtensionError, Registry, Service, Stage, UnknownIdError
from crokit.errors import ValidationError
from crokit.registry import ENTRY_POINT_GROUP, combine, load_extensions
from crokit.testing import services

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "acme-extension"
EXAMPLE_TOML = EXAMPLE / "toml"


def a_service(id_: str = "acme:vector-shedding", **changes: object) -> Service:
    fields: dict[str, object] = {
        "id": id_,
        "name": "Vector shedding",
        "description": "Measures viral-vector shedding.",
        "stages": frozenset({Stage.PHASE_1}),
    }
    fields.update(changes)
    return Service(**fields)  # type: ignore[arg-type]


class TestBuiltin:
    def test_has_the_vocabulary(self, registry):
        assert len(registry.services) >= 35
        assert {c.id for c in registry.categories} >= {
            "crokit:full-service",
            "crokit:specialty",
            "crokit:preclinical",
            "crokit:clinical-operations",
            "crokit:post-market",
        }
        assert registry.service("crokit:biostatistics").name
        assert registry.regulator("crokit:fda").short_name == "FDA"
        assert registry.submission("crokit:ind").gates is Stage.PHASE_1
        assert registry.engagement_model("crokit:fsp").name
        assert registry.category("crokit:specialty").focus_areas

    def test_references_are_consistent(self, registry):
        registry.check_references()

    def test_unknown_id_suggests_close_matches(self, registry):
        with pytest.raises(UnknownIdError) as info:
            registry.service("crokit:biostatistic")
        assert str(info.value).startswith("unknown service 'crokit:biostatistic'; did you mean 'crokit:biostatistics'")
        assert isinstance(info.value, KeyError)
        assert info.value.suggestions[0] == "crokit:biostatistics"

    def test_areas_resolve_aliases(self, registry):
        assert registry.area("anti-infective").id == "crokit:infectious-disease"
        assert registry.area("ONCOLOGY").id == "crokit:oncology"
        assert registry.area("crokit:oncology").id == "crokit:oncology"
        with pytest.raises(UnknownIdError, match="unknown area"):
            registry.area("astrology")

    def test_repr_and_contains(self, registry):
        assert "service: " in repr(registry)
        assert "crokit:edc" in registry
        assert "acme:nothing" not in registry
        assert registry.all("no-such-kind") == ()
        assert "service" in registry.kinds()


class TestImmutability:
    def test_with_entries_returns_a_new_registry(self, registry):
        grown = registry.with_entries(a_service())
        assert "acme:vector-shedding" in grown
        assert "acme:vector-shedding" not in registry
        with pytest.raises(TypeError):
            registry.entries["service"]["x"] = a_service()

    def test_duplicate_ids_raise_unless_replaced(self, registry):
        with pytest.raises(DuplicateIdError, match="crokit:edc"):
            registry.with_entries(a_service("crokit:edc"))
        replaced = registry.with_entries(a_service("crokit:edc", name="Our EDC"), replace=True)
        assert replaced.service("crokit:edc").name == "Our EDC"
        with pytest.raises(DuplicateIdError):
            Registry.empty().with_entries(a_service(), a_service())

    def test_non_entries_are_refused(self):
        with pytest.raises(ValidationError, match=r"entries\[0\]"):
            Registry.empty().with_entries("crokit:edc")  # type: ignore[arg-type]

    def test_combine(self, registry):
        extra = Registry.empty().with_entries(a_service())
        merged = combine(registry, extra)
        assert "acme:vector-shedding" in merged
        assert len(merged.services) == len(registry.services) + 1
        with pytest.raises(DuplicateIdError):
            combine(registry, registry)
        assert combine(registry, registry, replace=True).services == registry.services

    def test_dangling_references_are_reported(self):
        broken = Registry.empty().with_entries(a_service(categories=("acme:missing",)))
        with pytest.raises(ValidationError, match="refers to unknown category 'acme:missing'"):
            broken.check_references()

    @given(st.lists(services(namespace="ext"), unique_by=lambda s: s.id, max_size=5))
    def test_adding_entries_never_changes_the_original(self, new):
        base = Registry.builtin()
        before = base.services
        grown = base.with_entries(*new)
        assert base.services == before
        assert len(grown.services) == len(before) + len(new)


def _install_example(target: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(EXAMPLE),
            str(EXAMPLE_TOML),
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def installed_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example extensions (Python and TOML), installed by pip as real distributions into a folder."""
    target = tmp_path_factory.mktemp("site")
    _install_example(target)
    assert list(target.glob("acme_crokit-*.dist-info"))
    assert list(target.glob("acme_crokit_toml-*.dist-info"))
    return target


def _run(code: str, site: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "src")]), **env}
    environment.pop(ENTRY_POINT_GROUP, None)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=False)


@pytest.mark.slow
class TestRealExtension:
    def test_default_registry_loads_it(self, installed_example):
        result = _run(
            "import crokit; r = crokit.default_registry(); print(r.service('acme:vector-shedding').name);"
            "print(r.extensions[0].distribution, r.extensions[0].version)",
            installed_example,
            CROKIT_NO_EXTENSIONS="",
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["Vector shedding studies", "acme-crokit 1.0.0"]

    def test_cli_shows_it(self, installed_example):
        services = _run("from crokit.cli import main; main(['catalogue', 'services'])", installed_example)
        assert "acme:vector-shedding" in services.stdout
        plugins = _run("from crokit.cli import main; main(['plugins'])", installed_example)
        assert "acme-crokit" in plugins.stdout
        assert "1.0.0" in plugins.stdout
        assert "acme_crokit:extend" in plugins.stdout
        assert "acme-crokit-toml" in plugins.stdout
        assert "acme:retinal-imaging-reading" in services.stdout

    def test_kill_switch(self, installed_example):
        result = _run(
            "import crokit; r = crokit.default_registry();"
            "print('acme:vector-shedding' in r, 'acme:retinal-disease' in r)",
            installed_example,
            CROKIT_NO_EXTENSIONS="1",
        )
        assert result.stdout.strip() == "False False"

    def test_toml_extension_is_loaded_like_the_builtins(self, installed_example):
        result = _run(
            "import crokit; r = crokit.default_registry(); info = r.extensions[1];"
            "print(r.area('retinal dystrophy').id, r.area('acme:retinal-disease').parent);"
            "print(r.question('acme:dd-subretinal-sites').one_at, sorted(b.value for b in "
            "r.service('acme:retinal-imaging-reading').unit_bases));"
            "print(info.name, info.value, info.distribution, info.version)",
            installed_example,
            CROKIT_NO_EXTENSIONS="",
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            "acme:retinal-disease crokit:ophthalmology",
            "5 ['per-patient-visit', 'per-study']",
            "acme-toml acme_crokit_toml acme-crokit-toml 1.0.0",
        ]

    def test_load_extensions_directly(self, installed_example, monkeypatch):
        monkeypatch.syspath_prepend(str(installed_example))
        registry = load_extensions(Registry.builtin())
        assert [info.name for info in registry.extensions] == ["acme", "acme-toml"]
        assert registry.category("acme:gene-therapy").focus_areas == ("crokit:cell-and-gene-therapy",)
        assert registry.service("acme:subretinal-surgery-training").categories == ("crokit:specialty",)


def _fake_distribution(site: Path, name: str, module_source: str, target: str) -> None:
    """Write a minimal but real installed distribution (a .dist-info folder) into *site*."""
    (site / f"{name}.py").write_text(module_source)
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{name} = {target}\n")


@pytest.mark.parametrize(
    ("source", "name", "message"),
    [
        ("raise ImportError('boom')", "broken0", "could not be imported"),
        ("extend = 3", "broken1", "is not callable"),
        ("def extend(r):\n    raise RuntimeError('bad')", "broken2", "raised RuntimeError"),
        ("def extend(r):\n    return 'nope'", "broken3", "returned str"),
        (
            (
                "from crokit import Service, Stage\n"
                "def extend(r):\n"
                "    return r.with_entries(Service(id='x:y', name='n', description='d', stages={Stage.PHASE_1},"
                " categories=('x:missing',)))"
            ),
            "broken4",
            "refers to unknown category",
        ),
    ],
)
def test_a_failing_extension_is_named(tmp_path, monkeypatch, source, name, message):
    _fake_distribution(tmp_path, name, source, f"{name}:extend")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ExtensionError, match=message) as info:
        load_extensions(Registry.builtin())
    assert info.value.entry_point == name
    assert info.value.distribution == f"{name} 0.1"
    assert "CROKIT_NO_EXTENSIONS" in str(info.value)


def test_default_registry_is_cached():
    assert crokit.default_registry() is crokit.default_registry()


def test_a_category_is_data_not_a_subclass(registry):
    category = registry.category("crokit:full-service")
    assert type(category) is CroCategory


def _fake_data_distribution(site: Path, name: str, files: dict[str, str], target: str | None = None) -> None:
    """Write an installed distribution whose entry point names a package of vocabulary TOML files."""
    package = site / name
    package.mkdir()
    (package / "__init__.py").write_text('"""Vocabulary data."""\n')
    for file_name, text in files.items():
        (package / file_name).write_text(text)
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{name} = {target or name}\n")


GOOD_AREA = '[[area]]\nid = "data:retina"\nname = "Retina"\nparent = "crokit:ophthalmology"\n'


def test_a_data_package_extension_is_read_like_the_builtins(tmp_path, monkeypatch):
    _fake_data_distribution(tmp_path, "datapkg0", {"areas.toml": GOOD_AREA, "notes.txt": "not vocabulary"})
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = load_extensions(Registry.builtin())
    assert registry.area("data:retina").parent == "crokit:ophthalmology"
    assert registry.extensions[-1].value == "datapkg0"
    assert len(registry.areas) == len(Registry.builtin().areas) + 1


@pytest.mark.parametrize(
    ("files", "name", "expected"),
    [
        (
            {
                "services.toml": GOOD_AREA
                + '[[service]]\nid = "data:x"\nname = "X"\ndescription = "D"\nstages = ["phase-9"]\n'
            },
            "datapkg1",
            [
                "crokit extension 'datapkg1' from datapkg1 0.1 failed:",
                "datapkg1/services.toml: service[0] (data:x).stages[0]",
                "'phase-9'",
                "did you mean 'phase-",
            ],
        ),
        (
            {"areas.toml": '[[area]]\nid = "data:y"\nname = "Y"\nparent = "crokit:nowhere"\n'},
            "datapkg2",
            ["'datapkg2'", "area data:y.parent: refers to unknown area 'crokit:nowhere'"],
        ),
        (
            {"areas.toml": '[[area]\nid = "data:z"\n'},
            "datapkg3",
            ["'datapkg3'", "datapkg3/areas.toml: invalid TOML", "line 1"],
        ),
        (
            {"areas.toml": '[[area]]\nid = "crokit:oncology"\nname = "Ours"\n'},
            "datapkg4",
            ["'datapkg4'", "datapkg4/areas.toml: area[0].id: 'crokit:oncology' is already in the registry"],
        ),
    ],
)
def test_a_failing_data_extension_names_the_file_key_and_value(tmp_path, monkeypatch, files, name, expected):
    _fake_data_distribution(tmp_path, name, files)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ExtensionError) as info:
        load_extensions(Registry.builtin())
    assert info.value.entry_point == name
    for text in expected:
        assert text in str(info.value)


def test_a_plain_module_is_not_a_data_package(tmp_path, monkeypatch):
    _fake_distribution(tmp_path, "plainmod", '"""No data here."""\n', "plainmod")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ExtensionError, match="plainmod is a module, not a package"):
        load_extensions(Registry.builtin())


def test_import_crokit_reads_no_vocabulary_and_no_distribution_metadata():
    # -S keeps site hooks (.pth files) from importing importlib.metadata before crokit does.
    import site

    show = "print('importlib.metadata' in sys.modules, 'crokit.vocabulary.loader' in sys.modules)"
    code = f"import sys, crokit; {show}; crokit.Registry.builtin(); {show}"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *site.getsitepackages()])}
    result = subprocess.run(
        [sys.executable, "-S", "-c", code], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["False False", "False True"]
