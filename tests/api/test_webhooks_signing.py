"""The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the
subscription's secret, compared in constant time, refused when stale; and the README's recipe
is this very function."""

import inspect
import json
import time
from pathlib import Path

from api.webhooks import signing
from api.webhooks.payload import signed_headers

SECRET = "whsec_test-secret"
BODY = json.dumps({"id": 1, "type": "foc_set"}).encode()


def test_a_fresh_signed_request_verifies():
    headers = signed_headers(event_id=1, secret=SECRET, body=BODY)
    assert signing.verify(SECRET, headers, BODY)
    assert headers["Webhook-Id"] == "1"


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signing.sign(SECRET, "1700000000", BODY) == f"v1={expected}"


def test_a_changed_body_another_secret_or_a_stale_timestamp_fails():
    headers = signed_headers(event_id=1, secret=SECRET, body=BODY)
    assert not signing.verify(SECRET, headers, BODY + b" ")
    assert not signing.verify("whsec_other", headers, BODY)
    old = signed_headers(event_id=1, secret=SECRET, body=BODY, timestamp=int(time.time()) - 301)
    assert not signing.verify(SECRET, old, BODY)
    assert signing.verify(SECRET, old, BODY, tolerance=600)


def test_missing_or_malformed_headers_fail_without_raising():
    headers = signed_headers(event_id=1, secret=SECRET, body=BODY)
    assert not signing.verify(SECRET, {}, BODY)
    assert not signing.verify(SECRET, {**headers, "Webhook-Timestamp": "soon"}, BODY)
    assert not signing.verify(SECRET, {**headers, "Webhook-Signature": ""}, BODY)
    without = {k: v for k, v in headers.items() if k != "Webhook-Signature"}
    assert not signing.verify(SECRET, without, BODY)


def test_the_readme_quotes_the_verification_recipe_as_the_code_has_it():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert inspect.getsource(signing.verify) in readme
    assert "Webhook-Signature" in readme and "Webhook-Id" in readme
