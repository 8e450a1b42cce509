"""Writes with rules for the researcher workspace.

Every function takes the acting ``user`` (recorded in the history as who made the change),
checks that user's role, validates with ``full_clean`` and runs in one transaction. Bad
input raises ``ValidationError`` with one of the messages below and changes nothing.
Edits carry the ``version`` the editor started from; a mismatch raises ``StaleEdit``.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.text import slugify

from accounts import roles
from common import dates
from common.choices import Confidence, DatePrecision
from compacts.models import Assessment, RevisionLogEntry, Stage, StageBasis, rating_agreement
from sources.matching import find_quote
from sources.models import Source, SourceFile, TextStatus
from sources.tasks import read_source_text
from sources.text import MAX_UPLOAD_BYTES, TOO_LARGE, short_filename

from . import agreement, selectors
from . import evidence as substance
from .models import ConsensusNote, Evidence, Interview, QuoteCheck, Rating, RevisionRecord

RATING_LOCKED = "This assessment is published, so its ratings are locked."
RATING_GONE = "The rating you edited no longer exists."
RATER_NOT_RESEARCHER = "Only researchers can rate; {username} is not a researcher."
EVIDENCE_NEEDS_ONE = "Each piece of evidence is an interview or a source, not both or neither."
EVIDENCE_SOURCE_NEEDS_QUOTE = "Evidence from a source needs a short quote."
EVIDENCE_WRONG_CITY = "Interview evidence must come from an interview in {city}."
QUOTE_NOT_IN_SOURCE = (
    "This quote is not in “{source}”. The closest passage there is: “{passage}”. "
    "Quote the source's own words (the quote picker finds them)."
)
QUOTE_NOTHING_CLOSE = (
    "This quote is not in “{source}”, and no passage there is like it. "
    "Quote the source's own words (the quote picker finds them)."
)
QUOTE_NOT_UNVERIFIED = "Only an unverified quote can be marked verified."
STALE_EDIT = (
    "Someone else saved this {what} while you were editing ({who}, {when}). "
    "Your changes were not saved. What changed: {changes}. Review and save again."
)
REASON_REQUIRED = "Give a reason: it is shown in the city's public revision log."
NO_CONSENSUS = "Choose a consensus stage before publishing."
ALREADY_PUBLISHED = "This assessment is already published."
NOT_PUBLISHED = "This assessment is not published."
COVERAGE_MISSING = (
    "Publishing needs evidence from at least one district-side and one charter-side "
    "interview, or a cited source (found: {district} district, {charter} charter, "
    "{sources} sources; {unverified} sources with unverified quotes, which count once a "
    "lead verifies them; {insubstantial} quotes too short to support a stage, which never "
    "count). A lead researcher may override with a recorded reason."
)
INTERVIEW_IN_USE = "This interview is cited as evidence by a rating, so it cannot be deleted."
ASSESSMENT_EXISTS = "{city} already has an assessment for {period}."
HISTORY_REASON_LENGTH = 100  # simple-history's change-reason column


class StaleEdit(ValidationError):
    """The object changed since the editor loaded it; ``changes`` says how."""

    def __init__(self, *, what: str, instance, expected_version: int | None):
        self.changes = _changes_since(instance, expected_version)
        latest = instance.history.select_related("history_user").first()
        who = latest.history_user.get_username() if latest and latest.history_user else "someone"
        when = dates.timestamp_label(timezone.localtime(latest.history_date)) if latest else ""
        summary = "; ".join(f"{c.field}: {c.old} → {c.new}" for c in self.changes) or "unknown"
        super().__init__(
            STALE_EDIT.format(what=what, who=who, when=when, changes=summary), code="stale"
        )


def _changes_since(instance, expected_version: int | None) -> list[selectors.Change]:
    stage_names = dict(Stage.objects.values_list("id", "name"))
    labels = {"stage_id": stage_names, "consensus_stage_id": stage_names}
    current = instance.history.first()
    base = (
        instance.history.filter(version=expected_version).order_by("-history_date").first()
        if expected_version
        else None
    )
    if current is None or base is None:
        return []
    fields = [
        f.attname
        for f in instance._meta.concrete_fields
        if f.attname not in {"id", "version", "created_at", "updated_at"}
    ]
    changes = []
    for name in fields:
        old = selectors.display_value(base, name, labels)
        new = selectors.display_value(current, name, labels)
        if old != new:
            old, new = (v if len(v) <= 80 else v[:77] + "…" for v in (old, new))
            changes.append(selectors.Change(field=name.removesuffix("_id"), old=old, new=new))
    return changes


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_version(instance, expected_version: int | None, *, what: str) -> None:
    if expected_version != instance.version:
        raise StaleEdit(what=what, instance=instance, expected_version=expected_version)


def _save(instance, *, user, reason: str = "") -> None:
    instance.full_clean()
    instance._history_user = user
    if reason:
        instance._change_reason = reason[:HISTORY_REASON_LENGTH]
    instance.save()


# Interviews ---------------------------------------------------------------------------


@transaction.atomic
def interview_create(
    *, user, city, conducted_on: datetime.date, interviewee_role: str, sector: str, notes: str = ""
) -> Interview:
    _require(roles.is_researcher(user))
    interview = Interview(
        city=city,
        conducted_on=conducted_on,
        interviewee_role=interviewee_role.strip(),
        sector=sector,
        interviewer=user,
        notes=notes,
    )
    _save(interview, user=user)
    return interview


def may_change_interview(*, user, interview: Interview) -> bool:
    """Who may edit or delete an interview: the researcher who conducted it, and lead
    researchers (who look after the whole record). Other researchers may read it."""
    if roles.is_lead(user):
        return True
    return roles.is_researcher(user) and interview.interviewer_id == user.pk


@transaction.atomic
def interview_update(*, user, interview: Interview, expected_version: int, **fields) -> Interview:
    _require(may_change_interview(user=user, interview=interview))
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _check_version(interview, expected_version, what="interview")
    for name in ("city", "conducted_on", "interviewee_role", "sector", "notes"):
        if name in fields:
            setattr(interview, name, fields[name])
    interview.version += 1
    _save(interview, user=user)
    return interview


@transaction.atomic
def interview_delete(*, user, interview: Interview) -> None:
    _require(may_change_interview(user=user, interview=interview))
    if interview.evidence.exists():
        raise ValidationError(INTERVIEW_IN_USE)
    interview._history_user = user
    try:
        interview.delete()
    except ProtectedError as exc:
        raise ValidationError(INTERVIEW_IN_USE) from exc


# Assessments and ratings --------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *, user, city, period_start: datetime.date, period_precision: str
) -> Assessment:
    """A draft assessment for a city and period, ready to be rated."""
    _require(roles.is_researcher(user))
    assessment = Assessment(city=city, period_start=period_start, period_precision=period_precision)
    if Assessment.objects.filter(city=city, period_start=period_start).exists():
        raise ValidationError(
            ASSESSMENT_EXISTS.format(city=city.name, period=assessment.period_label)
        )
    _save(assessment, user=user)
    return assessment


def assessment_for_rating(
    *, user, city, period_start: datetime.date, period_precision: str
) -> tuple[Assessment, bool]:
    """The city's assessment for the period, locked for the caller's transaction, or a new
    draft when there is none; True when it was created."""
    _require(roles.is_researcher(user))
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .filter(city=city, period_start=period_start)
        .first()
    )
    if assessment is not None:
        return assessment, False
    assessment = Assessment(city=city, period_start=period_start, period_precision=period_precision)
    _save(assessment, user=user)
    return assessment, True


@dataclass(frozen=True)
class EvidenceInput:
    interview: Interview | None = None
    source: Source | None = None
    quote: str = ""
    location: str = ""


def quote_check(*, source: Source, quote: str, location: str = "") -> str:
    """Check a quote against its source: ``found`` when the source's text holds it (see
    ``sources.matching``), ``unverified`` when we hold no text for the source. A quote that
    the text does not hold is refused with the closest passage in the message, and then a
    quote too short to support a stage (``workspace.evidence``) is refused with the reason.
    Every way evidence is written (the rating form, the CSV import, this module) passes
    through here.
    """
    if not quote.strip():
        raise ValidationError(EVIDENCE_SOURCE_NEEDS_QUOTE, code="quote_missing")
    check = QuoteCheck.UNVERIFIED
    if source.has_text:
        _find_in_source(source=source, quote=quote)
        check = QuoteCheck.FOUND
    problem = substance.substance_problem(quote=quote, location=location)
    if problem:
        raise ValidationError(problem, code="quote_insubstantial")
    return check


def _find_in_source(*, source: Source, quote: str) -> None:
    check = find_quote(quote, source.text)
    if check.found:
        return
    if check.passage:
        passage = check.passage if len(check.passage) <= 300 else check.passage[:297] + "…"
        message = QUOTE_NOT_IN_SOURCE.format(source=source.title, passage=passage)
    else:
        message = QUOTE_NOTHING_CLOSE.format(source=source.title)
    raise ValidationError(message, code="quote_not_in_source")


def _validate_evidence(items: Sequence[EvidenceInput], *, assessment: Assessment) -> None:
    for item in items:
        if (item.interview is None) == (item.source is None):
            raise ValidationError(EVIDENCE_NEEDS_ONE)
        if item.source is not None:
            quote_check(source=item.source, quote=item.quote, location=item.location)
        if item.interview is not None and item.interview.city_id != assessment.city_id:
            raise ValidationError(EVIDENCE_WRONG_CITY.format(city=assessment.city.name))


def _evidence_key(interview_id, source_id, quote: str, location: str) -> tuple:
    return (interview_id, source_id, quote.strip(), location.strip())


def _input_key(item: EvidenceInput) -> tuple:
    return _evidence_key(
        item.interview and item.interview.pk, item.source and item.source.pk, item.quote,
        item.location,
    )  # fmt: skip


def _stored_key(evidence: Evidence) -> tuple:
    return _evidence_key(
        evidence.interview_id, evidence.source_id, evidence.quote, evidence.location
    )


def _evidence_changes(rating: Rating, items: Sequence[EvidenceInput] | None) -> bool:
    """Whether saving ``items`` would change the rating's evidence (``None`` keeps it)."""
    if items is None or rating.pk is None:
        return False
    return {_input_key(i) for i in items} != {_stored_key(e) for e in rating.evidence.all()}


