"""The visit schedule of a USDM study design: encounters, their order, timings and windows.

The encounters are taken in schedule order (their ``previousId``/``nextId`` chain), their
study days derived from the main schedule timeline's timings relative to the ``Fixed
Reference`` (SDTM study days, no day 0), their windows from the timings' ``windowLower``
and ``windowUpper``, their kinds from labels and epoch types and their procedures from
the activities scheduled at them; the design's arms are only noted, as a crokit
:class:`~crokit.Study` has none.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

import attrs

from crokit.errors import CrokitError
from crokit.interop._collect import Collector
from crokit.interop._lookup import slugify
from crokit.interop._node import Node, first_text, unique_texts
from crokit.interop._usdm_code import is_code, read_code
from crokit.study import Visit, VisitKind

__all__ = ["note_arms", "read_visits"]

_AFTER: Final = "C201356"
_BEFORE: Final = "C201357"
_FIXED: Final = "C201358"
_IN_PERSON: Final = "C175574"
_SECONDS_PER_DAY: Final = 86_400
_DURATION: Final = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_MAX_DAYS: Final = 36_500
_MAX_CHAIN: Final = 100  # timings relative to timings relative to ...: deeper chains are not followed


def _duration_seconds(text: str) -> Decimal | None:
    """Seconds in an ISO 8601 duration of weeks, days, hours, minutes and seconds; ``None`` otherwise.

    Years and months have no fixed length in days and are not read.
    """
    match = _DURATION.match(text.strip())
    if match is None:
        return None
    parts = {key: Decimal(value) if value else Decimal(0) for key, value in match.groupdict().items()}
    return (
        parts["weeks"] * 7 * _SECONDS_PER_DAY
        + parts["days"] * _SECONDS_PER_DAY
        + parts["hours"] * 3600
        + parts["minutes"] * 60
        + parts["seconds"]
    )


def _study_day(offset_seconds: Decimal) -> int:
    """The SDTM study day of an offset from the reference (day 1); there is no day 0."""
    days = int(offset_seconds / _SECONDS_PER_DAY)  # whole days, towards zero
    return days + 1 if days >= 0 else days


@attrs.frozen
class _Timing:
    day: int
    window: int


def note_arms(design: Node, collect: Collector) -> None:
    """Note the design's arms: a crokit Study has none, so arms of the wrong shape are only listed as not read."""
    try:
        arms = [first_text(arm["label"], arm["name"]) or arm.path for arm in design["arms"].objects()]
    except CrokitError as error:
        collect.not_read(error, "the design's arms (a crokit Study has none)")
        return
    if arms:
        collect.notes.append(
            f"{len(arms)} arms: {', '.join(arms)} (a crokit Study has no arms; planned_patients covers them all)"
        )


def _encounter_order(design: Node, collect: Collector) -> list[Node]:
    encounters = design["encounters"].objects()
    by_id = {e["id"].text(): e for e in encounters if e["id"].text() is not None}
    starts = [e for e in encounters if e["previousId"].text() not in by_id]
    if len(starts) == 1 and len(by_id) == len(encounters):
        chain: list[Node] = []
        current: Node | None = starts[0]
        while current is not None and current not in chain and len(chain) <= len(encounters):
            chain.append(current)
            current = by_id.get(current["nextId"].text())
        if len(chain) == len(encounters):
            return chain
    if encounters:
        collect.notes.append("encounters taken in file order: their previousId/nextId chain is incomplete")
    return encounters


def _main_timeline(design: Node) -> Node | None:
    timelines = design["scheduleTimelines"].objects()
    main = [t for t in timelines if t["mainTimeline"].value is True]
    candidates = main or timelines
    return candidates[0] if candidates else None


def _timings(timeline: Node | None, encounters: list[Node]) -> dict[str, _Timing] | None:
    """Study day and window of each encounter id, or ``None`` if any cannot be derived."""
    if timeline is None:
        return None
    days = _TimelineDays(timeline)
    instances = timeline["instances"].objects()
    result: dict[str, _Timing] = {}
    for encounter in encounters:
        enc_id = encounter["id"].text() or encounter.path
        best: tuple[Decimal, Node | None] | None = None
        for instance in instances:
            instance_id = instance["id"].text()
            if instance["encounterId"].text() != enc_id or instance_id is None:
                continue
            found = days.instance_offset(instance_id, frozenset())
            if found is not None and (best is None or found < best[0]):
                best = (found, days.by_from.get(instance_id))
        if best is None:
            timing = days.by_id.get(encounter["scheduledAtId"].text())
            found = days.offset(timing, frozenset()) if timing is not None else None
            if found is not None:
                best = (found, timing)
        if best is None:
            return None
        day = _study_day(best[0])
        if not -_MAX_DAYS <= day <= _MAX_DAYS:
            return None
        result[enc_id] = _Timing(day=day, window=_window(best[1]))
    return result


