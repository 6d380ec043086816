"""The engagement document: one file for a signed outsourcing engagement and its life.

An :class:`Engagement` binds the sponsor, the study as signed, the planning
assumptions, the providers with their written agreements and contracts (each a signed
proposal and its change orders), the scope matrix, the transfers of obligations, the
actuals recorded so far, the sponsor's KPI thresholds and its observed KPI values.
:func:`status` computes, for each contract, the version in force, the accruals,
variance and estimates at completion as of the actuals' date, and the KPIs;
:func:`obligations` the transfer table.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from crokit import _hypothesis_plugin, _text
from crokit._convert import to_tuple
from crokit._members import as_member
from crokit._typed import typed_fields
from crokit._validators import non_empty_text
from crokit.change_orders import Contract
from crokit.contract_versions import ContractVersion, contract_versions
from crokit.engagement.accruals import EngagementStatus, FixedFeeRule, engagement_status
from crokit.engagement.actuals import Actuals
from crokit.engagement.kpis import KpiObservation, KpiResult, KpiThreshold, evaluate_kpis
from crokit.engagement.ledger import ObligationLedger, Transfer, TransferTable, transfer_table
from crokit.engagement.obligations import obligation_catalogue
from crokit.engagement.parties import Party, all_of
from crokit.engagement.scope import ScopeAssignment, ScopeFinding, ScopeMatrix, check_scope
from crokit.errors import Problem, ValidationError
from crokit.money import FxTable
from crokit.pricing.assumptions import Assumptions
from crokit.pricing.derive import derive_drivers
from crokit.registry import Registry
from crokit.schedule.payments import month_index
from crokit.serialization import DocumentSpec
from crokit.study import Study
from crokit.vocabulary.obligations import Obligation

__all__ = ["ContractStatus", "Engagement", "EngagementReport", "ProviderContract", "obligations", "status"]


def _party_id(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    non_empty_text(_instance, attribute, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ProviderContract:
    """A provider's contract within an engagement.

    Attributes:
        provider: The provider's id.
        contract: The signed proposal and its change orders.
        actuals: What has happened under this contract, if anything is recorded yet.
    """

    provider: str = attrs.field(validator=_party_id)
    contract: Contract = attrs.field(validator=attrs.validators.instance_of(Contract))
    actuals: Actuals | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Actuals))
    )


def _as_fixed_fee_rule(value: object) -> object:
    """A converter: text (the value or name) to a FixedFeeRule member."""
    return as_member(FixedFeeRule, value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Engagement:
    """A signed outsourcing engagement and what has happened since.

    Attributes:
        title: A title for reports.
        sponsor: The sponsor.
        study: The study as signed.
        assumptions: The planning assumptions as signed.
        providers: The providers, each with its written agreement.
        contracts: Each provider's contract (at most one each).
        scope: The scope matrix's assignments (service by stage to a party, RACI).
        transfers: The sponsor obligations transferred in writing; all others stay
            with the sponsor.
        kpis: The sponsor's KPI thresholds.
        observations: Recorded values of the observed KPIs.
        currency: The reporting currency (default: the study's).
        fx: Exchange rates for contracts in another currency.
        fixed_fees: How fixed fees are accrued.

    Every party named (in a contract, the scope or a transfer) must be one of its
    parties, and every provider named by a contract or the scope needs a written
    agreement; each problem is reported with its path.
    """

    __crokit_document__: ClassVar[DocumentSpec] = DocumentSpec(name="engagement", version=1)

    title: str = attrs.field(validator=non_empty_text)
    sponsor: Party = attrs.field(validator=attrs.validators.instance_of(Party))
    study: Study = attrs.field(validator=attrs.validators.instance_of(Study))
    assumptions: Assumptions = attrs.field(validator=attrs.validators.instance_of(Assumptions))
    providers: tuple[Party, ...] = attrs.field(converter=to_tuple, validator=all_of(Party, "a Party"))
    contracts: tuple[ProviderContract, ...] = attrs.field(
        default=(), converter=to_tuple, validator=all_of(ProviderContract, "a ProviderContract")
    )
    scope: tuple[ScopeAssignment, ...] = attrs.field(
        default=(), converter=to_tuple, validator=all_of(ScopeAssignment, "a ScopeAssignment")
    )
    transfers: tuple[Transfer, ...] = attrs.field(
        default=(), converter=to_tuple, validator=all_of(Transfer, "a Transfer")
    )
    kpis: tuple[KpiThreshold, ...] = attrs.field(
        default=(), converter=to_tuple, validator=all_of(KpiThreshold, "a KpiThreshold")
    )
    observations: tuple[KpiObservation, ...] = attrs.field(
        default=(), converter=to_tuple, validator=all_of(KpiObservation, "a KpiObservation")
    )
    currency: str | None = None
    fx: FxTable = attrs.field(factory=FxTable)
    fixed_fees: FixedFeeRule = attrs.field(default=FixedFeeRule.MILESTONE, converter=_as_fixed_fee_rule)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        try:
            self.ledger()
        except ValidationError as error:
            problems.extend(error.problems)
        try:
            self.scope_matrix()
        except ValidationError as error:
            problems.extend(
                attrs.evolve(problem, path=problem.path.replace("assignments", "scope", 1))
                for problem in error.problems
                if not problem.path.startswith("parties")
            )
        ids = [provider.id for provider in self.providers]
        seen: set[str] = set()
        for index, item in enumerate(self.contracts):
            if item.provider not in ids:
                problems.append(
                    Problem(
                        path=f"contracts[{index}].provider",
                        message=f"{item.provider!r} is not a provider of this engagement; expected one of {ids}",
                    )
                )
            if item.provider in seen:
                problems.append(
                    Problem(path=f"contracts[{index}].provider", message=f"{item.provider!r} has a contract already")
                )
            seen.add(item.provider)
            if item.actuals is not None and item.actuals.as_of < self.study.start_date:
                problems.append(
                    Problem(
                        path=f"contracts[{index}].actuals.as_of",
                        message=f"{item.actuals.as_of} is before the study starts on {self.study.start_date}",
                    )
                )
        if problems:
            raise ValidationError(problems)

    def ledger(self) -> ObligationLedger:
        """The transfer-of-obligations ledger of the engagement."""
        return ObligationLedger(
            study=self.study.protocol_id or self.study.name,
            sponsor=self.sponsor,
            providers=self.providers,
            transfers=self.transfers,
        )

    def scope_matrix(self) -> ScopeMatrix:
        """The scope matrix of the engagement."""
        return ScopeMatrix(parties=(self.sponsor, *self.providers), assignments=self.scope)


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class ContractStatus:
    """One provider's contract as of the actuals' date.

    Attributes:
        provider: The provider.
        versions: Every version of the contract, from the original.
        status: Accruals, variance and estimates at completion against the version in
            force (``None`` when no actuals are recorded).
    """

    provider: Party
    versions: tuple[ContractVersion, ...] = attrs.field(converter=to_tuple)
    status: EngagementStatus | None

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)``)."""
        as_of = "None" if self.status is None else self.status.as_of.isoformat()
        return _text.summary(
            "ContractStatus",
            f"provider={self.provider.id!r}",
            _text.count(len(self.versions), "version"),
            f"as_of={as_of}",
        )


@attrs.frozen(kw_only=True, field_transformer=typed_fields, repr=False)
class EngagementReport:
    """The engagement as of its actuals: contracts, scope findings, KPIs.

    Attributes:
        title: The engagement's title.
        contracts: Each contract's versions and status.
        scope_findings: Gaps and overlaps of the scope for the study's required services.
        kpis: The KPIs with a threshold, evaluated from the first contract with actuals.
    """

    title: str
    contracts: tuple[ContractStatus, ...] = attrs.field(converter=to_tuple)
    scope_findings: tuple[ScopeFinding, ...] = attrs.field(converter=to_tuple)
    kpis: tuple[KpiResult, ...] = attrs.field(converter=to_tuple)

    def __repr__(self) -> str:
        """A one-line summary (the full content: ``attrs.asdict(self)``)."""
        return _text.summary(
            "EngagementReport",
            f"title={self.title!r}",
            _text.count(len(self.contracts), "contract"),
            _text.count(len(self.scope_findings), "scope finding"),
            _text.count(len(self.kpis), "KPI"),
        )


def status(engagement: Engagement, *, registry: Registry) -> EngagementReport:
    """Each contract's versions and accruals, the scope's gaps and overlaps, and the KPIs.

    Each line is earned at the prices of the version in force (the last one), and its
    plan to date is that version's; the contract value and the estimate at completion
    on the plan are the version's month by month, so months before a change order took
    effect stay as they were priced. KPIs come from the first contract with actuals.
    """
    contracts = []
    kpis: tuple[KpiResult, ...] = ()
    for index, item in enumerate(engagement.contracts):
        try:
            versions = contract_versions(
                item.contract,
                study=engagement.study,
                assumptions=engagement.assumptions,
                registry=registry,
                currency=engagement.currency or engagement.study.currency,
                fx=engagement.fx,
            )
        except ValidationError as error:
            raise error.with_prefix(f"contracts[{index}].contract") from None
        current = versions[-1]
        result = None
        if item.actuals is not None:
            result = engagement_status(
                current.budget, item.actuals, start=engagement.study.start_date, fixed_fees=engagement.fixed_fees
            )
            if result.currency == current.value.currency:
                # The contract's value and remaining plan are the version's, month by month: months
                # before its change orders took effect stay as they were priced then.
                last = month_index(engagement.study.start_date, item.actuals.as_of)
                remaining = [amount for month, amount in current.by_month if month > last]
                result = attrs.evolve(
                    result,
                    contract_value=current.value,
                    eac_plan=sum(remaining, result.earned_to_date),
                )
            if not kpis and engagement.kpis:
                kpis = evaluate_kpis(
                    engagement.kpis,
                    actuals=item.actuals,
                    drivers=derive_drivers(current.study, current.assumptions),
                    start=engagement.study.start_date,
                    status=result,
                    observations=engagement.observations,
                )
        provider = next(p for p in engagement.providers if p.id == item.provider)
        contracts.append(ContractStatus(provider=provider, versions=versions, status=result))
    findings = check_scope(
        engagement.scope_matrix(),
        required_services=engagement.study.required_services,
        registry=registry,
        stages=[engagement.study.phase],
    )
    return EngagementReport(title=engagement.title, contracts=contracts, scope_findings=findings, kpis=kpis)


def obligations(engagement: Engagement, *, extra: tuple[Obligation, ...] = ()) -> TransferTable:
    """The engagement's transfer table over crokit's obligations plus *extra* ones."""
    return transfer_table(engagement.ledger(), obligation_catalogue(extra))


# Registers this module's models with Hypothesis' st.from_type if Hypothesis is in use.
_hypothesis_plugin.imported(__name__)