def _sync_evidence(rating: Rating, items: Sequence[EvidenceInput], *, user) -> None:
    """Make the rating's evidence match ``items``: unchanged rows stay, the rest are
    deleted or added (each recorded in the history)."""
    wanted = {_input_key(i): i for i in items}
    for existing in rating.evidence.all():
        k = _stored_key(existing)
        if k in wanted:
            wanted.pop(k)
        else:
            existing._history_user = user
            existing.delete()
    for item in wanted.values():
        evidence = Evidence(
            rating=rating,
            interview=item.interview,
            source=item.source,
            quote=item.quote.strip(),
            location=item.location.strip(),
            quote_check=(
                quote_check(source=item.source, quote=item.quote, location=item.location)
                if item.source
                else ""
            ),
        )
        _save(evidence, user=user)


@transaction.atomic
def evidence_verify(*, user, evidence: Evidence) -> Evidence:
    """A lead confirms an unverified quote (from a source whose text we do not hold) after
    checking it in the source; it then counts toward the publishing rule. Who and when are
    recorded on the row and in its history."""
    _require(roles.is_lead(user))
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.quote_check != QuoteCheck.UNVERIFIED:
        raise ValidationError(QUOTE_NOT_UNVERIFIED)
    evidence.quote_check = QuoteCheck.VERIFIED
    evidence.verified_by = user
    evidence.verified_at = timezone.now()
    _save(evidence, user=user, reason="Quote verified against the source")
    return evidence


