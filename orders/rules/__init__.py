"""Port-out rules (seed 000, R2-R17; R18): pure functions over an LSR or CSR request and the facts
fetched for it, each returning findings tagged with its rule id. Nothing here reads the
database, a request or a form, or writes anything."""

from .authorization import r4_authorization_indicated, r5_third_party_loa
from .base import (
    CsrRequestData,
    Dispositions,
    Facts,
    Finding,
    FocDecision,
    LsrData,
    SimplePortClassification,
)
from .dates import (
    compute_foc,
    compute_sup_foc,
    expedite_outcome,
    r7_cutoff,
    r8_interval,
    r9_due_date_too_far,
)
from .engine import (
    LsrEvaluation,
    assess_lsr,
    evaluate_csr_request,
    evaluate_lsr,
    interval_kind,
)
from .inventory import r2_current_carrier, r3_resale, r15_working
from .lsr_fields import dispositions, r13_partial_port, r14_reuse_of_facilities, r16_required_fields
from .simple_port import classify_simple_port
from .validation_fields import AccountRecord, foc_blockers, r18_validation_fields

__all__ = [
    "AccountRecord",
    "CsrRequestData",
    "Dispositions",
    "Facts",
    "Finding",
    "FocDecision",
    "LsrData",
    "LsrEvaluation",
    "SimplePortClassification",
    "assess_lsr",
    "classify_simple_port",
    "compute_foc",
    "compute_sup_foc",
    "dispositions",
    "evaluate_csr_request",
    "evaluate_lsr",
    "expedite_outcome",
    "foc_blockers",
    "interval_kind",
    "r2_current_carrier",
    "r3_resale",
    "r4_authorization_indicated",
    "r5_third_party_loa",
    "r7_cutoff",
    "r8_interval",
    "r9_due_date_too_far",
    "r13_partial_port",
    "r14_reuse_of_facilities",
    "r15_working",
    "r16_required_fields",
    "r18_validation_fields",
]
