"""R18 on the port-out order page: which validation-field findings stand, which a manager
overrode (who, when, why), and the manager's override action.

Send FOC is offered only when nothing stands: no coded reject and no R18 finding that is
neither fixed by a SUP 3 nor overridden (the service refuses the same, `lsr_decide`).
"""

from django.views.decorators.http import require_POST

from orders.forms.portout import FindingOverrideForm
from orders.models import Status
from orders.rules import foc_blockers
from orders.rules.validation_fields import R18
from orders.services import portout as services
from orders.views.portout_shared import order_or_404, order_url, post_action


def r18_context(user, order, findings) -> dict:
    """What the port-out section shows about R18 and what stops the FOC."""
    overrides = services.active_overrides(order)
    blockers = foc_blockers(findings, overrides)
    return {
        "r18_findings": [(f, overrides.get(f.field_or_tn)) for f in findings if f.rule == R18],
        "blockers": blockers,
        "blockers_label": services.blockers_label(blockers),
        # The codes a reject carries now: an overridden R18 field is not one of them.
        "open_reject_codes": list(dict.fromkeys(f.code for f in blockers if f.code)),
        "can_override": user.has_perm("orders.override_finding")
        and order.status == Status.RECEIVED,
        "override_form": FindingOverrideForm(initial={"expected_status": order.status}),
    }


def _override(request, order, form):
    data = form.cleaned_data
    services.finding_override(
        order=order,
        field=data["field"],
        reason=data["reason"],
        by=request.user,
        expected_status=data["expected_status"] or None,
    )
    return f"R18 {data['field']} finding overridden; the reason is in the history."


@require_POST
def override(request, pk):
    return post_action(
        request,
        "orders.override_finding",
        load=lambda: order_or_404(pk),
        back=order_url,
        run=_override,
        form=FindingOverrideForm,
    )
