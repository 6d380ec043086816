"""crokit: typed, exact models of how sponsors outsource research to CROs.

The public face for notebooks and tools. Everything here is an immutable value or a
pure function; pass the :class:`Registry` explicitly where ids matter, or use
:func:`default_registry` for the built-ins plus installed extensions.

>>> import crokit
>>> crokit.Money("100.00", "USD").allocate([1, 1, 1])[0]
Money(amount=Decimal('33.34'), currency='USD')
"""

from typing import TYPE_CHECKING, Any

from crokit import _lazy
from crokit._version import __version__
from crokit.errors import (
    CrokitError,
    CurrencyMismatchError,
    DuplicateIdError,
    ExtensionError,
    FormatError,
    InputFileError,
    InvalidAmountError,
    InvalidTransitionError,
    MissingDependencyError,
    MissingRateError,
    Problem,
    SchemaVersionError,
    UnknownCurrencyError,
    UnknownIdError,
    ValidationError,
)
from crokit.money import FxRate, FxTable, Money, RoundingPolicy, total

if TYPE_CHECKING:
    from crokit.provider import (
        AreaExperience,
        CroProfile,
        Inspection,
        InspectionOutcome,
        SizeClass,
        TeamExperience,
        Technology,
        TechnologyKind,
    )
    from crokit.registry import ExtensionInfo, Registry, combine, default_registry
    from crokit.scenario import Candidate, Evaluation, Scenario, evaluate
    from crokit.serialization import dump, dumps, load, loads
    from crokit.study import Complexity, Study, Visit, VisitKind
    from crokit.vocabulary import (
        CroCategory,
        EngagementModel,
        Milestone,
        ProviderKind,
        Regulator,
        Service,
        Stage,
        Submission,
        TherapeuticArea,
        UnitBasis,
    )

_LAZY = {
    "AreaExperience": "crokit.provider",
    "CroProfile": "crokit.provider",
    "Inspection": "crokit.provider",
    "InspectionOutcome": "crokit.provider",
    "SizeClass": "crokit.provider",
    "TeamExperience": "crokit.provider",
    "Technology": "crokit.provider",
    "TechnologyKind": "crokit.provider",
    "ExtensionInfo": "crokit.registry",
    "Registry": "crokit.registry",
    "combine": "crokit.registry",
    "default_registry": "crokit.registry",
    "Complexity": "crokit.study",
    "Study": "crokit.study",
    "Visit": "crokit.study",
    "VisitKind": "crokit.study",
    "CroCategory": "crokit.vocabulary",
    "EngagementModel": "crokit.vocabulary",
    "Milestone": "crokit.vocabulary",
    "ProviderKind": "crokit.vocabulary",
    "Regulator": "crokit.vocabulary",
    "Service": "crokit.vocabulary",
    "Stage": "crokit.vocabulary",
    "Submission": "crokit.vocabulary",
    "TherapeuticArea": "crokit.vocabulary",
    "UnitBasis": "crokit.vocabulary",
    "dump": "crokit.serialization",
    "dumps": "crokit.serialization",
    "load": "crokit.serialization",
    "loads": "crokit.serialization",
    "Candidate": "crokit.scenario",
    "Evaluation": "crokit.scenario",
    "Scenario": "crokit.scenario",
    "evaluate": "crokit.scenario",
}
"""Names loaded on first use, so ``import crokit`` stays light: the models and the
vocabulary (their attrs classes and tables are built when first named), the modules
that import NumPy, and serialization (cattrs, its converter, the JSON, TOML and YAML
readers). ``import crokit`` itself loads only the errors and :class:`Money`."""

__all__ = [
    "AreaExperience",
    "Candidate",
    "Complexity",
    "CroCategory",
    "CroProfile",
    "CrokitError",
    "CurrencyMismatchError",
    "DuplicateIdError",
    "EngagementModel",
    "Evaluation",
    "ExtensionError",
    "ExtensionInfo",
    "FormatError",
    "FxRate",
    "FxTable",
    "InputFileError",
    "Inspection",
    "InspectionOutcome",
    "InvalidAmountError",
    "InvalidTransitionError",
    "Milestone",
    "MissingDependencyError",
    "MissingRateError",
    "Money",
    "Problem",
    "ProviderKind",
    "Registry",
    "Regulator",
    "RoundingPolicy",
    "Scenario",
    "SchemaVersionError",
    "Service",
    "SizeClass",
    "Stage",
    "Study",
    "Submission",
    "TeamExperience",
    "Technology",
    "TechnologyKind",
    "TherapeuticArea",
    "UnitBasis",
    "UnknownCurrencyError",
    "UnknownIdError",
    "ValidationError",
    "Visit",
    "VisitKind",
    "__version__",
    "combine",
    "default_registry",
    "dump",
    "dumps",
    "evaluate",
    "load",
    "loads",
    "total",
]


def __getattr__(name: str) -> Any:
    """Load the scenario layer (which imports NumPy) on first use of one of its names."""
    return _lazy.load(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    """The public names, including the lazily loaded ones."""
    return _lazy.public_names(globals(), __all__)
