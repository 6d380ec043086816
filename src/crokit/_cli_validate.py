"""``crokit validate FILE``: check any crokit document and say which kind it is.

crokit files carry no ``kind`` key, so the document type is recognised from the
top-level keys: the type whose fields cover most of them (a scenario has ``study`` and
``candidates``, a study ``phase`` and ``planned_patients``, a proposal ``cro_id`` and
``items``, a CRO profile ``services`` and ``experience``, an evaluation ``drivers`` and
``ranking``). ``--as KIND`` states the type instead. The document is then read as that
type, so every problem is reported against the right fields; a scenario is also
evaluated, since a proposal that cannot be priced is an input problem too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any, Final, TextIO

import attrs

from crokit.errors import ValidationError
from crokit.registry import default_registry
from crokit.serialization import format_for, loads, parse, read_text
from crokit.serialization._files import refuse_surrogates, require_format

__all__ = ["DOCUMENT_KINDS", "add_validate_command", "detect_kind", "run_validate"]


def _types() -> dict[str, type[Any]]:
    from crokit.engagement.document import Engagement
    from crokit.pricing.proposal import Proposal
    from crokit.provider import CroProfile
    from crokit.scenario import Evaluation, Scenario
    from crokit.study import Study

    return {
        "scenario": Scenario,
        "study": Study,
        "proposal": Proposal,
        "cro-profile": CroProfile,
        "evaluation": Evaluation,
        "engagement": Engagement,
    }


DOCUMENT_KINDS: Final = ("scenario", "study", "proposal", "cro-profile", "evaluation", "engagement")
"""The document types ``crokit validate`` recognises, in the order ties are broken."""

_LABELS: Final = {"cro-profile": "CRO profile"}
_REPORT_KEYS: Final = frozenset({"winner_reasons", "explanation", "sensitivity"})
"""Top-level keys only the JSON report of ``crokit evaluate --format json`` has."""


def detect_kind(data: object) -> str:
    """The document type whose fields best cover the top-level keys of *data*.

    >>> detect_kind({"schema_version": 1, "name": "X", "phase": "phase-2", "planned_patients": 10})
    'study'

    Raises:
        ValidationError: If *data* is not a table, or its keys match no document type.
    """
    if not isinstance(data, Mapping):
        raise ValidationError.at("", "expected a crokit document (a table of keys), got something else")
    keys = {str(key) for key in data} - {"schema_version"}
    if keys >= _REPORT_KEYS:
        raise ValidationError.at(
            "",
            "this is a JSON report written by `crokit evaluate --format json` (see docs/json-report.md): "
            "an output crokit does not read back; validate the scenario it came from",
        )
    types = _types()
    best: tuple[int, int, str] | None = None
    for kind in DOCUMENT_KINDS:
        fields = {field.name for field in attrs.fields(types[kind])}
        known = len(keys & fields)
        score = (known, -len(keys - fields), kind)
        if known and (best is None or score[:2] > best[:2]):
            best = score
    if best is None:
        listed = ", ".join(sorted(keys)[:8]) or "none"
        raise ValidationError.at(
            "",
            f"not a crokit document: its keys ({listed}) belong to none of "
            f"{', '.join(_LABELS.get(k, k) for k in DOCUMENT_KINDS)}",
        )
    return best[2]


def _describe(kind: str, document: Any) -> str:
    if kind == "study":
        return (
            f"{document.name!r}, {document.phase.value}, {document.planned_patients} patients "
            f"at {document.sites} site{'s' if document.sites != 1 else ''} in {', '.join(document.countries)}"
        )
    if kind == "proposal":
        return f"from {document.cro_id!r}, {len(document.items)} pricing items in {document.currency}"
    if kind == "cro-profile":
        return f"{document.name!r} ({document.kind.value})"
    if kind == "evaluation":
        return f"{len(document.candidates)} candidates, winner {document.winner or '(none)'}"
    if kind == "engagement":
        providers, contracts = len(document.providers), len(document.contracts)
        return (
            f"{document.title!r}, {providers} provider{'s' if providers != 1 else ''}, "
            f"{contracts} contract{'s' if contracts != 1 else ''}"
        )
    return ""


def run_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``crokit validate`` with parsed *args*."""
    from crokit.scenario import evaluate

    registry = default_registry()
    fmt = format_for(args.file)
    require_format(fmt)
    text = read_text(args.file)
    data = parse(text, fmt, source=args.file)
    refuse_surrogates(data)  # text UTF-8 cannot hold could never be written back
    kind = args.kind or detect_kind(data)
    label = _LABELS.get(kind, kind)
    document = loads(text, _types()[kind], fmt, registry=registry, source=args.file)
    if kind == "scenario":
        evaluation = evaluate(document, registry=registry)  # prices every proposal: their problems are input problems
        eligible = sum(1 for result in evaluation.candidates if result.eligible)
        detail = f"{len(document.candidates)} candidates ({eligible} eligible), study {document.study.name!r}"
    else:
        detail = _describe(kind, document)
    out.write(f"{args.file}: valid {label} document: {detail}\n")
    return 0


def add_validate_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    handler: Callable[[argparse.Namespace, TextIO], int] = run_validate,
) -> None:
    """Add ``validate`` to *commands*."""
    validate = commands.add_parser(
        "validate",
        help="check a crokit file (scenario, study, proposal, CRO profile, evaluation) and list every problem",
        description="Check a crokit document, recognised from its keys, and list every problem with its path.",
    )
    validate.add_argument("file")
    validate.add_argument(
        "--as", dest="kind", choices=DOCUMENT_KINDS, help="the document type (default: recognised from its keys)"
    )
    validate.set_defaults(handler=handler)