def read_visits(design: Node, collect: Collector) -> tuple[Visit, ...]:
    """The design's encounters as visits, in study-day order."""
    encounters = _encounter_order(design, collect)
    if not encounters:
        collect.assume("visits", "(none)", "the design lists no encounters")
        return ()
    timeline = _main_timeline(design)
    timings = _timings(timeline, encounters)
    epochs = {e["id"].text(): e for e in design["epochs"].objects()}
    activities = {a["id"].text(): a for a in design["activities"].objects()}
    instances = timeline["instances"].objects() if timeline is not None else []
    taken: set[str] = set()
    planned: list[tuple[int, int, Visit]] = []
    for index, encounter in enumerate(encounters):
        enc_id = encounter["id"].text() or encounter.path
        mine = [i for i in instances if i["encounterId"].text() == enc_id]
        name = first_text(encounter["label"], encounter["name"], encounter["description"]) or f"Visit {index + 1}"
        timing = timings[enc_id] if timings is not None else _Timing(day=index + 1, window=0)
        epoch_types = [read_code(epochs[e]["type"])[1] or "" for i in mine if (e := i["epochId"].text()) in epochs]
        procedures: list[str | None] = []
        for instance in mine:
            for activity_id in instance["activityIds"].items():
                activity = activities.get(activity_id.text())
                if activity is None:
                    collect.unread.append(f"{activity_id.path}: no activity {activity_id.value!r}")
                else:
                    procedures.append(first_text(activity["label"], activity["name"]))
        modes = [read_code(m) for m in encounter["contactModes"].objects()]
        remote = bool(modes) and not any(
            code == _IN_PERSON or (decode or "").lower() == "in person" for code, decode in modes
        )
        visit = Visit(
            id=slugify(name, taken, fallback=f"visit-{index + 1}"),
            name=name,
            day=timing.day,
            kind=_kind(encounter, epoch_types),
            window_days=timing.window,
            procedures=tuple(unique_texts(procedures)),
            remote=remote,
        )
        planned.append((visit.day, index, visit))
    ordered = sorted(planned, key=lambda entry: (entry[0], entry[1]))
    if [entry[1] for entry in ordered] != list(range(len(ordered))):
        collect.notes.append("visits sorted by study day: the encounter chain lists them in another order")
    if timings is None:
        collect.assume(
            "visits[*].day",
            f"1 to {len(encounters)}",
            "study days could not be derived from the schedule timings; visits are numbered in schedule order",
        )
    else:
        collect.notes.append(
            f"visit days from the timings of {timeline.path if timeline is not None else 'the main timeline'}: "
            "the Fixed Reference timing is day 1 (SDTM study days, no day 0); windows are the larger of "
            "windowLower/windowUpper in whole days"
        )
    collect.notes.append(
        "visit kinds from encounter labels (screening, baseline, follow-up, end of study) and epoch types"
    )
    collect.assume(
        "visits[*].crf_pages", 0, "USDM gives no CRF page counts; set them before pricing data management per page"
    )
    return tuple(entry[2] for entry in ordered)


class _TimelineDays:
    """Offsets from a timeline's Fixed Reference, following chains of relative timings."""

    def __init__(self, timeline: Node) -> None:
        timings = timeline["timings"].objects()
        self.by_from = {t["relativeFromScheduledInstanceId"].text(): t for t in timings}
        self.by_id = {t["id"].text(): t for t in timings}
        self._offsets: dict[str, Decimal | None] = {}

    def offset(self, timing: Node, seen: frozenset[str]) -> Decimal | None:
        """Seconds from the Fixed Reference to *timing*, or ``None`` if they cannot be derived."""
        if is_code(timing["type"], _FIXED, "fixed reference"):
            return Decimal(0)
        sign = (
            1 if is_code(timing["type"], _AFTER, "after") else -1 if is_code(timing["type"], _BEFORE, "before") else 0
        )
        text = timing["value"].text()
        amount = _duration_seconds(text) if text is not None else None
        if sign == 0 or amount is None:
            return None
        anchor = timing["relativeToScheduledInstanceId"].text()
        base = self.instance_offset(anchor, seen) if anchor is not None else None
        return None if base is None else base + sign * amount

    def instance_offset(self, instance_id: str, seen: frozenset[str]) -> Decimal | None:
        """Seconds from the Fixed Reference to a scheduled instance, or ``None``."""
        if instance_id in seen or len(seen) > _MAX_CHAIN:  # a cycle, or a chain too long to follow
            return None
        if instance_id not in self._offsets:
            timing = self.by_from.get(instance_id)
            self._offsets[instance_id] = None if timing is None else self.offset(timing, seen | {instance_id})
        return self._offsets[instance_id]


def _window(timing: Node | None) -> int:
    """The larger of a timing's lower and upper window, in whole days (0 if none)."""
    if timing is None:
        return 0
    widths = []
    for key in ("windowLower", "windowUpper"):
        text = timing[key].text()
        seconds = _duration_seconds(text) if text is not None else None
        if seconds is not None:
            widths.append(min(int(seconds / _SECONDS_PER_DAY), 3650))
    return max(widths, default=0)


def _kind(encounter: Node, epoch_types: list[str]) -> VisitKind:
    text = " ".join(filter(None, (encounter["label"].text(), encounter["name"].text()))).lower()
    for word, kind in (
        ("screen", VisitKind.SCREENING),
        ("baseline", VisitKind.BASELINE),
        ("end of study", VisitKind.END_OF_STUDY),
        ("end-of-study", VisitKind.END_OF_STUDY),
        ("follow", VisitKind.FOLLOW_UP),
    ):
        if word in text:
            return kind
    epochs = " ".join(epoch_types).lower()
    if "screen" in epochs:
        return VisitKind.SCREENING
    if "follow" in epochs:
        return VisitKind.FOLLOW_UP
    return VisitKind.TREATMENT
