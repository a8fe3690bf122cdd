"""The port-out part of the order page: the LSR's rules and findings (R18 included), the FOC,
the R13 groups, supplements, NPAC, disputes; and which of the port-out actions the desk may
take here, from the actions the registry offers (`orders.views.registry`).

Send FOC is offered only when nothing stands: no coded reject, no open dispute and no R18
finding that is neither fixed by a SUP 3 nor overridden (the service refuses the same,
`lsr_decide`).
"""

from django.db.models import Count, prefetch_related_objects

from orders.forms.portout_actions import (
    DecideForm,
    ExpediteForm,
    FindingOverrideForm,
    NpacEventForm,
    SupFlagForm,
)
from orders.forms.portout_csr import DisputeActionForm, DisputeForm
from orders.models import Document, OrderNumber, Status
from orders.rules import foc_blockers
from orders.rules.base import RULE_ORDER
from orders.rules.validation_fields import R18
from orders.services import portout as services
from orders.services.carrier_documents import missing_contact
from orders.views.order_timeline import order_page_prefetches


def _r18_context(order, findings) -> dict:
    """What the section shows about R18 and what stops the FOC."""
    overrides = services.active_overrides(order)
    blockers = foc_blockers(findings, overrides)
    return {
        "r18_findings": [(f, overrides.get(f.field_or_tn)) for f in findings if f.rule == R18],
        "blockers": blockers,
        "r18_blockers": [f for f in blockers if f.rule == R18],
        "blockers_label": services.blockers_label(blockers),
        # The codes a reject carries now: an overridden R18 field is not one of them.
        "open_reject_codes": list(dict.fromkeys(f.code for f in blockers if f.code)),
    }


def _disposition_counts(order) -> dict:
    return dict(
        order.numbers.order_by()
        .values_list("disposition")
        .annotate(n=Count("pk"))
        .values_list("disposition", "n")
    )


def portout_context(order, *, offered, disposition_counts=None) -> dict:
    """Context for `orders/_detail_portout.html`; the template reads it as `portout.*`.

    `offered`: the actions (by slug) this user may take on this order now. The TNs themselves
    are listed once, in the page's numbers card; this section shows the R13 groups' sizes,
    `disposition_counts` ({disposition: TNs}) when the page has counted them already, else
    one grouped count. Supplements and rejections come from the order's prefetch cache,
    shared with the timeline.
    """
    prefetch_related_objects([order], *order_page_prefetches())
    if disposition_counts is None:
        disposition_counts = _disposition_counts(order)
    evaluation = order.rule_evaluation or {}
    findings = services.stored_findings(order)
    by_rule: dict[str, list] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    foc = services.stored_foc(order)
    disputes = list(order.disputes.select_related("opened_by"))
    return {
        **_r18_context(order, findings),
        "findings": findings,
        "findings_by_rule": sorted(by_rule.items(), key=lambda kv: RULE_ORDER.get(kv[0], 99)),
        "reject_codes": evaluation.get("reject_codes", []),
        "evaluated_at": evaluation.get("evaluated_at"),
        "kind": evaluation.get("kind", ""),
        "foc": foc,
        "foc_line": order.foc_explanation or (foc.explanation if foc else ""),
        "port_count": disposition_counts.get(OrderNumber.Disposition.PORT, 0),
        "disconnect_count": disposition_counts.get(OrderNumber.Disposition.DISCONNECT, 0),
        "remain_count": disposition_counts.get(OrderNumber.Disposition.REMAIN, 0),
        "supplements": order.supplements.all(),
        "npac_events": order.npac_events.select_related("recorded_by")[:200],
        "npac_cancels": order.npac_cancels.all(),
        "disputes": disputes,
        "open_disputes": [d for d in disputes if d.is_open],
        "rejections": order.rejections.all(),
        "can_work": "rerun" in offered,
        # The decide form sends a reject in every open status; the FOC only from received.
        "can_decide": "decide" in offered and order.status == Status.RECEIVED,
        "can_reject": "decide" in offered,
        "can_sup": "sup-receive" in offered,
        "can_npac": "npac-event" in offered,
        "can_expedite": "expedite" in offered,
        "can_sup_flag": "sup-flag" in offered,
        "can_override": "override" in offered,
        # Issue 17: said before anything is sent; the forms then ask for an address.
        "missing_contact": (
            missing_contact(order, Document.Kind.FOC_NOTICE)
            if {"decide", "expedite"} & set(offered)
            else ""
        ),
        "decide_form": DecideForm(order=order),
        "expedite_form": ExpediteForm(order=order),
        "sup_flag_form": SupFlagForm(order=order),
        "override_form": FindingOverrideForm(order=order),
        "npac_form": NpacEventForm(order=order),
        "dispute_form": DisputeForm(),
        "dispute_action_form": DisputeActionForm(),
    }
