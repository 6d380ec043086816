"""The registry: one immutable value holding every open vocabulary.

Services, CRO categories, therapeutic areas, regulators, submissions and engagement
models are data, filed by kind and id. A :class:`Registry` never changes: ``with_entries``
and :func:`combine` return new registries, a duplicate id raises
:class:`~crokit.errors.DuplicateIdError` unless ``replace=True`` is given, and an
unknown id raises :class:`~crokit.errors.UnknownIdError` with the closest valid ids.

Pass a registry explicitly where it matters. :func:`default_registry` is a documented
convenience: the built-ins plus every installed extension, loaded lazily, once.

crokit's own vocabulary is data: TOML files in ``crokit/vocabulary/data``, read by
:meth:`Registry.with_vocabulary` on first use (``import crokit`` reads none of it). An
extension is declared in the ``crokit.extensions`` entry-point group and points either
to a callable that takes a Registry and returns a new Registry, or to a package holding
vocabulary TOML files of the same format as crokit's own, read the same way::

    [project.entry-points."crokit.extensions"]
    acme = "acme_crokit:extend"       # Python: a callable
    acme-data = "acme_crokit_data"    # data: a package of *.toml files

Set ``CROKIT_NO_EXTENSIONS=1`` to run without them. See ``docs/extending.md``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol, TypeVar, cast, runtime_checkable

import attrs

from crokit._convert import to_tuple
from crokit._typed import typed_fields
from crokit.errors import CrokitError, DuplicateIdError, ExtensionError, Problem, UnknownIdError, ValidationError
from crokit.vocabulary.criteria import Question, SelectionCriterion
from crokit.vocabulary.ids import check_id
from crokit.vocabulary.obligations import Obligation
from crokit.vocabulary.terms import (
    CroCategory,
    EngagementModel,
    Regulator,
    Service,
    Submission,
    TherapeuticArea,
)

if TYPE_CHECKING:
    import importlib.metadata
    from importlib.resources.abc import Traversable
    from pathlib import Path

__all__ = [
    "ENTRY_POINT_GROUP",
    "Entry",
    "ExtensionInfo",
    "Registry",
    "combine",
    "default_registry",
    "load_extensions",
]

ENTRY_POINT_GROUP: Final = "crokit.extensions"
"""The entry-point group crokit extensions are declared in."""
KILL_SWITCH: Final = "CROKIT_NO_EXTENSIONS"
"""Set this environment variable to ``1`` to skip every installed extension."""
BUILTIN_DATA: Final = "data"
"""The folder of ``crokit.vocabulary`` that holds crokit's own vocabulary files."""


@runtime_checkable
class Entry(Protocol):
    """What the registry can hold: any value with an ``id`` and a ``registry_kind``."""

    registry_kind: ClassVar[str]

    @property
    def id(self) -> str:
        """The entry's namespaced id."""


E = TypeVar("E", bound=Entry)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ExtensionInfo:
    """An extension that was loaded into a registry.

    Attributes:
        name: The entry point's name.
        value: The object reference it points to (``module:callable``).
        distribution: The distribution that declared it.
        version: That distribution's version.
    """

    name: str
    value: str
    distribution: str
    version: str


def _freeze(entries: Mapping[str, Mapping[str, Entry]]) -> Mapping[str, Mapping[str, Entry]]:
    return MappingProxyType({kind: MappingProxyType(dict(items)) for kind, items in entries.items()})


