"""Port-out orders (another carrier takes numbers from us): versions 1 and 2 of a PON, the
LSR as received with the rules' evaluation, SUPs, R11 NPAC cancels and disputes."""

from __future__ import annotations

import datetime

from orders.loaddata.plan import (
    ACCOUNT_PREFIX,
    HISTORY_DAYS,
    OPEN_AGE_PORT_OUT,
    OPEN_PORT_OUT,
    PON_PREFIX,
    PROJECT_MIN,
    R11_JOB_LABEL,
    _add_business_days,
    _letters,
    _pick_index,
    _port_out_path,
)
from orders.loaddata.tables import ORDER_JSON_FIELDS
from orders.models import AuthorizationDispute, Direction, NpacCancelRecord, PortOrder


class PortOutMixin:
    """Part of `Generator`."""

    def port_out(self, t, i, status, *, v2_status=None):
        rng = self.rng
        requester_id = self.requesters[_pick_index(rng, self.requester_weights)]
        _requester, req_spids = self.carriers[requester_id]
        n_tns = self.tn_count_for(i)
        tns = self.take_tns(n_tns)
        customer = self._customer()
        partial = n_tns < PROJECT_MIN and rng.random() < 0.1
        remain = self.take_tns(rng.randint(1, 2)) if partial else []
        disconnect = self.take_tns(1) if partial and rng.random() < 0.3 else []
        account_id = self._account(t, customer, (remain or tns)[0])
        final = v2_status or status
        our_spid = rng.choice(self.our_spids)
        if final == "completed":
            # Ported away: NPAC now shows the requester's SPID and the account no longer has it.
            self._inventory(t, tns, rng.choice(req_spids), None)
        else:
            bad = "disconnected" if status == "rejected" and rng.random() < 0.1 else "working"
            self._inventory(t, tns, our_spid, account_id, status=bad)
        if remain:
            self._inventory(t, remain, our_spid, account_id)
        if disconnect:
            self._inventory(t, disconnect, our_spid, account_id, status="disconnected")
        pon = f"{PON_PREFIX}{i:08d}{_letters(rng, 3)}"
        if len(self.stats.pons_sample) < 50:
            self.stats.pons_sample.append(pon)
        path, how = _port_out_path(rng, status)
        ages = self._times(len(path), status in OPEN_PORT_OUT, OPEN_AGE_PORT_OUT.get(status))
        if v2_status:
            # Version 2 of the same PON arrives after version 1 was rejected.
            path2, how2 = _port_out_path(rng, v2_status)
            ages2 = self._times(
                len(path2), v2_status in OPEN_PORT_OUT, OPEN_AGE_PORT_OUT.get(v2_status)
            )
            rejected_age = min(ages2[0] + rng.uniform(0.1, 3.0), HISTORY_DAYS - 1)
            ages = [rejected_age + rng.uniform(0.05, 2.0), rejected_age]
        common = (requester_id, req_spids, tns, remain, disconnect, customer, n_tns, our_spid)
        first_id = self._port_out_order(t, status, pon, 1, None, path, how, ages, *common)
        if v2_status:
            self._port_out_order(t, v2_status, pon, 2, first_id, path2, how2, ages2, *common)
        # A CSR request often came first (R1): answered, sometimes rejected.
        if rng.random() < 0.25:
            self._csr_request(t, requester_id, tns, ages[0] + rng.uniform(0.5, 5), open_=False)

    def _port_out_order(
        self, t, status, pon, version, supersedes, path, how, ages, requester_id, req_spids,
        tns, remain, disconnect, customer, n_tns, our_spid,
    ):  # fmt: skip
        rng = self.rng
        order_id = self.new_id(PortOrder)
        open_ = status in OPEN_PORT_OUT
        created = self.ts(ages[0])
        last = self.ts(ages[-1])
        received_at = created
        effective_on = self.local_date(received_at)
        if received_at.astimezone(self.tz).hour >= 15 or effective_on.weekday() >= 5:
            effective_on = _add_business_days(effective_on, 1)
        requested_due = effective_on + datetime.timedelta(days=rng.randint(3, 25))
        reqtype = rng.choices(("C", "CB", "BB", "CB"), weights=(55, 25, 15, 5))[0]
        act = rng.choice(("V", "Z")) if reqtype == "BB" else "V"
        simple = n_tns == 1 and rng.random() < 0.5
        interval = 1 if simple else (10 if n_tns >= PROJECT_MIN else 4)
        earliest = _add_business_days(effective_on, interval)
        foc_date = None
        port_window_ends_on = None
        expedite = "expedite_review" in path or (status == "received" and rng.random() < 0.03)
        expedite_decision = ""
        if "expedite_review" in path:
            expedite_decision = "pending" if status == "expedite_review" else "accepted"
        if "foc_sent" in path:
            foc_date = max(requested_due, earliest)
            if status == "foc_sent":
                foc_sent_date = self.local_date(self.ts(ages[path.index("foc_sent")]))
                foc_date = max(foc_date, foc_sent_date)
                # Still inside the port window: R11 has not fired yet.
                port_window_ends_on = _add_business_days(foc_date, 4)
                if port_window_ends_on < self.today:
                    foc_date = self.today - datetime.timedelta(days=rng.randint(0, 3))
                    port_window_ends_on = _add_business_days(foc_date, 4)
        completed_at = last if status == "completed" else None
        # SUPs (R10, R12).
        sup2 = 0
        if "foc_sent" in path:
            sup2 = rng.choices((0, 1, 2, 3), weights=(85, 10, 3, 2))[0]
        sup_flag = ""
        if sup2 >= 3:
            sup_flag = "pending" if status == "foc_sent" else "accepted"
        mi = "A" if remain else ""
        assignee = rng.choice(self.staff_ids) if rng.random() < 0.8 else None
        actor = assignee or rng.choice(self.staff_ids)
        name, person, address, city, state, zip_code = customer
        labels = None
        if how == "r11":
            labels = {len(path) - 1: R11_JOB_LABEL}
        t["orders"].rows.append(
            (
                order_id, "out", status, pon, version, supersedes, reqtype, act, mi,
                requested_due, foc_date, "", completed_at,
                expedite, expedite_decision, simple, None, None, "",
                n_tns, n_tns >= PROJECT_MIN,
                self.our_carrier.pk, our_spid, requester_id, rng.choice(req_spids),
                "direct", None, "not_required",
                name, *self._cpni(f"{ACCOUNT_PREFIX}{rng.randint(10**6, 10**7 - 1)}"),
                (remain or tns)[0],
                person, address, city, state, zip_code, "",
                rng.random() < 0.7, status != "rejected" or rng.random() < 0.7,
                "", "PARTIAL PORT" if remain else "",
                assignee, actor,
                received_at, effective_on, None, None, None, None, None,
                port_window_ends_on, sup2, sup_flag,
                last, created, last,
                *self._lsr_json(
                    status=status, pon=pon, version=version, reqtype=reqtype, act=act, mi=mi,
                    requested_due=requested_due, expedite=expedite, tns=tns,
                    disconnect=disconnect, remain=remain, customer=customer,
                    received_at=received_at, effective_on=effective_on, earliest=earliest,
                    interval=interval, foc_date=foc_date, simple=simple,
                ),
            )
        )  # fmt: skip
        # Numbers on the order and their NPAC state.
        npac, activated = "", None
        if status == "completed":
            npac, activated = "active", completed_at
        elif status == "foc_sent":
            npac = rng.choice(("pending", "pending", "sending", ""))
        elif status == "cancelled" and how == "r11":
            npac = "cancel_pending"
        elif status == "cancelled" and "foc_sent" in path:
            npac = "cancelled"
        self._order_numbers(t, order_id, tns, "port", npac, activated)
        self._order_numbers(t, order_id, remain, "remain")
        self._order_numbers(t, order_id, disconnect, "disconnect")
        self._history(t, order_id, path, ages, actor=actor, labels=labels)
        self._comments(t, order_id, ages[0], ages[-1])
        if status == "rejected":
            resolved = ages[-1] - 0.01 if ages[-1] > 45 else None
            self._rejection(
                t, order_id, "validation", ages[-1], None, resolved, self.out_reasons,
                direction=Direction.PORT_OUT, assignee=assignee if resolved is None else None,
                k_max=3,
            )  # fmt: skip
        if "foc_sent" in path:
            foc_age = ages[path.index("foc_sent")]
            end_age = ages[path.index("foc_sent") + 1] if status != "foc_sent" else 0.05
            previous = foc_date
            for s in range(sup2):
                age = foc_age - (foc_age - end_age) * (s + 1) / (sup2 + 1)
                new_foc = (previous or requested_due) + datetime.timedelta(days=rng.randint(1, 7))
                self._supplement(t, order_id, 2, age, new_foc, previous, actor)
                previous = new_foc
            if rng.random() < 0.02:
                self._supplement(t, order_id, 3, (foc_age + end_age) / 2, None, None, actor)
        if status == "cancelled" and how == "sup1":
            self._supplement(t, order_id, 1, ages[-1], None, foc_date, actor)
        if how == "r11":
            age = ages[-1]
            sent = age - 0.05 if age > 2 else None
            confirmed = age - 1.0 if age > 3 else None
            for tn in tns:
                t["npac_cancels"].rows.append(
                    (
                        self.new_id(NpacCancelRecord), order_id, tn,
                        "R11: port window after the FOC passed without activation",
                        self.ts(age),
                        self.ts(sent) if sent is not None else None,
                        self.ts(confirmed) if confirmed is not None else None,
                    )
                )  # fmt: skip
        if rng.random() < 0.002:
            opened = rng.uniform(ages[-1], ages[0])
            resolved = None if open_ else ages[-1]
            t["disputes"].rows.append(
                (
                    self.new_id(AuthorizationDispute), order_id, None,
                    "End user says they did not authorize this port.",
                    rng.choice(self.manager_ids), self.ts(opened), self.ts(opened),
                    None, "", "" if resolved is None else "upheld",
                    self.ts(resolved) if resolved is not None else None,
                )
            )  # fmt: skip
        return order_id

    def _lsr_json(
        self, *, status, pon, version, reqtype, act, mi, requested_due, expedite, tns,
        disconnect, remain, customer, received_at, effective_on, earliest, interval, foc_date,
        simple,
    ):  # fmt: skip
        """The LSR as received and the rules' evaluation, as the port-out service stores them
        (orders.services.portout: LsrData.as_dict() and facts._evaluation_json())."""
        rng = self.rng
        name, person, address, city, state, zip_code = customer
        snapshot = {
            "pon": pon, "version": version, "reqtype": reqtype, "act": act, "mi": mi,
            "requested_due_date": requested_due.isoformat(), "expedite": expedite,
            "tns": list(tns), "disconnect_tns": list(disconnect),
            "remarks": "PARTIAL PORT" if remain else "",
            "btn": (remain or tns)[0], "account_name": name, "authorized_person": person,
            "service_address": address, "city": city, "state": state, "zip_code": zip_code,
            "authorization_indicator": True, "received_at": received_at.isoformat(),
        }  # fmt: skip
        kind = "simple" if simple else ("port_only" if reqtype in ("C", "CB") else "other")
        findings = [
            {"rule": "R17", "field_or_tn": "simple port", "code": "",
             "message": "Simple port: the simple-port interval applies." if simple else
             "Not a simple port: more than one line on the account."},
        ]  # fmt: skip
        if status == "rejected":
            for code in rng.sample(
                ("R2", "R4", "R9", "R13", "R14", "R15", "R16"), rng.randint(1, 3)
            ):
                findings.append(
                    {"rule": code, "field_or_tn": tns[0] if code in ("R2", "R15") else "LSR",
                     "code": code, "message": f"{code}: see the rejection-reason catalogue."}
                )  # fmt: skip
        foc = None
        if foc_date is not None or status in ("received", "expedite_review"):
            target = foc_date or max(earliest, requested_due)
            foc = {
                "date": target.isoformat(),
                "explanation": (
                    f"received {received_at.astimezone(self.tz):%a %H:%M} -> "
                    f"{effective_on:%a %m/%d}; {kind.replace('_', ' ')} {interval} business "
                    f"days -> {earliest:%a %m/%d}; requested {requested_due:%a %m/%d} -> "
                    f"FOC {target:%a %m/%d}"
                ),
                "needs_expedite_review": status == "expedite_review",
                "effective_receipt": effective_on.isoformat(),
                "interval_date": earliest.isoformat(),
                "expedite_date": None,
            }
        evaluation = {
            "evaluated_at": received_at.isoformat(),
            "findings": findings,
            "reject_codes": [f["code"] for f in findings if f["code"]],
            "foc": foc,
            "kind": kind,
            "simple_port": simple,
            "simple_port_reasons": [] if simple else ["more than one line on the account"],
            "dispositions": {
                "port": len(tns),
                "disconnect": len(disconnect),
                "remain": len(remain),
            },
        }
        values = {"lsr_snapshot": snapshot, "rule_evaluation": evaluation}
        return tuple(values[name] for name in ORDER_JSON_FIELDS)