def save_rating(
    *,
    user,
    rater,
    assessment: Assessment,
    stage: Stage,
    rationale: str,
    confidence: str,
    evidence: Sequence[EvidenceInput] | None,
    expected_version: int | None,
    expect_new: bool = False,
) -> Rating:
    """Create or update ``rater``'s rating. The caller holds a transaction and has locked
    the assessment row. An update checks ``expected_version`` (``None`` skips the check);
    ``expect_new`` refuses to update a rating that exists (it was made meanwhile).

    A new rating is also its first submission, kept unchanged from then on. An update that
    changes the rating while another researcher's rating of the assessment exists is
    marked changed after seeing others (see ``Rating``); the lock on the assessment row
    makes "exists at the time of the edit" exact."""
    if assessment.is_published:
        raise ValidationError(RATING_LOCKED)
    if not roles.is_researcher(rater):
        raise ValidationError(RATER_NOT_RESEARCHER.format(username=rater.get_username()))
    rating = Rating.objects.select_for_update().filter(assessment=assessment, rater=rater).first()
    if rating is None:
        if expected_version is not None:
            raise ValidationError(RATING_GONE)
        rating = Rating(assessment=assessment, rater=rater)
    else:
        if expect_new:
            raise StaleEdit(what="rating", instance=rating, expected_version=None)
        if expected_version is not None:
            _check_version(rating, expected_version, what="rating")
        rating.version += 1
    before = (rating.stage_id, rating.confidence, rating.rationale)
    rating.stage, rating.rationale, rating.confidence = stage, rationale.strip(), confidence
    reason = ""
    if rating.pk is None:
        rating.first_stage = stage
        rating.first_confidence = confidence
        rating.first_rationale = rating.rationale
    elif _changed_after_seeing_others(rating, before, evidence):
        rating.changed_after_seeing_others_at = (
            rating.changed_after_seeing_others_at or timezone.now()
        )
        reason = Rating.CHANGED_AFTER_SEEING
    if evidence is not None:
        _validate_evidence(evidence, assessment=assessment)
    _save(rating, user=user, reason=reason)
    if evidence is not None:
        _sync_evidence(rating, evidence, user=user)
    return rating