@attrs.frozen(kw_only=True, repr=False, field_transformer=typed_fields)
class Registry:
    """An immutable set of vocabulary entries, by kind and id.

    Build one with :meth:`builtin` (crokit's own vocabulary), :meth:`empty`, or
    :func:`default_registry` (built-ins plus installed extensions); extend it with
    :meth:`with_entries`, which returns a new registry.

    >>> registry = Registry.builtin()
    >>> registry.service("crokit:biostatistics").name
    'Biostatistics'
    >>> "crokit:biostatistics" in registry
    True
    """

    entries: Mapping[str, Mapping[str, Entry]] = attrs.field(factory=dict, converter=_freeze)
    extensions: tuple[ExtensionInfo, ...] = attrs.field(default=(), converter=to_tuple)

    @classmethod
    def empty(cls) -> Registry:
        """A registry with no entries at all (useful in tests)."""
        return cls()

    @classmethod
    def builtin(cls) -> Registry:
        """Crokit's own vocabulary, without extensions."""
        return _builtin()

    def __repr__(self) -> str:
        """Summarise the registry by kind."""
        counts = ", ".join(f"{kind}: {len(items)}" for kind, items in sorted(self.entries.items()))
        return f"<crokit.Registry({counts}, extensions={len(self.extensions)})>"

    def __contains__(self, id_: object) -> bool:
        """Whether any kind has an entry with this id."""
        return any(id_ in items for items in self.entries.values())

    def with_entries(self, *entries: Entry, replace: bool = False) -> Registry:
        """Return a new registry that also holds *entries*.

        Raises:
            DuplicateIdError: If an id is already present in its kind (or given twice)
                and ``replace`` is false.
            ValidationError: If an entry has no well-formed id or no registry kind.
        """
        merged = {kind: dict(items) for kind, items in self.entries.items()}
        for index, entry in enumerate(entries):
            if not isinstance(entry, Entry):
                raise ValidationError.at(
                    f"entries[{index}]", f"expected a vocabulary entry (Service, CroCategory, ...), got {entry!r}"
                )
            kind = entry.registry_kind
            check_id(entry.id, path=f"entries[{index}].id")
            items = merged.setdefault(kind, {})
            if entry.id in items and not replace:
                raise DuplicateIdError(kind, entry.id)
            items[entry.id] = entry
        return attrs.evolve(self, entries=merged)

    def with_vocabulary(
        self, source: Traversable | Path | str, *, label: str | None = None, replace: bool = False
    ) -> Registry:
        """Return a new registry that also holds the entries of the vocabulary files in *source*.

        *source* is a folder of ``*.toml`` files in the format of crokit's own vocabulary
        (``crokit/vocabulary/data``; see ``docs/extending.md``), given as a path or as an
        :mod:`importlib.resources` traversable, so that a package's data can be read even
        from a zip. Files are read in name order and entries in file order. References
        between entries are not checked here: call :meth:`check_references` once every
        vocabulary is in.

        Args:
            source: The folder.
            label: How to name the folder in error messages (default: its path or name).
            replace: Whether an entry may replace one with the same id.

        Raises:
            InputFileError: If *source* is not a folder.
            FormatError: If a file is not valid TOML, naming the file, line and column.
            ValidationError: Listing every problem with its file, key path and bad value
                (a duplicate id among them, unless ``replace`` is true).

        >>> import importlib.resources
        >>> data = importlib.resources.files("crokit.vocabulary") / "data"
        >>> Registry.empty().with_vocabulary(data) == Registry.builtin()
        True
        """
        from crokit.vocabulary.loader import read_located

        located = read_located(source, label=label)
        if not replace:
            problems: list[Problem] = []
            seen: dict[tuple[str, str], str] = {}
            for path, entry in located:
                key = (entry.registry_kind, entry.id)
                if entry.id in self.entries.get(entry.registry_kind, {}):
                    problems.append(
                        Problem(path=f"{path}.id", message=f"{entry.id!r} is already in the registry (a duplicate id)")
                    )
                elif key in seen:
                    problems.append(Problem(path=f"{path}.id", message=f"{entry.id!r} is already given at {seen[key]}"))
                seen.setdefault(key, path)
            if problems:
                raise ValidationError(problems)
        return self.with_entries(*(entry for _, entry in located), replace=replace)

    def with_extension(self, info: ExtensionInfo) -> Registry:
        """Return a new registry that records *info* among its loaded extensions."""
        return attrs.evolve(self, extensions=(*self.extensions, info))

    def kinds(self) -> tuple[str, ...]:
        """The kinds this registry has entries of, sorted."""
        return tuple(sorted(self.entries))

    def all(self, kind: str) -> tuple[Entry, ...]:
        """Every entry of *kind*, in registration order (empty for an unknown kind)."""
        return tuple(self.entries.get(kind, {}).values())

    def ids(self, kind: str) -> tuple[str, ...]:
        """Every id of *kind*, in registration order."""
        return tuple(self.entries.get(kind, {}))

    def get(self, kind: str, id_: str, *, path: str = "") -> Entry:
        """The entry of *kind* with id *id_*.

        Raises:
            UnknownIdError: With the closest valid ids, if there is no such entry.
        """
        items = self.entries.get(kind, {})
        try:
            return items[id_]
        except (KeyError, TypeError):
            raise UnknownIdError(kind, str(id_), choices=items, path=path) from None

    def name_of(self, id_: str, kind: str | None = None) -> str:
        """The name people read for *id_*: the entry's ``name`` (a question's ``text``).

        The id follows in brackets where the name alone is ambiguous (another entry of
        the same kind has the same name); an id the registry does not hold comes back
        as it is, so a message can always be written. Look in *kind* only, or in every
        kind when it is ``None``. The messages the models write use this; the
        presentation package's ``name`` function is the same lookup.

        >>> registry = Registry.builtin()
        >>> registry.name_of("crokit:biostatistics"), registry.name_of("acme:unknown")
        ('Biostatistics', 'acme:unknown')
        """
        kinds = (kind,) if kind is not None else tuple(self.entries)
        for each in kinds:
            items = self.entries.get(each, {})
            entry = items.get(id_)
            if entry is None:
                continue
            name = _readable(entry)
            if name is None:
                return id_
            if self._name_counts[each].get(name.casefold(), 0) > 1:
                return f"{name} ({id_})"
            return name
        return str(id_)

    @functools.cached_property
    def _name_counts(self) -> dict[str, dict[str, int]]:
        """Per kind, how many entries share each (case-folded) name: counted once per registry."""
        counts: dict[str, dict[str, int]] = {}
        for kind, items in self.entries.items():
            found = counts[kind] = {}
            for entry in items.values():
                name = _readable(entry)
                if name is not None:
                    folded = name.casefold()
                    found[folded] = found.get(folded, 0) + 1
        return counts

    def _typed(self, kind: str, id_: str, cls: type[E], path: str) -> E:
        entry = self.get(kind, id_, path=path)
        if not isinstance(entry, cls):
            raise ValidationError.at(path or "id", f"{id_!r} is filed as a {kind} but is a {type(entry).__name__}")
        return entry

    def service(self, id_: str, *, path: str = "") -> Service:
        """The :class:`~crokit.vocabulary.Service` with this id."""
        return self._typed(Service.registry_kind, id_, Service, path)

    def category(self, id_: str, *, path: str = "") -> CroCategory:
        """The :class:`~crokit.vocabulary.CroCategory` with this id."""
        return self._typed(CroCategory.registry_kind, id_, CroCategory, path)

    def obligation(self, id_: str, *, path: str = "") -> Obligation:
        """The :class:`~crokit.vocabulary.Obligation` with this id."""
        return self._typed(Obligation.registry_kind, id_, Obligation, path)

    @property
    def obligations(self) -> tuple[Obligation, ...]:
        """Every sponsor obligation, in registration order (21 CFR 312.50-312.59 first)."""
        return cast("tuple[Obligation, ...]", self.all(Obligation.registry_kind))

    def regulator(self, id_: str, *, path: str = "") -> Regulator:
        """The :class:`~crokit.vocabulary.Regulator` with this id."""
        return self._typed(Regulator.registry_kind, id_, Regulator, path)

    def submission(self, id_: str, *, path: str = "") -> Submission:
        """The :class:`~crokit.vocabulary.Submission` with this id."""
        return self._typed(Submission.registry_kind, id_, Submission, path)

    def engagement_model(self, id_: str, *, path: str = "") -> EngagementModel:
        """The :class:`~crokit.vocabulary.EngagementModel` with this id."""
        return self._typed(EngagementModel.registry_kind, id_, EngagementModel, path)

    def area(self, id_or_alias: str, *, path: str = "") -> TherapeuticArea:
        """The :class:`~crokit.vocabulary.TherapeuticArea` with this id, or with this alias.

        Aliases are the names published sources use (``"anti-infective"``) and match
        case-insensitively; the local part of an id (``"oncology"``) matches too.
        """
        kind = TherapeuticArea.registry_kind
        items = self.entries.get(kind, {})
        if id_or_alias in items:
            return cast("TherapeuticArea", items[id_or_alias])
        wanted = str(id_or_alias).strip().lower()
        for entry in items.values():
            area = cast("TherapeuticArea", entry)
            names = {area.id.rpartition(":")[2], *(alias.lower() for alias in area.aliases)}
            if wanted in names:
                return area
        choices = [*items, *(a for e in items.values() for a in cast("TherapeuticArea", e).aliases)]
        raise UnknownIdError(kind, str(id_or_alias), choices=choices, path=path)

    def criterion(self, id_: str, *, path: str = "") -> SelectionCriterion:
        """The :class:`~crokit.vocabulary.criteria.SelectionCriterion` with this id."""
        return self._typed(SelectionCriterion.registry_kind, id_, SelectionCriterion, path)

    def question(self, id_: str, *, path: str = "") -> Question:
        """The due-diligence :class:`~crokit.vocabulary.criteria.Question` with this id."""
        return self._typed(Question.registry_kind, id_, Question, path)

    @property
    def criteria(self) -> tuple[SelectionCriterion, ...]:
        """Every selection criterion."""
        return cast("tuple[SelectionCriterion, ...]", self.all(SelectionCriterion.registry_kind))

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every due-diligence question."""
        return cast("tuple[Question, ...]", self.all(Question.registry_kind))

    @property
    def services(self) -> tuple[Service, ...]:
        """Every service."""
        return cast("tuple[Service, ...]", self.all(Service.registry_kind))

    @property
    def categories(self) -> tuple[CroCategory, ...]:
        """Every CRO category."""
        return cast("tuple[CroCategory, ...]", self.all(CroCategory.registry_kind))

    @property
    def areas(self) -> tuple[TherapeuticArea, ...]:
        """Every therapeutic area."""
        return cast("tuple[TherapeuticArea, ...]", self.all(TherapeuticArea.registry_kind))

    @property
    def regulators(self) -> tuple[Regulator, ...]:
        """Every regulator."""
        return cast("tuple[Regulator, ...]", self.all(Regulator.registry_kind))

    @property
    def submissions(self) -> tuple[Submission, ...]:
        """Every submission type."""
        return cast("tuple[Submission, ...]", self.all(Submission.registry_kind))

    @property
    def engagement_models(self) -> tuple[EngagementModel, ...]:
        """Every engagement model."""
        return cast("tuple[EngagementModel, ...]", self.all(EngagementModel.registry_kind))

    def check_references(self) -> None:
        """Check that every id an entry refers to exists in this registry.

        Raises:
            ValidationError: Listing every dangling reference with its path.
        """
        problems: list[Problem] = []

        def need(kind: str, id_: object, path: str) -> None:
            if id_ is not None and id_ not in self.entries.get(kind, {}):
                problems.append(Problem(path=path, message=f"refers to unknown {kind} {id_!r}"))

        for service in self.services:
            for i, ref in enumerate(service.categories):
                need(CroCategory.registry_kind, ref, f"service {service.id}.categories[{i}]")
        for category in self.categories:
            for i, service_id in enumerate(category.typical_services):
                need(Service.registry_kind, service_id, f"category {category.id}.typical_services[{i}]")
            for i, area_id in enumerate(category.focus_areas):
                need(TherapeuticArea.registry_kind, area_id, f"category {category.id}.focus_areas[{i}]")
        for area in self.areas:
            need(TherapeuticArea.registry_kind, area.parent, f"area {area.id}.parent")
        for submission in self.submissions:
            for i, regulator_id in enumerate(submission.regulators):
                need(Regulator.registry_kind, regulator_id, f"submission {submission.id}.regulators[{i}]")
        for model in self.engagement_models:
            need(EngagementModel.registry_kind, model.parent, f"engagement-model {model.id}.parent")
        for question in self.questions:
            need(SelectionCriterion.registry_kind, question.criterion, f"question {question.id}.criterion")
        if problems:
            raise ValidationError(problems)


def _readable(entry: Entry) -> str | None:
    """An entry's name, or its text when it has no name (a due-diligence question)."""
    for field in ("name", "text"):
        value = getattr(entry, field, None)
        if isinstance(value, str) and value.strip():
            return value
    return None


