"""The partner API's world: the port-in desk's carriers and NPAC view (tests.orders.portin),
our port-out accounts (tests.orders.portout), two of our systems and a trading partner, each
with a key, and a client that sends the key."""

import datetime
import json

import pytest
from django.utils import timezone

from api.models import Partner
from api.services.keys import api_key_create
from tests.api.webhooks_receiver import receiver  # noqa: F401 - a webhook receiver (issue 18)
from tests.orders.jobs.conftest import (  # noqa: F401 - the jobs' carriers (events in bulk)
    our_carrier,
    requesting_carrier,
)
from tests.orders.portin.conftest import (  # noqa: F401 - the port-in desk's world
    desk,
    make_portin,
)
from tests.orders.portout.conftest import (  # noqa: F401 - the port-out desk's world
    make_account,
    our_spid,
    ours,
    requester,
)


class ApiClient:
    """Django's test client with a partner's key in every request."""

    def __init__(self, client, key: str):
        self.client = client
        self.key = key

    def _headers(self, extra):
        headers = {"authorization": f"Bearer {self.key}"} if self.key else {}
        return {**headers, **(extra or {})}

    def get(self, path, params=None, headers=None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self._headers(headers))

    def post(self, path, body=None, *, key="key-1", headers=None):
        extra = {"idempotency-key": key} if key else {}
        return self.client.post(
            f"/api/v1{path}",
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self._headers({**extra, **(headers or {})}),
        )

    def upload(self, path, *, kind, file, key="upload-1"):
        return self.client.post(
            f"/api/v1{path}",
            {"kind": kind, "file": file},
            headers=self._headers({"idempotency-key": key}),
        )


def due_in(days=10) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def portin_body(tns, **overrides) -> dict:
    body = {
        "end_user": {
            "account_name": "ABC Company Inc.",
            "account_number": "ACCT-99887766",
            "btn": "5035550100",
            "authorized_person": "Pat Smith",
            "service_address": "100 Main St Suite 4",
            "city": "Portland",
            "state": "OR",
            "zip_code": "97204",
        },
        "tns": list(tns),
        "requested_due_date": due_in(),
        "notification_email": "customer@abc-company.example",
        "pin": "4321",
        "authorization_indicator": True,
    }
    body.update(overrides)
    return body


@pytest.fixture
def crm(db):
    return Partner.objects.create(name="Cascade CRM", kind=Partner.Kind.OUR_SYSTEM)


@pytest.fixture
def crm_key(crm):
    _key, raw = api_key_create(partner=crm, name="test", can_write_port_in=True)
    return raw


@pytest.fixture
def crm_api(client, crm_key):
    return ApiClient(client, crm_key)


@pytest.fixture
def other_system(db):
    return Partner.objects.create(name="Billing system", kind=Partner.Kind.OUR_SYSTEM)


@pytest.fixture
def other_api(client, other_system):
    _key, raw = api_key_create(partner=other_system, name="test", can_write_port_in=True)
    return ApiClient(client, raw)


@pytest.fixture
def wireless(requester):  # noqa: F811 - the port-out desk's fixture
    return Partner.objects.create(
        name="Willamette Wireless API", kind=Partner.Kind.TRADING_PARTNER, carrier=requester
    )


@pytest.fixture
def wireless_api(client, wireless):
    _key, raw = api_key_create(partner=wireless, name="test", can_submit_port_out=True)
    return ApiClient(client, raw)
