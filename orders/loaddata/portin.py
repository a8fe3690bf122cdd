"""Port-in orders (we are the new carrier): the order row, its numbers and everything that
happened to it on the way to its status."""

from __future__ import annotations

import datetime

from django.conf import settings

from orders.loaddata.names import CHECK_OUTCOMES, PORT_IN_EMAILS
from orders.loaddata.plan import (
    F4_JOB_LABEL,
    NPAC_PORT_IN,
    OPEN_AGE_PORT_IN,
    OPEN_PORT_IN,
    PON_PREFIX,
    PROJECT_MIN,
    _add_business_days,
    _letters,
    _pick_index,
    _port_in_path,
    _previous_business_day,
    _slug,
)
from orders.loaddata.tables import ORDER_JSON_FIELDS
from orders.models import Comment, Direction, PortOrder, StatusCheck


class PortInMixin:
    """Part of `Generator`."""

    def port_in(self, t, i, status):
        rng = self.rng
        order_id = self.new_id(PortOrder)
        toll_free = rng.random() < 0.03
        if toll_free:
            carrier_id = rng.choice(self.resporgs)
        else:
            carrier_id = self.losing_carriers[_pick_index(rng, self.losing_weights)]
        carrier, spids = self.carriers[carrier_id]
        losing_spid = rng.choice(spids)
        n_tns = self.tn_count_for(i)
        tns = self.take_tns(n_tns, toll_free=toll_free)
        path = _port_in_path(rng, status)
        open_ = status in OPEN_PORT_IN
        auto_cancelled = status == "cancelled" and path[-2] == "rejected"
        # F4: an auto-cancel comes 45 days after the customer was notified.
        ages = self._times(
            len(path),
            open_,
            OPEN_AGE_PORT_IN.get(status),
            last_gap=settings.PORTING["REJECTED_AUTO_CANCEL_DAYS"] if auto_cancelled else None,
        )
        created = self.ts(ages[0])
        last = self.ts(ages[-1])
        customer = self._customer()
        actor = rng.choice(self.staff_ids)
        assignee = actor if rng.random() < 0.85 else None

        # Clocks and dates.
        submitted_at = None
        if "submitted" in path:
            submitted_at = self.ts(ages[path.index("submitted")])
        rdd_base = self.local_date(submitted_at or created)
        requested_due = rdd_base + datetime.timedelta(days=rng.randint(5, 21))
        foc_date = None
        if "accepted" in path:
            acc_age = ages[len(path) - 1 - path[::-1].index("accepted")]
            foc_date = max(requested_due, self.local_date(self.ts(acc_age)))
            if status == "accepted" and foc_date < self.today:
                foc_date = self.today + datetime.timedelta(days=rng.randint(0, 8))
        completed_at = last if status == "completed" else None
        customer_notified_at = None
        auto_cancel_on = None
        next_check = None
        last_check_at = None
        csr_status = "not_required"
        if not toll_free and carrier.supports_csr:
            csr_status = rng.choices(("matched", "overridden", "mismatched"), weights=(80, 12, 8))[
                0
            ]
            if status == "draft":
                csr_status = rng.choices(("pending", "mismatched", "matched"), (50, 30, 20))[0]
        if status == "rejected":
            customer_notified_at = last
            auto_cancel_on = self.local_date(last) + datetime.timedelta(
                days=settings.PORTING["REJECTED_AUTO_CANCEL_DAYS"]
            )
        labels = {len(path) - 1: F4_JOB_LABEL} if auto_cancelled else None
        # Status checks while submitted (F5): one per ~3 business days waited.
        checks = []
        for k, st in enumerate(path):
            if st != "submitted":
                continue
            start_age = ages[k]
            end_age = ages[k + 1] if k + 1 < len(path) else 0.05
            waited = start_age - end_age
            for c in range(min(3, int(waited / 4.2))):
                checks.append(start_age - (c + 1) * 4.2)
        if status == "submitted":
            last_check_at = self.ts(checks[-1]) if checks else None
            base = self.local_date(last_check_at or submitted_at)
            if n_tns >= settings.PORTING["PROJECT_PORT_TNS"]:
                next_check = base + datetime.timedelta(
                    days=settings.PORTING["PROJECT_STATUS_CHECK_DAYS"]
                )
            else:
                next_check = _add_business_days(
                    base, settings.PORTING["STATUS_CHECK_BUSINESS_DAYS"]
                )
                before_due = _previous_business_day(requested_due)
                next_check = min(next_check, before_due)
            # The daily job runs: a check that fell due is due today at the earliest.
            if next_check < self.today and rng.random() < 0.8:
                next_check = self.today + datetime.timedelta(days=rng.randint(0, 3))

        route = carrier.port_in_route
        route_via = carrier.porting_peer_id if route == "local_peer" else None
        if toll_free:
            route = "somos"
        pon = f"{PON_PREFIX}{i:08d}{_letters(rng, 3)}"
        if len(self.stats.pons_sample) < 50:
            self.stats.pons_sample.append(pon)
        name, person, address, city, state, zip_code = customer
        t["orders"].rows.append(
            (
                order_id, "in", status, pon, 1, None, "C", "V", "",
                requested_due, foc_date, "", completed_at,
                False, "", n_tns == 1 and rng.random() < 0.4, None, None, "",
                n_tns, n_tns >= PROJECT_MIN,
                carrier_id, losing_spid, self.our_carrier.pk, self.our_spids[0],
                route, route_via, csr_status,
                name, *self._cpni(f"{rng.randint(10**7, 10**10 - 1)}"), tns[0], person, address,
                city, state, zip_code, "", None, True,
                f"it@{_slug(name)}.example", "",
                assignee, actor,
                None, None, submitted_at, last_check_at, next_check,
                customer_notified_at, auto_cancel_on, None, 0, "",
                last, created, last,
                *({} for _ in ORDER_JSON_FIELDS),
            )
        )  # fmt: skip
        # Numbers: before completion they are the losing carrier's; after, ours on an account.
        if status == "completed":
            account_id = self._account(t, customer, tns[0])
            self._inventory(t, tns, rng.choice(self.our_spids), account_id, toll_free=toll_free)
            npac, activated = "active", completed_at
        else:
            self._inventory(t, tns, losing_spid, None, toll_free=toll_free)
            npac, activated = NPAC_PORT_IN.get(status, ""), None
            if status == "cancelled" and "accepted" in path:
                npac = "cancelled"
        self._order_numbers(t, order_id, tns, "port", npac, activated)
        self._history(t, order_id, path, ages, actor=actor, labels=labels)
        self._comments(t, order_id, ages[0], ages[-1])
        # Emails the port-in desk sends are recorded as system comments.
        for k, st in enumerate(path):
            body = PORT_IN_EMAILS.get(st)
            if body and k:
                self._system_comment(t, order_id, body, max(ages[k] - 0.001, 0.0))
        for age in checks:
            comment_id = self.new_id(Comment)
            outcome = rng.choice(CHECK_OUTCOMES)
            checker = rng.choice(self.staff_ids)
            t["comments"].rows.append(
                (
                    comment_id, order_id, checker, "staff", "internal",
                    f"Status check: {outcome}", self.ts(age),
                )
            )  # fmt: skip
            t["status_checks"].rows.append(
                (self.new_id(StatusCheck), order_id, checker, self.ts(age), outcome, comment_id)
            )
        # Rejections: each trip through exception is one losing-carrier reject.
        for k, st in enumerate(path):
            if st != "exception":
                continue
            raised = ages[k]
            returned = ages[k + 1] if k + 1 < len(path) and path[k + 1] == "rejected" else None
            resolved = None
            for j in range(k + 1, len(path)):
                if path[j] in ("submitted", "cancelled", "completed"):
                    resolved = ages[j]
                    break
            self._rejection(
                t,
                order_id,
                "losing_carrier",
                raised,
                returned,
                resolved,
                self.in_reasons,
                direction=Direction.PORT_IN,
                assignee=assignee if resolved is None else None,
            )
        # A SUP 2 asked the losing carrier for a new FOC (accepted -> submitted).
        for k in range(1, len(path)):
            if path[k - 1] == "accepted" and path[k] == "submitted":
                self._supplement(t, order_id, 2, ages[k], requested_due, foc_date, actor)