def combine(*registries: Registry, replace: bool = False) -> Registry:
    """Merge *registries* left to right into a new registry.

    Raises:
        DuplicateIdError: If two registries hold the same id of one kind and
            ``replace`` is false.
    """
    result = Registry.empty()
    for registry in registries:
        for kind in registry.kinds():
            result = result.with_entries(*registry.all(kind), replace=replace)
        for info in registry.extensions:
            result = result.with_extension(info)
    return result


@functools.cache
def _builtin() -> Registry:
    # crokit's own vocabulary goes through the same reader as an extension's data files.
    from importlib.resources import files

    registry = Registry.empty().with_vocabulary(
        files("crokit.vocabulary") / BUILTIN_DATA, label=f"crokit.vocabulary/{BUILTIN_DATA}"
    )
    registry.check_references()
    return registry


def _distribution_of(entry_point: importlib.metadata.EntryPoint) -> tuple[str, str]:
    dist = entry_point.dist
    if dist is None:
        return ("unknown distribution", "unknown")
    return (dist.metadata["Name"] or dist.name, dist.version)


def _with_package_data(registry: Registry, package: ModuleType, name: str, label: str) -> Registry:
    from importlib.resources import files

    if not hasattr(package, "__path__"):
        raise ExtensionError(
            name, label, f"{package.__name__} is a module, not a package holding vocabulary .toml files"
        )
    try:
        return registry.with_vocabulary(files(package), label=package.__name__.replace(".", "/"))
    except CrokitError as exc:
        raise ExtensionError(name, label, str(exc)) from exc