def _changed_after_seeing_others(
    rating: Rating, before: tuple, evidence: Sequence[EvidenceInput] | None
) -> bool:
    """Whether this edit of an existing rating changes it while others' ratings exist."""
    changed = before != (rating.stage_id, rating.confidence, rating.rationale)
    if not changed and not _evidence_changes(rating, evidence):
        return False
    others = Rating.objects.filter(assessment_id=rating.assessment_id).exclude(pk=rating.pk)
    return others.exists()


@transaction.atomic
def rating_submit(
    *,
    user,
    assessment: Assessment,
    stage: Stage,
    rationale: str,
    confidence: str,
    evidence: Sequence[EvidenceInput],
    expected_version: int | None,
) -> Rating:
    """Record or change ``user``'s own rating. A new rating passes ``expected_version=None``;
    an edit passes the version it started from. Refused once the assessment is published."""
    _require(roles.is_researcher(user))
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("city")
        .get(pk=assessment.pk)
    )
    existing = Rating.objects.filter(assessment=assessment, rater=user).first()
    if existing is not None and expected_version is None:
        # Two "new rating" forms for the same assessment: the second one is stale.
        raise StaleEdit(what="rating", instance=existing, expected_version=None)
    return save_rating(
        user=user,
        rater=user,
        assessment=assessment,
        stage=stage,
        rationale=rationale,
        confidence=confidence,
        evidence=evidence,
        expected_version=expected_version,
    )


# Reconciliation and publishing --------------------------------------------------------


def _log(*, user, assessment: Assessment, action: str, before, after, reason: str, override=""):
    entry = RevisionLogEntry(
        city=assessment.city,
        assessment=assessment,
        period_label=assessment.period_label,
        action=action,
        logged_on=timezone.localdate(),
        stage_before=before,
        stage_after=after,
        reason=reason.strip(),
    )
    entry.full_clean()
    entry.save()
    record = RevisionRecord(
        entry=entry, recorded_by=user, coverage_override_reason=override.strip()
    )
    record.full_clean()
    record.save()
    return entry


