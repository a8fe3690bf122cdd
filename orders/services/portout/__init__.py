"""The port-out desk (seed 000): CSR requests, LSR intake and decision, expedites, supplements,
authorization disputes, NPAC subscription events and NPAC cancel records.

Every function is keyword-only, takes an explicit `now`, runs in one transaction and raises
`DomainError` (nothing saved) for what the desk may not do. Status changes go through
`orders.lifecycle.transition`. The rules themselves are pure (`orders.rules`); this package
fetches their facts in a bounded number of queries (one inventory query for all TNs, one for
the accounts' other TNs, the calendar and the intervals once per LSR) and stores the results.

Never stored, logged or returned: the PIN offered on an LSR (only whether it matched).

One module per aggregate: `facts` (what the rules read, and their stored evaluation), `lsr`
(intake and re-running the rules), `decisions` (FOC or reject, expedites), `sups`, `npac`,
`csr_requests`, `disputes`, `overrides` (R18 findings that stop the FOC, a manager's
override) and `port_windows` (R11's cancels, run by the daily job). Callers import the
package, not the modules: `from orders.services import portout; portout.lsr_receive(...)`.
"""

from ._common import OPEN_PORT_OUT
from .csr_requests import (
    CSR_ANSWER_FIELDS,
    csr_answer_shown,
    csr_request_answer,
    csr_request_findings,
    csr_request_receive,
    csr_request_reject,
    csr_snapshot,
)
from .decisions import expedite_decide, lsr_decide, may_decide_expedite
from .disputes import (
    dispute_open,
    dispute_record_evidence,
    dispute_request_evidence,
    dispute_resolve,
)
from .facts import csr_request_facts, lsr_facts, stored_findings, stored_foc
from .lsr import lsr_of, lsr_receive, lsr_rerun
from .npac import (
    NPAC_EFFECT,
    npac_cancel_mark_confirmed,
    npac_cancel_mark_sent,
    npac_event_record,
)
from .overrides import active_overrides, blockers_label, finding_override, open_blockers
from .port_windows import PORT_WINDOW_ACTOR, PORT_WINDOW_FIELDS, port_windows_close
from .sups import SUP3_FIELDS, sup_flag_decide, sup_receive

__all__ = [
    "CSR_ANSWER_FIELDS",
    "NPAC_EFFECT",
    "OPEN_PORT_OUT",
    "PORT_WINDOW_ACTOR",
    "PORT_WINDOW_FIELDS",
    "SUP3_FIELDS",
    "active_overrides",
    "blockers_label",
    "csr_answer_shown",
    "csr_request_answer",
    "csr_request_facts",
    "csr_request_findings",
    "csr_request_receive",
    "csr_request_reject",
    "csr_snapshot",
    "dispute_open",
    "dispute_record_evidence",
    "dispute_request_evidence",
    "dispute_resolve",
    "expedite_decide",
    "finding_override",
    "lsr_decide",
    "lsr_facts",
    "lsr_of",
    "lsr_receive",
    "lsr_rerun",
    "may_decide_expedite",
    "npac_cancel_mark_confirmed",
    "npac_cancel_mark_sent",
    "npac_event_record",
    "open_blockers",
    "port_windows_close",
    "stored_findings",
    "stored_foc",
    "sup_flag_decide",
    "sup_receive",
]
