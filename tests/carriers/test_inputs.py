"""The shared input checks (carriers.inputs), the one TN-list parser and the calendar's clear
error for a year it has no data for (issue 14, section 5)."""

import datetime

import pytest
from django.urls import reverse

from carriers.calendar import BusinessCalendar, CalendarRangeError
from carriers.forms import ContactForm
from carriers.inputs import (
    NOTE_MAX,
    WindowDateField,
    WindowDateTimeField,
    contact_phone_problem,
    window_problem,
)
from carriers.models import Contact
from carriers.tn import parse_tn_list
from tests.factories import CarrierFactory, ContactFactory

D = datetime.date
TODAY = D(2026, 12, 4)

# --- the working window -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", [D(9999, 12, 31), D(2101, 1, 4), D(2028, 1, 1), D(1999, 12, 31), D(1, 1, 1)]
)
def test_dates_outside_the_working_window_are_named_problems(day):
    problem = window_problem(day, today=TODAY, label="Requested due date")
    assert problem.startswith("Requested due date: ") and day.isoformat() in problem


@pytest.mark.parametrize("day", [D(2000, 1, 1), TODAY, D(2027, 12, 5), None])
def test_dates_inside_the_working_window_pass(day):
    assert window_problem(day, today=TODAY) is None


@pytest.mark.parametrize("value", ["9999-12-31", "2101-01-04", "0202-02-02"])
def test_the_shared_date_field_refuses_far_dates_naming_its_label(value):
    field = WindowDateField(label="FOC date")
    with pytest.raises(Exception) as raised:
        field.clean(value)
    assert "FOC date" in str(raised.value.messages) and value[:4] in str(raised.value.messages)


def test_the_shared_datetime_field_refuses_far_dates():
    field = WindowDateTimeField(label="Received", required=False)
    with pytest.raises(Exception, match="Received"):
        field.clean("9999-12-31T23:59")
    assert field.clean("") is None


# --- the calendar -------------------------------------------------------------------------------


def test_the_calendar_refuses_a_year_without_holiday_data_with_a_clear_error():
    calendar = BusinessCalendar()
    with pytest.raises(CalendarRangeError, match="2101.*check the year"):
        calendar.add_business_days(D(2100, 12, 30), 5)


def test_the_calendar_refuses_to_step_past_year_9999_instead_of_overflowing():
    with pytest.raises(CalendarRangeError, match="No business day after"):
        BusinessCalendar(extra_closed_days=[D(9999, 12, 31)]).next_business_day(D(9999, 12, 30))


# --- the one TN-list parser ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "5035550100 5035550101",
        "503 555 0100 503 555 0101",
        "(503) 555-0100 (503) 555-0101",
        "503.555.0100, 503.555.0101",
        "5035550100-5035550101",
        "5035550100\n\n503-555-0101",
    ],
)
def test_spaces_commas_newlines_dashes_dots_and_parentheses_separate_or_decorate(text):
    assert parse_tn_list(text) == (["5035550100", "5035550101"], [])


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("5035550100 503-555-O101", "503-555-O101"),
        ("5035550100 x12", "x12"),
        ("503/555/0100", "503/555/0100"),
        ("5035550100 503 555 010", "503 555 010"),
        ("5035550100 #", "#"),
    ],
)
def test_anything_else_is_an_error_naming_the_token(text, token):
    tns, errors = parse_tn_list(text)
    assert tns == ["5035550100"] or tns == []
    assert [e.value for e in errors] == [token]
    assert repr(token) in errors[0].message


# --- contact phones -----------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["(503) 555-0150", "503-555-0150 x12", "+1 503 555 0150", ""])
def test_a_contact_phone_is_a_10_digit_nanp_number(phone):
    assert contact_phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["555-0150", "call Bob", "011 44 20 7946 0958", "103-555-0150"])
def test_anything_else_is_not_a_contact_phone(phone):
    assert "10-digit NANP" in contact_phone_problem(phone)


@pytest.mark.django_db
def test_the_contact_form_refuses_a_bad_phone_and_long_notes():
    carrier = CarrierFactory()
    form = ContactForm(
        data={
            "carrier": carrier.pk,
            "role": "csr",
            "name": "Pat",
            "phone": "555-0150",
            "notes": "n" * (NOTE_MAX + 1),
        }
    )
    assert not form.is_valid()
    assert "10-digit NANP" in " ".join(form.errors["phone"])
    assert str(NOTE_MAX) in " ".join(form.errors["notes"])


@pytest.mark.django_db
def test_the_admin_refuses_a_contact_phone_that_is_not_nanp(client, admin_user):
    client.force_login(admin_user)
    contact = ContactFactory(phone="503-555-0150")
    url = reverse("admin:carriers_contact_change", args=[contact.pk])
    response = client.post(
        url,
        {
            "carrier": contact.carrier_id,
            "role": contact.role,
            "name": contact.name,
            "email": "",
            "phone": "555-0150",
            "fax": "",
            "hours": "",
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "10-digit NANP" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).phone == "503-555-0150"
