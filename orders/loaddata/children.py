"""The rows that hang off an order: status history, comments, rejections with their coded
reasons, supplements; and CSR requests (R1), answered or still open."""

from __future__ import annotations

import datetime

from orders.loaddata.names import HISTORY_REASONS, STAFF_COMMENTS
from orders.loaddata.plan import HISTORY_DAYS
from orders.models import Comment, CsrRequest, OrderNumber, Rejection, StatusChange, Supplement


class OrderChildrenMixin:
    """Part of `Generator`: the rows written after their orders."""

    def _times(self, n_events: int, open_: bool, last_age, *, last_gap: float | None = None):
        """Ages (days before now) of n events, oldest first, consistent with the status."""
        rng = self.rng
        gaps = [rng.uniform(0.05, 3.0) for _ in range(n_events - 1)]
        if last_gap is not None and gaps:
            gaps[-1] = last_gap
        total = sum(gaps)
        if open_:
            end_age = rng.uniform(*last_age)
            created_age = end_age + total
        else:
            created_age = rng.uniform(max(3.0, total + 1.0), HISTORY_DAYS)
        ages = [created_age]
        for g in gaps:
            ages.append(ages[-1] - g)
        return ages

    def _order_numbers(self, t, order_id, tns, disposition, npac="", activated=None):
        rows = t["order_numbers"].rows
        new_id = self.new_id
        for tn in tns:
            rows.append((new_id(OrderNumber), order_id, tn, disposition, npac, activated))

    def _history(self, t, order_id, path, ages, *, actor, labels=None):
        rows = t["history"].rows
        new_id = self.new_id
        prev = ""
        for k, (status, age) in enumerate(zip(path, ages, strict=True)):
            label = (labels or {}).get(k, "")
            rows.append(
                (
                    new_id(StatusChange),
                    order_id,
                    prev,
                    status,
                    None if label else actor,
                    label,
                    HISTORY_REASONS.get((prev, status), ""),
                    self.ts(age),
                )
            )
            prev = status

    def _comments(self, t, order_id, first_age, last_age, *, k_max=3):
        rng = self.rng
        rows = t["comments"].rows
        k = rng.choice((0, 0, 1, 1, 1, 2, 2, 3)) if k_max else 0
        for _ in range(min(k, k_max)):
            age = rng.uniform(last_age, first_age)
            rows.append(
                (
                    self.new_id(Comment),
                    order_id,
                    rng.choice(self.staff_ids),
                    "staff",
                    "customer" if rng.random() < 0.15 else "internal",
                    rng.choice(STAFF_COMMENTS),
                    self.ts(age),
                )
            )

    def _system_comment(self, t, order_id, body, age):
        t["comments"].rows.append(
            (self.new_id(Comment), order_id, None, "system", "internal", body, self.ts(age))
        )

    def _rejection(
        self,
        t,
        order_id,
        source,
        raised,
        returned,
        resolved,
        reasons,
        *,
        direction,
        assignee,
        k_max=2,
    ):
        rng = self.rng
        rejection_id = self.new_id(Rejection)
        t["rejections"].rows.append(
            (
                rejection_id,
                order_id,
                direction,
                "",
                source,
                rng.choice(self.staff_ids),
                assignee,
                self.ts(raised),
                self.ts(returned) if returned is not None else None,
                self.ts(resolved) if resolved is not None else None,
            )
        )
        through = t["rejection_reasons"].rows
        for reason_id in rng.sample(reasons, k=min(len(reasons), rng.randint(1, k_max))):
            through.append((self.new_id(Rejection.reasons.through), rejection_id, reason_id))

    def _supplement(self, t, order_id, sup_type, age, new_date, previous_foc, actor):
        received = self.ts(age)
        t["supplements"].rows.append(
            (
                self.new_id(Supplement),
                order_id,
                sup_type,
                received,
                self.local_date(received),
                new_date if sup_type == 2 else None,
                previous_foc,
                new_date if sup_type == 2 else None,
                {1: "Customer cancelled", 2: "New due date", 3: "Changed remarks"}[sup_type],
                "",
                actor,
            )
        )

    def _csr_request(self, t, requester_id, tns, age, *, open_):
        rng = self.rng
        request_id = self.new_id(CsrRequest)
        received = self.ts(age)
        due = received + datetime.timedelta(hours=24)
        staff = rng.choice(self.staff_ids)
        if open_:
            status, answered_at, answered_by, answer = "open", None, None, {}
            overdue = due < self.now - datetime.timedelta(hours=1)
        else:
            rejected = rng.random() < 0.08
            status = "rejected" if rejected else "answered"
            answered_at = received + datetime.timedelta(hours=rng.uniform(1, 26))
            answered_by = staff
            overdue = answered_at > due
            answer = (
                {"reject": True, "findings": ["R4"]}
                if rejected
                else {"account_name": "(on file)", "tns": len(tns)}
            )
        t["csr_requests"].rows.append(
            (
                request_id,
                requester_id,
                list(tns[:50]),
                True,
                received,
                due,
                status,
                overdue,
                answered_at,
                answered_by,
                answer,
                staff if open_ and rng.random() < 0.5 else None,
                staff,
                received,
            )
        )
        if status == "rejected":
            t["csr_reject_reasons"].rows.append(
                (
                    self.new_id(CsrRequest.reject_reasons.through),
                    request_id,
                    rng.choice(self.csr_reject_reasons),
                )
            )

    def open_csr_requests(self, t, n_orders_in_chunk):
        """Open CSR requests received over the last ~30 hours (R1 clock): 0.1% of orders."""
        rng = self.rng
        k = max(2, n_orders_in_chunk // 1000)
        pool = self.requesters + self.agents
        for _ in range(k):
            tns = self.take_tns(rng.randint(1, 4))
            account_id = self._account(t, self._customer(), tns[0])
            self._inventory(t, tns, rng.choice(self.our_spids), account_id)
            self._csr_request(t, rng.choice(pool), tns, rng.uniform(0.02, 1.3), open_=True)
