"""What the API reads and answers (pydantic, through ninja). Never a PIN or a full account
number in an answer: account numbers are masked as the desk's pages mask them
(`carriers.cpni.mask_account_number`), a port-in PIN is only "on file" or not, a port-out
LSR's PIN only "matched" or not."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import Field, StringConstraints, field_validator

from carriers.inputs import COMMENT_MAX, REASON_MAX, REMARKS_MAX

# A TN as typed (any punctuation); the services normalize it and name the bad ones.
Tn = Annotated[str, StringConstraints(min_length=1, max_length=20)]


# --- answers ------------------------------------------------------------------------------


class TnVerdict(Schema):
    tn: str
    portable: bool
    reason: str = Field("", description="Why not, when the TN cannot be ported in.")
    losing_carrier: str | None = None
    losing_spid: str | None = None
    toll_free: bool = False


class PortabilityAnswer(Schema):
    results: list[TnVerdict]


class EndUserOut(Schema):
    account_name: str
    account_number: str = Field(description="Masked: only the last four characters.")
    btn: str
    authorized_person: str
    service_address: str
    city: str
    state: str
    zip_code: str


class NumberOut(Schema):
    tn: str
    disposition: str


class FindingOut(Schema):
    rule: str = Field(description="The rule id (R2, R16, ...).")
    field_or_tn: str
    message: str
    code: str = Field(description="The reject code when the finding is a reason to reject.")


class EvaluationOut(Schema):
    evaluated_at: str | None = None
    findings: list[FindingOut]
    reject_codes: list[str]
    proposed_foc_date: datetime.date | None = None


class RejectionReasonOut(Schema):
    code: str
    title: str
    rule: str


class RejectionOut(Schema):
    raised_at: datetime.datetime
    source: str
    reasons: list[RejectionReasonOut]
    details: str


class OrderSummary(Schema):
    id: int
    direction: Literal["in", "out"]
    status: str
    status_label: str
    pon: str
    version: int
    requested_due_date: datetime.date | None
    foc_date: datetime.date | None
    tn_count: int
    losing_carrier: str
    new_carrier: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class OrderDetail(OrderSummary):
    losing_spid: str | None
    new_spid: str | None
    route: str
    csr_status: str
    reqtype: str
    act: str
    mi: str
    expedite: bool
    foc_explanation: str
    submitted_at: datetime.datetime | None
    received_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    end_user: EndUserOut
    authorization_indicator: bool
    pin_on_file: bool = Field(description="Port-in: whether a PIN is stored (never the PIN).")
    pin_matched: bool | None = Field(
        description="Port-out: whether the LSR's PIN matched the account (never the PIN)."
    )
    remarks: str
    numbers: list[NumberOut]
    evaluation: EvaluationOut | None = Field(
        description="Port-out: the rules' findings on the LSR and the proposed FOC date."
    )
    rejections: list[RejectionOut]


class OrderPage(Schema):
    items: list[OrderSummary]
    next_cursor: int | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class RefusedTnOut(Schema):
    tn: str
    reason: str


class PortInCreated(Schema):
    orders: list[OrderDetail] = Field(description="One draft order per losing SPID.")
    refused: list[RefusedTnOut]


class CommentOut(Schema):
    id: int
    order_id: int
    body: str
    created_at: datetime.datetime


class DocumentOut(Schema):
    id: int
    order_id: int
    kind: str
    name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime


class SupOut(Schema):
    id: int
    sup_type: int
    received_at: datetime.datetime
    requested_due_date: datetime.date | None
    new_foc_date: datetime.date | None
    explanation: str
    order: OrderDetail


class EventOut(Schema):
    id: int
    order_id: int
    kind: str
    data: dict
    created_at: datetime.datetime


class EventPage(Schema):
    events: list[EventOut]
    next_after: int | None = Field(
        description="Pass as `after` to read on; the same `after` again when nothing is new."
    )


# --- requests -----------------------------------------------------------------------------


class EndUserIn(Schema):
    account_name: str = Field(min_length=1, max_length=160)
    account_number: str = Field("", max_length=30)
    btn: str = Field("", max_length=20)
    authorized_person: str = Field(min_length=1, max_length=120)
    service_address: str = Field("", max_length=200)
    city: str = Field("", max_length=80)
    state: str = Field("", max_length=2)
    zip_code: str = Field("", max_length=10)


class PortInCreateIn(Schema):
    end_user: EndUserIn
    tns: list[Tn] = Field(min_length=1, max_length=20_000)
    requested_due_date: datetime.date
    notification_email: str = Field(max_length=254)
    pin: str = Field("", max_length=40, description="Stored encrypted; never answered.")
    remarks: str = Field("", max_length=REMARKS_MAX)
    authorization_indicator: bool = Field(
        description="The end user authorized this port (signed LOA on file)."
    )

    @field_validator("notification_email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Enter a valid email address.") from None
        return value


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=COMMENT_MAX)
    from_customer: bool = Field(
        False, description="The comment relays the customer's own words (F4: customer activity)."
    )


class LsrIn(Schema):
    """An LSR as the requesting carrier sends it. A missing OBF field (PON, VER, REQTYPE, ACT,
    due date, account fields, authorization) is logged and rejected by R16, as on the desk."""

    pon: str = Field("", max_length=32)
    version: int | None = Field(None, ge=1, le=999)
    reqtype: str = Field("", max_length=2)
    act: str = Field("", max_length=1)
    mi: str = Field("", max_length=1)
    requested_due_date: datetime.date | None = None
    expedite: bool = False
    tns: list[Tn] = Field(default_factory=list, max_length=5000)
    disconnect_tns: list[Tn] = Field(default_factory=list, max_length=5000)
    remarks: str = Field("", max_length=REMARKS_MAX)
    account_number: str = Field("", max_length=30)
    btn: str = Field("", max_length=20)
    account_name: str = Field("", max_length=160)
    authorized_person: str = Field("", max_length=120)
    service_address: str = Field("", max_length=200)
    city: str = Field("", max_length=80)
    state: str = Field("", max_length=2)
    zip_code: str = Field("", max_length=10)
    authorization_indicator: bool | None = None
    pin: str = Field("", max_length=40, description="Checked against the account, then dropped.")
    new_spid: str = Field("", max_length=4, description="One of your SPIDs (NNSP).")


class SupIn(Schema):
    sup_type: Literal[1, 2, 3] = Field(description="1 cancel, 2 new due date, 3 other change.")
    requested_due_date: datetime.date | None = Field(None, description="SUP 2: required.")
    remarks: str = Field("", max_length=REMARKS_MAX)
    mi: str = Field("", max_length=1)
    act: str = Field("", max_length=1)
    authorization_indicator: bool | None = None
    tns: list[Tn] | None = Field(None, max_length=5000, description="SUP 3: replaces the list.")
    disconnect_tns: list[Tn] | None = Field(None, max_length=5000)
    account_number: str = Field("", max_length=30)
    zip_code: str = Field("", max_length=10)
    account_name: str = Field("", max_length=160)
    pin: str = Field("", max_length=40)
