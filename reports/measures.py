"""What the rollup counts, by name: each measure is counted on the local day its event
happened (its history row, rejection, SUP...), so a day's figures are final once the day is
over, except for rows written later with an earlier time (reports.rollup marks those days).

Carrier: the losing carrier for port-in measures, the requesting carrier for port-out and CSR
measures. Person: the acting user for desk actions. Key: a reject code or a rule id.
"""

# Port-in (we are the new carrier).
IN_SENT = "in_sent"  # LSR sends: every move to Submitted (first send and each resend)
IN_FOC = "in_foc"  # FOCs received: moves to Accepted
IN_COMPLETED = "in_completed"  # moves to Completed
IN_REJECTED = "in_rejected"  # rejections raised by the losing carrier
IN_REASON = "in_reason"  # those rejections per reject code (key)
IN_FIXED = "in_fixed"  # rejects fixed by the desk: Exception -> Submitted (F2)
IN_RETURNED = "in_returned"  # rejects returned to the customer: Exception -> Rejected (F2)
IN_AUTO_CANCELLED = "in_auto_cancelled"  # F4: cancelled by the 45-day job

# Port-out (we are the losing carrier).
OUT_LSR = "out_lsr"  # LSRs on the day they count as received (R7: effective_received_on)
OUT_SAME_DAY = "out_same_day"  # ... decided (FOC, reject or to a manager) by that day's end
OUT_FOC = "out_foc"  # moves to FOC sent
OUT_REJECTED = "out_rejected"  # moves to Rejected
OUT_RULE = "out_rule"  # rule ids (key) of the rejections' reasons, once per rejection and rule
OUT_EXPEDITE_ASKED = "out_expedite_asked"  # moves to Expedite awaiting manager
OUT_EXPEDITE_GRANTED = "out_expedite_granted"  # Expedite -> FOC sent with the expedite accepted
OUT_SUP = "out_sup"  # SUPs received
OUT_WINDOW_EXPIRED = "out_window_expired"  # R11: cancelled by the port-window job
CSR_DUE = "csr_due"  # CSR requests whose R1 answer time falls on the day
CSR_ON_TIME = "csr_on_time"  # ... answered (or rejected) by that time

# The desk, per person.
ACT_MOVES = "act_moves"  # status moves made
ACT_COMMENTS = "act_comments"  # comments written
ACT_CHECKS = "act_checks"  # status checks recorded (F5)
ACT_CSR = "act_csr"  # CSR requests answered or rejected
ACTIONS = (ACT_MOVES, ACT_COMMENTS, ACT_CHECKS, ACT_CSR)

# Durations, in whole hours, counted on the day they end.
D_SUBMIT_FOC = "d_submit_foc"  # the LSR send the FOC answered -> the FOC
D_FOC_COMPLETE = "d_foc_complete"  # the last FOC -> completion
D_CREATE_COMPLETE = "d_create_complete"  # the order's creation -> completion
DURATIONS = (D_SUBMIT_FOC, D_FOC_COMPLETE, D_CREATE_COMPLETE)
DURATION_NAMES = {
    D_SUBMIT_FOC: "Submitted → FOC",
    D_FOC_COMPLETE: "FOC → completion",
    D_CREATE_COMPLETE: "Created → completion",
}

NO_RULE = ""  # a reject reason with no rule id
