import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=False)


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"auth", "carriers", "orders"}
    }


def test_seed_demo_twice_leaves_the_same_rows():
    call_command("seed_demo", stdout=io.StringIO())
    first = _row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _row_counts() == first
    assert first["auth.User"] == 3


def test_seed_demo_users_have_their_roles():
    from django.contrib.auth import get_user_model

    call_command("seed_demo", stdout=io.StringIO())
    User = get_user_model()
    assert User.objects.get(username="alice").groups.filter(name="Porting staff").exists()
    assert User.objects.get(username="maria").groups.filter(name="Porting managers").exists()
    assert User.objects.get(username="admin").is_superuser
