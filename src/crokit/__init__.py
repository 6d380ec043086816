"""crokit: typed, exact models of how sponsors outsource research to CROs.

The public face for notebooks and tools. Everything here is an immutable value or a
pure function; pass the :class:`Registry` explicitly where ids matter, or use
:func:`default_registry` for the built-ins plus installed extensions.

>>> import crokit
>>> crokit.Money("100.00", "USD").allocate([1, 1, 1])[0]
Money(amount=Decimal('33.34'), currency='USD')
"""

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

__all__ = [
    "AreaExperience",
    "Complexity",
    "CroCategory",
    "CroProfile",
    "CrokitError",
    "CurrencyMismatchError",
    "DuplicateIdError",
    "EngagementModel",
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
    "load",
    "loads",
    "total",
]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