def _snapshot(assessment: Assessment, coverage: selectors.Coverage | None = None) -> None:
    """Write the public publish snapshot onto ``assessment`` (saved by the caller): the
    ratings as they stand now (how many, lowest and highest stage, agreement) and the
    evidence per side as the publishing rule counts it. Never who rated what, never a
    rationale, never an interviewee: only counts and stage orders leave the workspace."""
    stages = Rating.objects.filter(assessment=assessment).values_list("stage__order", flat=True)
    spread = agreement.spread(stages)
    coverage = coverage or selectors.evidence_coverage(assessment=assessment)
    assessment.rater_count = spread.count
    assessment.rating_low_order = spread.lowest
    assessment.rating_high_order = spread.highest
    assessment.rating_agreement = rating_agreement(spread.count, spread.lowest, spread.highest)
    assessment.evidence_district_interviews = coverage.district_interviews
    assessment.evidence_charter_interviews = coverage.charter_interviews
    assessment.evidence_sources = coverage.sources


def _clear_snapshot(assessment: Assessment) -> None:
    assessment.rater_count = assessment.rating_low_order = assessment.rating_high_order = None
    assessment.rating_agreement = ""
    assessment.evidence_district_interviews = assessment.evidence_charter_interviews = None
    assessment.evidence_sources = None


def _save_consensus_note(assessment: Assessment, text: str, *, user) -> None:
    """Keep the lead's note in its own workspace row, with its history; an unchanged note
    writes nothing."""
    note = ConsensusNote.objects.filter(assessment=assessment).first() or ConsensusNote(
        assessment=assessment
    )
    if note.text == text:
        return
    note.text = text
    _save(note, user=user)


def _locked_assessment(assessment: Assessment, expected_version: int) -> Assessment:
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("city", "consensus_stage")
        .get(pk=assessment.pk)
    )
    _check_version(locked, expected_version, what="assessment")
    return locked


@transaction.atomic
def assessment_reconcile(
    *,
    user,
    assessment: Assessment,
    consensus_stage: Stage | None,
    consensus_note: str,
    expected_version: int,
    reason: str = "",
) -> Assessment:
    """Set the consensus stage and note. Changing a published stage needs a reason and adds
    an entry to the city's public revision log."""
    _require(roles.is_lead(user))
    assessment = _locked_assessment(assessment, expected_version)
    before = assessment.consensus_stage
    stage_changes = getattr(before, "pk", None) != getattr(consensus_stage, "pk", None)
    if assessment.is_published and stage_changes:
        if consensus_stage is None:
            raise ValidationError(NO_CONSENSUS)
        if not reason.strip():
            raise ValidationError(REASON_REQUIRED)
    assessment.consensus_stage = consensus_stage
    _save_consensus_note(assessment, consensus_note.strip(), user=user)
    if stage_changes:
        # The stage now rests on the researchers' ratings, not on a document's words.
        assessment.stage_provenance = StageBasis.RATED
        assessment.stage_reasoning = ""
        assessment.stage_confidence = _least_sure(assessment)
        if assessment.is_published:
            _snapshot(assessment)
    assessment.version += 1
    _save(assessment, user=user, reason=reason.strip() if stage_changes else "")
    if assessment.is_published and stage_changes:
        _log(
            user=user,
            assessment=assessment,
            action=RevisionLogEntry.Action.STAGE_CHANGED,
            before=before,
            after=consensus_stage,
            reason=reason,
        )
    return assessment


def _least_sure(assessment: Assessment) -> str:
    """A consensus is no surer than its least sure rater: the lowest confidence among the
    assessment's ratings as they stand (blank, "not recorded", when nobody has rated)."""
    given = set(Rating.objects.filter(assessment=assessment).values_list("confidence", flat=True))
    # Confidence declares its levels from least to most sure.
    return next((level.value for level in Confidence if level in given), "")


