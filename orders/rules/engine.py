"""The entry points: run every rule over an LSR or a CSR request and return every finding."""

from __future__ import annotations

from dataclasses import dataclass

from .authorization import r4_authorization_indicated, r5_third_party_loa
from .base import (
    KIND_SIMPLE,
    CsrRequestData,
    Dispositions,
    Facts,
    Finding,
    FocDecision,
    LsrData,
    SimplePortClassification,
)
from .dates import compute_foc, r7_cutoff, r8_interval, r9_due_date_too_far
from .inventory import r2_current_carrier, r3_resale, r15_working
from .lsr_fields import dispositions, r13_partial_port, r14_reuse_of_facilities, r16_required_fields
from .protection import r19_port_out_lock
from .simple_port import classify_simple_port
from .validation_fields import r18_validation_fields


@dataclass(frozen=True, slots=True)
class LsrEvaluation:
    findings: tuple[Finding, ...]
    foc: FocDecision | None
    simple: SimplePortClassification
    kind: str
    dispositions: Dispositions

    @property
    def rejects(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_reject)

    @property
    def reject_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.code for f in self.findings if f.is_reject))


def interval_kind(lsr: LsrData, simple: SimplePortClassification) -> str:
    """R8/R17: simple port if R17 says so, else port only for REQTYPE C/CB, else other."""
    return KIND_SIMPLE if simple.is_simple else lsr.reqtype_kind


KIND_LABELS = {"simple": "simple-port", "port_only": "port-only", "other": "other-REQTYPE"}


def r17_finding(simple: SimplePortClassification, kind: str) -> Finding:
    label = KIND_LABELS.get(kind, kind)
    if simple.is_simple:
        how = " (staff override)" if simple.overridden else ""
        message = (
            f"Simple port{how}: no unbundled elements, a single-line account, no complex "
            "translations, no reseller; the simple-port interval applies."
        )
    elif simple.overridden:
        message = f"Not a simple port (staff override): the {label} interval applies."
    else:
        message = f"Not a simple port: {'; '.join(simple.reasons)}. The {label} interval applies."
    return Finding("R17", "simple port", message)


def assess_lsr(lsr: LsrData, facts: Facts) -> LsrEvaluation:
    """Every rule over one LSR: the findings, the FOC proposal and the TN dispositions."""
    split = dispositions(lsr, facts)
    simple = classify_simple_port(split.port, facts)
    kind = interval_kind(lsr, simple)
    findings: list[Finding] = []
    findings += r16_required_fields(lsr)
    findings += r4_authorization_indicated(lsr.authorization_indicator, facts, is_lsr=True)
    findings += r2_current_carrier(split.port, facts)
    findings += r3_resale(split.port, facts)
    findings += r15_working(split.port, facts)
    findings += r13_partial_port(lsr, facts, split)
    findings += r14_reuse_of_facilities(lsr)
    findings += r19_port_out_lock((*split.port, *split.disconnect), facts)
    findings += r18_validation_fields(lsr, facts, port_tns=split.port, simple=simple.is_simple)
    foc = None
    if lsr.received_at is not None and facts.calendar is not None and kind in facts.intervals:
        foc = compute_foc(
            received_at=lsr.received_at,
            calendar=facts.calendar,
            tz=facts.tz,
            cutoff=facts.cutoff,
            interval_days=facts.intervals[kind],
            kind=kind,
            requested_date=lsr.requested_due_date,
            expedite=lsr.expedite,
            reqtype=lsr.reqtype,
            tn_count=len(split.port),
        )
        findings += r7_cutoff(lsr.received_at, foc, tz=facts.tz, cutoff=facts.cutoff)
        findings += r8_interval(lsr.requested_due_date, lsr.expedite, foc)
        findings += r9_due_date_too_far(
            lsr.requested_due_date, foc.effective_receipt, max_days=facts.max_due_date_days
        )
    findings.append(r17_finding(simple, kind))
    findings.sort(key=Finding.sort_key)
    return LsrEvaluation(
        findings=tuple(findings), foc=foc, simple=simple, kind=kind, dispositions=split
    )


def evaluate_lsr(lsr: LsrData, facts: Facts) -> list[Finding]:
    """Every finding on an LSR (rejects and notes), not only the first."""
    return list(assess_lsr(lsr, facts).findings)


def evaluate_csr_request(request: CsrRequestData, facts: Facts) -> list[Finding]:
    """R2-R5 over a CSR request."""
    findings: list[Finding] = []
    findings += r4_authorization_indicated(request.authorization_indicator, facts, is_lsr=False)
    findings += r5_third_party_loa(request.has_loa, facts)
    findings += r2_current_carrier(request.tns, facts)
    findings += r3_resale(request.tns, facts)
    findings.sort(key=Finding.sort_key)
    return findings