def load_extensions(registry: Registry, *, group: str = ENTRY_POINT_GROUP) -> Registry:
    """Apply every installed extension in *group* to *registry*, in name order.

    Each entry point names either a callable taking a Registry and returning a
    Registry, or a package (``acme_crokit_data``, no ``:attribute``) whose ``*.toml``
    files hold vocabulary entries, read with :meth:`Registry.with_vocabulary`.

    Raises:
        ExtensionError: Naming the entry point and its distribution, if one fails to
            import, raises, returns something other than a Registry, ships a
            vocabulary file with a problem (naming the file, key path and bad value),
            or leaves a reference dangling.
    """
    import importlib.metadata

    for entry_point in sorted(importlib.metadata.entry_points(group=group), key=lambda ep: ep.name):
        dist, version = _distribution_of(entry_point)
        label = f"{dist} {version}"
        try:
            extend = entry_point.load()
        except Exception as exc:
            raise ExtensionError(entry_point.name, label, f"could not be imported: {exc!r}") from exc
        if isinstance(extend, ModuleType):
            result: Any = _with_package_data(registry, extend, entry_point.name, label)
        elif not callable(extend):
            raise ExtensionError(
                entry_point.name, label, f"{entry_point.value} is not callable (nor a package of vocabulary files)"
            )
        else:
            try:
                result = cast("Callable[[Registry], object]", extend)(registry)
            except Exception as exc:
                raise ExtensionError(entry_point.name, label, f"raised {exc!r}") from exc
        if not isinstance(result, Registry):
            raise ExtensionError(
                entry_point.name, label, f"returned {type(result).__name__}, expected a crokit Registry"
            )
        try:
            result.check_references()
        except ValidationError as exc:
            raise ExtensionError(entry_point.name, label, str(exc)) from exc
        registry = result.with_extension(
            ExtensionInfo(name=entry_point.name, value=entry_point.value, distribution=dist, version=version)
        )
    return registry


def _extensions_disabled() -> bool:
    return os.environ.get(KILL_SWITCH, "").strip().lower() not in {"", "0", "false", "no"}


@functools.cache
def _default(disabled: bool) -> Registry:  # noqa: FBT001 - private cache key
    registry = Registry.builtin()
    return registry if disabled else load_extensions(registry)


def default_registry() -> Registry:
    """The built-in vocabulary plus every installed extension, loaded once, lazily.

    A convenience for notebooks and the command line; library code should take a
    ``registry`` argument instead. Honours ``CROKIT_NO_EXTENSIONS=1``.
    """
    return _default(_extensions_disabled())
