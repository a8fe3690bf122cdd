"""The port-in desk's actions (seed 004, F1-F6): one function per action.

Each runs in one transaction, moves the status only through `orders.lifecycle.transition`,
raises `DomainError` for what the desk may not do (nothing is saved then) and owes the
customer's email through the outbox (`orders.services.outbox.queue`), sent after the commit.

Callers use this package (`from orders.services import portin; portin.order_submit(...)`);
the modules behind it follow the order's path: create (F6), csr (F1), details, lsr,
responses (F2, F3), sups, completion, cancel. A test that patches an action or a constant
patches it in the module that reads it (e.g. `portin.create.MAX_TNS_PER_REQUEST`).
"""

from orders.services.portin._common import EDITABLE_FIELDS, EDITABLE_STATUSES
from orders.services.portin.cancel import (
    AUTO_CANCEL_ACTOR,
    AUTO_CANCEL_FIELDS,
    order_cancel,
    rejected_orders_cancel_idle,
)
from orders.services.portin.completion import (
    completes_early,
    may_complete_early,
    numbers_activate,
    order_complete,
)
from orders.services.portin.create import (
    MAX_TNS_PER_REQUEST,
    PortInCreateResult,
    RefusedTN,
    TnPortability,
    portin_orders_create,
    portin_portability,
)
from orders.services.portin.csr import csr_comparison, portin_csr_override, portin_csr_record
from orders.services.portin.details import pin_reveal, portin_order_update, simple_port_override
from orders.services.portin.lsr import exception_resend, order_submit, review_resend
from orders.services.portin.responses import (
    customer_resubmission_record,
    foc_record,
    lsp_reject_record,
    order_return_to_customer,
)
from orders.services.portin.sups import portin_sup_record

__all__ = [
    "AUTO_CANCEL_ACTOR",
    "AUTO_CANCEL_FIELDS",
    "EDITABLE_FIELDS",
    "EDITABLE_STATUSES",
    "MAX_TNS_PER_REQUEST",
    "PortInCreateResult",
    "RefusedTN",
    "TnPortability",
    "completes_early",
    "csr_comparison",
    "customer_resubmission_record",
    "exception_resend",
    "foc_record",
    "lsp_reject_record",
    "may_complete_early",
    "numbers_activate",
    "order_cancel",
    "order_complete",
    "order_return_to_customer",
    "order_submit",
    "pin_reveal",
    "portin_csr_override",
    "portin_csr_record",
    "portin_order_update",
    "portin_orders_create",
    "portin_portability",
    "portin_sup_record",
    "rejected_orders_cancel_idle",
    "review_resend",
    "simple_port_override",
]
