"""Model factories shared by every test folder. Each area adds its own in a marked section."""

import datetime

import factory
from django.utils import timezone

from carriers.models import (
    SPID,
    Carrier,
    Contact,
    CustomerAccount,
    IntervalGuideline,
    NonBusinessDay,
    TelephoneNumber,
)
from orders.lifecycle import INITIAL_STATUS
from orders.models import Direction, OrderNumber, PortOrder, StatusChange


def business_day_in(days: int) -> datetime.date:
    """The first business day (federal calendar) at least `days` days from today: an FOC
    date that needs no "not a business day" confirmation whatever day the suite runs."""
    from carriers.calendar import DEFAULT_CALENDAR

    return DEFAULT_CALENDAR.add_business_days(
        timezone.localdate() + datetime.timedelta(days=days), 0
    )


# --- carriers --------------------------------------------------------------------------


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carrier
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Carrier {n}")
    kind = Carrier.Kind.CLEC
    time_zone = "America/Los_Angeles"


class OurCarrierFactory(CarrierFactory):
    name = "Cascade Telecom"
    is_ours = True
    kind = Carrier.Kind.CLEC


class SPIDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SPID
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 10000:04d}")
    carrier = factory.SubFactory(CarrierFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    carrier = factory.SubFactory(CarrierFactory)
    role = Contact.Role.CSR
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda o: f"{o.role}@{o.carrier.name.split()[0].lower()}.example")
    phone = "503-555-0199"


class IntervalGuidelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntervalGuideline

    kind = IntervalGuideline.Kind.OTHER
    min_tns = 1
    business_days = 3


class NonBusinessDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonBusinessDay

    date = datetime.date(2026, 12, 24)
    description = "Company closed"


class CustomerAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerAccount
        skip_postgeneration_save = True  # the pin hook saves its own field

    account_number = factory.Sequence(lambda n: f"ACCT{100000 + n}")
    btn = factory.Sequence(lambda n: f"503555{n % 10000:04d}")
    name = factory.Faker("company")
    authorized_person = factory.Faker("name")
    service_address = "100 Main Street Suite 4"
    city = "Portland"
    state = "OR"
    zip_code = "97204"

    @factory.post_generation
    def pin(obj, create, extracted, **kwargs):
        if extracted:
            obj.set_pin(extracted)
            if create:
                obj.save(update_fields=["pin_hash"])


class TelephoneNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TelephoneNumber
        django_get_or_create = ("tn",)

    tn = factory.Sequence(lambda n: f"503555{n % 10000:04d}")
    spid = factory.SubFactory(SPIDFactory)
    status = TelephoneNumber.Status.WORKING


# --- orders ----------------------------------------------------------------------------


class PortOrderFactory(factory.django.DjangoModelFactory):
    """A port-in order in draft unless told otherwise; statuses other than the initial one
    should be reached through the lifecycle in tests that are about transitions."""

    class Meta:
        model = PortOrder
        skip_postgeneration_save = True  # the history hook saves its own row

    direction = Direction.PORT_IN
    status = factory.LazyAttribute(lambda o: INITIAL_STATUS[o.direction])
    pon = factory.Sequence(lambda n: f"PON{n:06d}")
    reqtype = "C"
    act = "V"
    losing_carrier = factory.SubFactory(CarrierFactory)
    new_carrier = factory.SubFactory(OurCarrierFactory)
    account_name = "ABC Company Inc."
    account_number = "ACCT-99887766"
    btn = "5035550100"
    authorized_person = "Pat Smith"
    service_address = "100 Main St Suite 4"
    city = "Portland"
    state = "OR"
    zip_code = "97204"
    notification_email = "customer@abc-company.example"
    requested_due_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=10)
    )
    authorization_indicator = True

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            StatusChange.objects.create(
                order=obj, from_status="", to_status=obj.status, created_at=obj.created_at
            )


class PortOutOrderFactory(PortOrderFactory):
    direction = Direction.PORT_OUT
    losing_carrier = factory.SubFactory(OurCarrierFactory)
    new_carrier = factory.SubFactory(CarrierFactory)
    received_at = factory.LazyFunction(timezone.now)


class OrderNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderNumber

    order = factory.SubFactory(PortOrderFactory)
    tn = factory.Sequence(lambda n: f"971555{n % 10000:04d}")
    disposition = OrderNumber.Disposition.PORT


# --- port-out ----------------------------------------------------------------------------


class CsrRequestFactory(factory.django.DjangoModelFactory):
    """A CSR request from another carrier, received now and due after its R1 clock."""

    class Meta:
        model = "orders.CsrRequest"

    requesting_carrier = factory.SubFactory(CarrierFactory)
    tns = factory.LazyFunction(lambda: ["5035550100"])
    authorization_indicator = True
    received_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(
        lambda o: o.received_at + datetime.timedelta(hours=o.requesting_carrier.csr_answer_hours)
    )


class NpacCancelRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.NpacCancelRecord"

    order = factory.SubFactory(PortOutOrderFactory)
    tn = factory.Sequence(lambda n: f"971666{n % 10000:04d}")
    reason = "R11: FOC expired without port"
    created_at = factory.LazyFunction(timezone.now)


# --- port-in desk --------------------------------------------------------------------------


class PortInCsrFactory(factory.django.DjangoModelFactory):
    """The losing carrier's CSR for a port-in order, by default matching PortOrderFactory."""

    class Meta:
        model = "orders.PortInCsr"

    order = factory.SubFactory(PortOrderFactory)
    account_name = "ABC Company, Inc."
    btn = "5035550100"
    authorized_person = "Pat Smith"
    service_address = "100 Main Street Ste 4"
    city = "Portland"
    state = "OR"
    zip_code = "97204-1234"
    recorded_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.Comment"

    order = factory.SubFactory(PortOrderFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")
    created_at = factory.LazyFunction(timezone.now)


class SupplementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.Supplement"

    order = factory.SubFactory(PortOrderFactory)
    sup_type = 3
    received_at = factory.LazyFunction(timezone.now)
    remarks = "Other change"


class RejectionFactory(factory.django.DjangoModelFactory):
    """A rejection with reasons given by code: RejectionFactory(reasons=["ACCT", "ZIP"])."""

    class Meta:
        model = "orders.Rejection"
        skip_postgeneration_save = True

    order = factory.SubFactory(PortOrderFactory)
    source = "losing_carrier"
    raised_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def reasons(obj, create, extracted, **kwargs):
        from orders.models import RejectionReason

        if create:
            obj.reasons.set(RejectionReason.objects.filter(code__in=extracted or ["OTHER"]))