@transaction.atomic
def assessment_publish(
    *, user, assessment: Assessment, reason: str, expected_version: int, override_reason: str = ""
) -> Assessment:
    """Publish the consensus stage. Needs evidence coverage (see ``Coverage``) unless a lead
    gives ``override_reason``; adds a dated entry to the city's public revision log."""
    _require(roles.is_lead(user))
    assessment = _locked_assessment(assessment, expected_version)
    if assessment.is_published:
        raise ValidationError(ALREADY_PUBLISHED)
    if assessment.consensus_stage is None:
        raise ValidationError(NO_CONSENSUS)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    coverage = selectors.evidence_coverage(assessment=assessment)
    if not coverage.complete and not override_reason.strip():
        raise ValidationError(
            COVERAGE_MISSING.format(
                district=coverage.district_interviews,
                charter=coverage.charter_interviews,
                sources=coverage.sources,
                unverified=coverage.unverified_sources,
                insubstantial=coverage.insubstantial_quotes,
            )
        )
    assessment.status = Assessment.Status.PUBLISHED
    assessment.published_at = timezone.now()
    _snapshot(assessment, coverage)
    assessment.version += 1
    _save(assessment, user=user, reason=f"Published: {reason.strip()}")
    _log(
        user=user,
        assessment=assessment,
        action=RevisionLogEntry.Action.PUBLISHED,
        before=None,
        after=assessment.consensus_stage,
        reason=reason,
        override="" if coverage.complete else override_reason,
    )
    return assessment


@transaction.atomic
def assessment_unpublish(
    *, user, assessment: Assessment, reason: str, expected_version: int
) -> Assessment:
    """Withdraw a published assessment to draft; the public log records it with the reason."""
    _require(roles.is_lead(user))
    assessment = _locked_assessment(assessment, expected_version)
    if not assessment.is_published:
        raise ValidationError(NOT_PUBLISHED)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    assessment.status = Assessment.Status.DRAFT
    assessment.published_at = None
    _clear_snapshot(assessment)
    assessment.version += 1
    _save(assessment, user=user, reason=f"Unpublished: {reason.strip()}")
    _log(
        user=user,
        assessment=assessment,
        action=RevisionLogEntry.Action.UNPUBLISHED,
        before=assessment.consensus_stage,
        after=None,
        reason=reason,
    )
    return assessment


# Sources --------------------------------------------------------------------------------


@transaction.atomic
def source_create(
    *,
    user,
    title: str,
    kind: str,
    authors: str = "",
    url: str = "",
    text: str = "",
    origin: str = "",
    file_name: str = "",
    file_data: bytes | None = None,
) -> Source:
    """A source a researcher adds, with its text when they have it (uploaded or pasted), so
    quotes from it are checked; without text its quotes stay unverified until a lead checks.

    An uploaded PDF (``file_data``) is stored and its text read by a worker off the request
    path: the source says "reading the text…" until then, and its quotes are unverified
    like those of a source without text. The source is returned as it stands after the
    job was queued (already read when jobs run at once, as in the tests)."""
    _require(roles.is_researcher(user))
    if file_data is not None and len(file_data) > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE)
    base = slugify(title)[:70] or "source"
    key, n = base, 1
    while Source.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    source = Source(
        key=key,
        title=title.strip(),
        kind=kind,
        authors=authors.strip(),
        url=url,
        date_precision=DatePrecision.UNKNOWN,
        text="" if file_data is not None else text,
        text_origin=origin if text and file_data is None else "",
        text_status=TextStatus.READING if file_data is not None else "",
    )
    source.full_clean()
    source.save()
    if file_data is not None:
        upload = SourceFile(source=source, name=short_filename(file_name or "upload"))
        upload.data = file_data
        upload.full_clean(exclude=["data"])  # the bytes are checked above, not sent back
        upload.save()
        read_source_text.enqueue(source_id=source.pk)
        source.refresh_from_db()
    return source
