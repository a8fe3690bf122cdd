"""`__any_of`: the same rows as `__in`, with the list sent as one parameter on PostgreSQL."""

import pytest
from django.db import connection

from carriers.models import TelephoneNumber
from tests.factories import SPIDFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbers():
    spid = SPIDFactory()
    TelephoneNumber.objects.bulk_create(
        TelephoneNumber(tn=f"503555{n:04d}", spid=spid) for n in range(30)
    )


def test_any_of_finds_the_same_numbers_as_in(numbers):
    wanted = [f"503555{n:04d}" for n in range(0, 40, 3)]
    by_any = set(TelephoneNumber.objects.filter(tn__any_of=wanted).values_list("tn", flat=True))
    by_in = set(TelephoneNumber.objects.filter(tn__in=wanted).values_list("tn", flat=True))
    assert by_any == by_in and len(by_any) == 10


def test_any_of_nothing_matches_nothing_without_a_query(numbers, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(TelephoneNumber.objects.filter(tn__any_of=[])) == []


def test_any_of_sends_one_parameter_on_postgresql(numbers):
    query = TelephoneNumber.objects.filter(tn__any_of=["5035550001", "5035550002"]).query
    sql, params = query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and params == (["5035550001", "5035550002"],)
    else:
        assert " IN (" in sql and params == ("5035550001", "5035550002")


def test_primary_keys_any_of_is_an_array_of_integers(numbers):
    ids = list(TelephoneNumber.objects.order_by("pk").values_list("pk", flat=True)[:5])
    found = TelephoneNumber.objects.filter(pk__any_of=[str(pk) for pk in ids])
    assert sorted(found.values_list("pk", flat=True)) == ids
    sql, params = found.query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and params == (ids,)
    assert list(TelephoneNumber.objects.filter(pk__any_of=[])) == []
