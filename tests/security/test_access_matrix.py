"""Who may open what: every URL pattern of the project, from the resolver, against every role.

The table below is the role matrix. Each URL name has the status each role gets for a GET and,
for views that take a POST, for a POST (with harmless or invalid data, so no check changes
what the next one sees). Columns: alice (porting staff), maria (porting manager), admin
(superuser), bob (logged in, in no desk group). Anonymous visitors are always sent to the log-in
page. A URL name missing from the table fails the test: a new view cannot be forgotten.

405 is a POST-only view answering a GET; 302 a POST that redirects back with a message; 200 a
page (or a form shown again with its errors); 403 the role may not.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ROLES = ("alice", "maria", "admin", "bob")

# name: {"GET": (alice, maria, admin, bob), "POST": (alice, maria, admin, bob)}
MATRIX = {
    # --- portal ----------------------------------------------------------------------------
    "dashboard": {"GET": (200, 200, 200, 200)},
    "login": {"GET": (302, 302, 302, 302)},  # logged in: sent on to the dashboard
    "logout": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 302)},
    # --- carriers directory --------------------------------------------------------------------
    "carriers:list": {"GET": (200, 200, 200, 403)},
    "carriers:detail": {"GET": (200, 200, 200, 403)},
    # --- customer accounts (R19: port-out lock, holder's contact) ----------------------------
    "carriers:account_detail": {"GET": (200, 200, 200, 403)},
    "carriers:account_lock": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "carriers:account_contact": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "carriers:accounts_no_contact": {"GET": (200, 200, 200, 403)},
    # --- orders (both desks) and the port-in desk ----------------------------------------------
    "orders:order_list": {"GET": (200, 200, 200, 403)},
    "orders:portin_new": {"GET": (200, 200, 200, 403), "POST": (200, 200, 200, 403)},
    "orders:order_detail": {"GET": (200, 200, 200, 403)},
    "orders:order_numbers_csv": {"GET": (200, 200, 200, 403)},
    "orders:order_action": {"GET": (405, 405, 405, 405), "POST": (200, 200, 200, 403)},
    "orders:document_upload": {"GET": (405, 405, 405, 405), "POST": (200, 200, 200, 403)},
    "orders:document_download": {"GET": (200, 200, 200, 403)},
    "orders:document_preview": {"GET": (200, 200, 200, 403)},
    "orders:document_resend": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:pin_reveal": {"GET": (405, 405, 405, 405), "POST": (403, 200, 200, 403)},
    # --- the customer's pages (issue 19): a valid link opens them whoever you are, with no
    # login; the POSTs here are incomplete (the page again with its errors, nothing changes).
    # Sending and revoking a link are order actions ("loa-link", "status-link",
    # "customer-link-revoke": orders:order_action, the desk's change permission).
    "orders:customer_page": {"GET": (200, 200, 200, 200)},
    "orders:customer_loa_pdf": {"GET": (200, 200, 200, 200)},
    "orders:customer_sign": {"GET": (405, 405, 405, 405), "POST": (200, 200, 200, 200)},
    "orders:customer_correct": {"GET": (405, 405, 405, 405), "POST": (200, 200, 200, 200)},
    "orders:customer_cancel": {"GET": (405, 405, 405, 405), "POST": (200, 200, 200, 200)},
    # --- port-out desk ---------------------------------------------------------------------
    "orders:portout_home": {"GET": (200, 200, 200, 403)},
    "orders:portout_csr_list": {"GET": (200, 200, 200, 403)},
    "orders:portout_csr_new": {"GET": (200, 200, 200, 403), "POST": (200, 200, 200, 403)},
    "orders:portout_csr_detail": {"GET": (200, 200, 200, 403)},
    "orders:portout_csr_answer": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:portout_csr_reject": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:portout_csr_csv": {"GET": (200, 200, 200, 403)},
    "orders:portout_csr_print": {"GET": (200, 200, 200, 403)},
    "orders:portout_lsr_new": {"GET": (200, 200, 200, 403), "POST": (200, 200, 200, 403)},
    "orders:portout_detail": {"GET": (302, 302, 302, 403)},  # to the shared order page
    "orders:portout_decide": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:portout_rerun": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:portout_expedite": {"GET": (405, 405, 405, 405), "POST": (403, 302, 302, 403)},
    "orders:portout_override": {"GET": (405, 405, 405, 405), "POST": (403, 302, 302, 403)},
    "orders:portout_sup_new": {"GET": (200, 200, 200, 403), "POST": (200, 200, 200, 403)},
    "orders:portout_sup_flag": {"GET": (405, 405, 405, 405), "POST": (403, 302, 302, 403)},
    "orders:portout_npac_event": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:portout_dispute_new": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:portout_dispute_action": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:portout_npac_cancels": {"GET": (200, 200, 200, 403)},
    "orders:portout_npac_cancels_mark": {
        "GET": (405, 405, 405, 405),
        "POST": (302, 302, 302, 403),
    },
    "orders:portout_npac_cancels_csv": {"GET": (200, 200, 200, 403)},
    # --- work queues -------------------------------------------------------------------------
    "orders:queue_index": {"GET": (200, 200, 200, 403)},
    "orders:queue": {"GET": (200, 200, 200, 403)},
    "orders:queue_export": {"GET": (200, 200, 200, 403)},
    "orders:queue_claim": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:queue_assign": {"GET": (405, 405, 405, 405), "POST": (302, 302, 302, 403)},
    "orders:queue_reassign": {"GET": (405, 405, 405, 405), "POST": (403, 302, 302, 403)},
    "orders:queue_return_to_customer": {
        "GET": (405, 405, 405, 405),
        "POST": (403, 302, 302, 403),
    },
    # --- the managers' digest (the daily email as a page) ------------------------------------
    "orders:digest": {"GET": (403, 200, 200, 403)},
    # --- reports (issue 20): staff see their own desk figures, managers everything ----------
    "reports:index": {"GET": (200, 200, 200, 403)},
    "reports:csv": {"GET": (200, 200, 200, 403)},
    "reports:scorecard": {"GET": (403, 200, 200, 403)},
    "reports:scorecard_csv": {"GET": (403, 200, 200, 403)},
    # --- the partner API (issue 18): an API key, never a desk session; a session without a
    # key gets 401; the schema and its docs page are public; /api/v1/ itself is nothing.
    "api-v1:api-root": {"GET": (404, 404, 404, 404)},
    "api-v1:openapi-json": {"GET": (200, 200, 200, 200)},
    "api-v1:openapi-view": {"GET": (200, 200, 200, 200)},
    "api-v1:portability_check": {"GET": (401, 401, 401, 401)},
    "api-v1:orders_list": {"GET": (401, 401, 401, 401), "POST": (405, 405, 405, 405)},
    "api-v1:orders_get": {"GET": (401, 401, 401, 401), "POST": (405, 405, 405, 405)},
    "api-v1:events_list": {"GET": (401, 401, 401, 401)},
    "api-v1:portins_create": {"GET": (405, 405, 405, 405), "POST": (401, 401, 401, 401)},
    "api-v1:portins_submit": {"GET": (405, 405, 405, 405), "POST": (401, 401, 401, 401)},
    "api-v1:portins_cancel": {"GET": (405, 405, 405, 405), "POST": (401, 401, 401, 401)},
    "api-v1:portins_comment": {"GET": (405, 405, 405, 405), "POST": (401, 401, 401, 401)},
    "api-v1:portins_document": {"GET": (405, 405, 405, 405), "POST": (401, 401, 401, 401)},
    "api-v1:portouts_submit": {"GET": (405, 405, 405, 405), "POST": (401, 401, 401, 401)},
    "api-v1:portouts_sup": {"GET": (405, 405, 405, 405), "POST": (401, 401, 401, 401)},
}

# URL arguments built from real objects (tests/security/conftest.py: populate_desk), so detail
# pages answer 200, not 404.
KWARGS = {
    "carriers:detail": lambda d: {"pk": d.portout["received"].new_carrier_id},
    "carriers:account_detail": lambda d: {"pk": d.portout["received"].customer_account_id},
    "carriers:account_lock": lambda d: {"pk": d.portout["received"].customer_account_id},
    "carriers:account_contact": lambda d: {"pk": d.portout["received"].customer_account_id},
    "orders:order_detail": lambda d: {"pk": d.portin["submitted"].pk},
    "orders:order_numbers_csv": lambda d: {"pk": d.portin["submitted"].pk},
    "orders:order_action": lambda d: {"pk": d.portin["submitted"].pk, "action": "comment"},
    "orders:document_upload": lambda d: {"pk": d.portin["draft"].pk},
    "orders:document_download": lambda d: {"pk": d.document.pk},
    "orders:document_preview": lambda d: {"pk": d.portin["draft"].pk, "kind": "lsr"},
    # An uploaded document: the resend is refused with a message, nothing is sent.
    "orders:document_resend": lambda d: {"pk": d.document.order_id, "doc_pk": d.document.pk},
    "orders:pin_reveal": lambda d: {"pk": d.portin["draft"].pk},
    "orders:customer_page": lambda d: {"token": customer_token(d, "status")},
    "orders:customer_loa_pdf": lambda d: {"token": customer_token(d, "loa")},
    "orders:customer_sign": lambda d: {"token": customer_token(d, "loa")},
    "orders:customer_correct": lambda d: {"token": customer_token(d, "status")},
    "orders:customer_cancel": lambda d: {"token": customer_token(d, "status")},
    "orders:portout_csr_detail": lambda d: {"pk": d.csr_open.pk},
    "orders:portout_csr_answer": lambda d: {"pk": d.csr_answered.pk},
    "orders:portout_csr_reject": lambda d: {"pk": d.csr_answered.pk},
    "orders:portout_csr_csv": lambda d: {"pk": d.csr_answered.pk},
    "orders:portout_csr_print": lambda d: {"pk": d.csr_answered.pk},
    "orders:portout_detail": lambda d: {"pk": d.portout["received"].pk},
    "orders:portout_decide": lambda d: {"pk": d.portout["received"].pk},
    "orders:portout_rerun": lambda d: {"pk": d.portout["received"].pk},
    "orders:portout_expedite": lambda d: {"pk": d.portout["expedite_review"].pk},
    "orders:portout_override": lambda d: {"pk": d.portout["received"].pk},
    "orders:portout_sup_new": lambda d: {"pk": d.portout["foc_sent"].pk},
    "orders:portout_sup_flag": lambda d: {"pk": d.portout["sup_flag"].pk},
    "orders:portout_npac_event": lambda d: {"pk": d.portout["foc_sent"].pk},
    "orders:portout_dispute_action": lambda d: {"pk": d.dispute.pk},
    "orders:queue": lambda d: {"slug": "in-submitted"},
    "orders:queue_export": lambda d: {"slug": "in-submitted"},
    "orders:queue_claim": lambda d: {"slug": "in-submitted"},
    "orders:queue_assign": lambda d: {"slug": "in-submitted"},
    "orders:queue_reassign": lambda d: {"slug": "in-submitted"},
    "orders:queue_return_to_customer": lambda d: {"slug": "rejections"},
    "api-v1:orders_get": lambda d: {"order_id": d.portin["draft"].pk},
    "api-v1:portins_submit": lambda d: {"order_id": d.portin["draft"].pk},
    "api-v1:portins_cancel": lambda d: {"order_id": d.portin["draft"].pk},
    "api-v1:portins_comment": lambda d: {"order_id": d.portin["draft"].pk},
    "api-v1:portins_document": lambda d: {"order_id": d.portin["draft"].pk},
    "api-v1:portouts_sup": lambda d: {"order_id": d.portout["received"].pk},
    "reports:csv": lambda d: {"slug": "desk-actions"},  # a table staff may download too
    "reports:scorecard": lambda d: {"pk": d.portout["received"].new_carrier_id},
    "reports:scorecard_csv": lambda d: {
        "pk": d.portout["received"].new_carrier_id,
        "slug": "in-periods",
    },
}

# The customer's pages are reached by a link, not a login (issue 19).
CUSTOMER_PAGES = frozenset(name for name in MATRIX if name.startswith("orders:customer_"))
# The partner API answers a key, not a login: no log-in page (issue 18).
API_URLS = frozenset(name for name in MATRIX if name.startswith("api-v1:"))


def customer_token(d, purpose: str) -> str:
    """A link of the desk's draft with no LOA yet (one per purpose, made on first use and
    kept on this test's desk)."""
    from orders.services.portin.customer_links import customer_link_send

    tokens = d.__dict__.setdefault("customer_tokens", {})
    if purpose not in tokens:
        sent = customer_link_send(order=d.portin["csr_pending"], by=None, purpose=purpose)
        tokens[purpose] = sent.url.rstrip("/").rsplit("/", 1)[1]
    return tokens[purpose]


# POST bodies: incomplete on purpose (the view answers with its message or form errors and
# changes nothing), except where the view needs a handle to know where to go back to.
POST_DATA = {
    "carriers:account_lock": lambda d: {"locked": "1", "reason": ""},
    "carriers:account_contact": lambda d: {"contact_email": "not an email"},
    "orders:order_action": lambda d: {"comment-expected_status": "submitted", "comment-body": ""},
    "orders:portout_dispute_new": lambda d: {"order": d.portout["received"].pk},
    "orders:portout_decide": lambda d: {"decision": "nonsense"},
    "orders:portout_expedite": lambda d: {"accept": "maybe"},
    "orders:portout_override": lambda d: {"field": "nonsense", "reason": ""},
    "orders:portout_sup_flag": lambda d: {"action": "nonsense"},
    "orders:portout_npac_event": lambda d: {"kind": "nonsense"},
    "orders:portout_dispute_action": lambda d: {"action": "nonsense"},
}


def _names(resolver=None, namespace=""):
    """Every URL name of the project except the admin's own (checked separately)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _names(entry, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"an unnamed URL pattern: {entry.pattern}"
            yield namespace + entry.name


@pytest.fixture
def clients(desk, alice, maria, admin_user, bob):
    users = {"alice": alice, "maria": maria, "admin": admin_user, "bob": bob}

    def client_for(role):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return client_for


def test_every_url_name_is_in_the_matrix():
    missing = sorted(set(_names()) - set(MATRIX))
    assert not missing, "add " + ", ".join(missing) + " to the matrix in " + __name__
    stale = sorted(set(MATRIX) - set(_names()))
    assert not stale, f"no such URL any more, remove from the matrix: {stale}"


def test_every_role_gets_what_the_matrix_says(desk, clients):
    wrong = []
    checked = 0
    for name in sorted(set(_names())):
        url = reverse(name, kwargs=KWARGS.get(name, lambda d: {})(desk))
        for method, expected in MATRIX[name].items():
            for role, status in zip(ROLES, expected, strict=True):
                client = clients(role)
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, POST_DATA.get(name, lambda d: {})(desk))
                checked += 1
                if response.status_code != status:
                    wrong.append(
                        f"{method} {name} ({url}) as {role}: {response.status_code}, "
                        f"matrix says {status}"
                    )
    assert not wrong, "\n".join(wrong)
    assert checked >= 4 * len(MATRIX)


def test_anonymous_visitors_are_always_sent_to_the_login_page(desk, clients):
    client = clients("anonymous")
    for name in sorted(set(_names()) - {"login"} - CUSTOMER_PAGES - API_URLS):
        url = reverse(name, kwargs=KWARGS.get(name, lambda d: {})(desk))
        for method in MATRIX[name]:
            response = client.get(url) if method == "GET" else client.post(url, {})
            assert response.status_code == 302, (method, name, response.status_code)
            assert response["Location"].startswith(reverse("login") + "?next="), (method, name)
    assert client.get(reverse("login")).status_code == 200


def test_a_customer_link_opens_its_pages_without_a_login_and_nothing_else(desk, clients):
    """Anonymous with a valid link: the customer's pages answer (the POSTs with their form
    errors); every other URL still sends the visitor to the log-in page, the link or not; a
    made-up token opens nothing."""
    client = clients("anonymous")
    for name in sorted(CUSTOMER_PAGES):
        url = reverse(name, kwargs=KWARGS[name](desk))
        for method, statuses in MATRIX[name].items():
            response = client.get(url) if method == "GET" else client.post(url, {})
            assert response.status_code == statuses[-1], (method, name, response.status_code)
    assert "_auth_user_id" not in client.session
    # The partner API (key-authenticated, no log-in page) has its own checks.
    desk_pages = {n for n in _names() if not n.startswith("api-")} - {"login"} - CUSTOMER_PAGES
    for name in sorted(desk_pages):
        url = reverse(name, kwargs=KWARGS.get(name, lambda d: {})(desk))
        response = client.get(url)
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("login") + "?next="), name
    made_up = reverse("orders:customer_page", kwargs={"token": "A" * 43})
    assert client.get(made_up).status_code == 404


def test_forbidden_actions_change_nothing(desk, clients):
    """A 403 is refused before any work: the manager-only actions leave the order as it was."""
    from orders.models import PinRevealAudit, PortOrder

    expedite = desk.portout["expedite_review"]
    flagged = desk.portout["sup_flag"]
    alice = clients("alice")
    assert (
        alice.post(
            reverse("orders:portout_expedite", args=[expedite.pk]),
            {"accept": "yes", "expected_status": "expedite_review"},
        ).status_code
        == 403
    )
    assert (
        alice.post(
            reverse("orders:portout_sup_flag", args=[flagged.pk]),
            {"action": "reject", "comment": "No.", "expected_status": flagged.status},
        ).status_code
        == 403
    )
    assert (
        alice.post(reverse("orders:pin_reveal", args=[desk.portin["draft"].pk])).status_code == 403
    )
    assert PortOrder.objects.get(pk=expedite.pk).status == "expedite_review"
    assert PortOrder.objects.get(pk=flagged.pk).sup_flag == "pending"
    assert not PinRevealAudit.objects.exists()


def test_manager_only_calls_behind_urls_staff_may_use(desk, clients, maria):
    """Staff and managers share these URLs, but some calls through them are a manager's:
    rejecting an LSR that waits for an expedite decision (portout_decide), and taking an order
    from another person or clearing their assignment (order_action "assign")."""
    from orders.models import PortOrder
    from orders.services.orders import order_assign

    expedite = desk.portout["expedite_review"]
    decide = reverse("orders:portout_decide", args=[expedite.pk])
    reject = {
        "decision": "reject",
        "expected_status": "expedite_review",
        "reason_codes": ["OTHER"],
        "text": "No.",
    }
    assert clients("alice").post(decide, reject).status_code == 403
    assert PortOrder.objects.get(pk=expedite.pk).status == "expedite_review"
    assert clients("maria").post(decide, reject).status_code == 302
    assert PortOrder.objects.get(pk=expedite.pk).status == "rejected"

    order = desk.portin["submitted"]
    order_assign(order=order, assignee=maria, by=maria)
    assign = reverse("orders:order_action", args=[order.pk, "assign"])
    for data in ({"to_me": "Assign to me"}, {"assign-assignee": ""}):
        response = clients("alice").post(assign, {"assign-expected_status": order.status, **data})
        assert response.status_code == 200  # refused: the page again with the form, as posted
        assert PortOrder.objects.get(pk=order.pk).assignee == maria
    clients("admin").post(assign, {"assign-expected_status": order.status, "assign-assignee": ""})
    assert PortOrder.objects.get(pk=order.pk).assignee is None


def test_admin_site_is_for_superusers_only(desk, clients):
    assert clients("admin").get("/admin/").status_code == 200
    for role in ("anonymous", "alice", "maria", "bob"):
        response = clients(role).get("/admin/")
        assert response.status_code == 302, role
        assert response["Location"].startswith("/admin/login/"), role


# --- the admin's CSV imports (carriers/admin_imports.py) -----------------------------------
# The admin's own URLs are left out of MATRIX above; the import pages are the admin's only
# views of our own, so they have their matrix here. Non-staff roles are sent to the admin's
# log-in page (302); within the admin, only who may add and change the model imports
# (tests/carriers/test_admin_imports.py).
ADMIN_IMPORT_MATRIX = {
    "import": {"GET": (302, 302, 200, 302), "POST": (302, 302, 200, 302)},  # 200: form errors
    "import_run": {"GET": (302, 302, 200, 302)},
    "import_status": {"GET": (302, 302, 200, 302)},
    "import_apply": {"GET": (302, 302, 405, 302), "POST": (302, 302, 302, 302)},
}
ADMIN_IMPORT_MODELS = ("carrier", "telephonenumber")


def _admin_import_names():
    admin_site = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.app_name == "admin"
    )
    return {name for name in admin_site.reverse_dict if isinstance(name, str) and "_import" in name}


def test_every_admin_import_url_is_in_the_matrix():
    listed = {
        f"carriers_{model}_{view}" for model in ADMIN_IMPORT_MODELS for view in ADMIN_IMPORT_MATRIX
    }
    assert _admin_import_names() == listed


def test_every_role_gets_what_the_admin_import_matrix_says(clients):
    from django.utils import timezone

    from carriers.models import ImportRun

    wrong = []
    for model, kind in zip(ADMIN_IMPORT_MODELS, ("carriers", "numbers"), strict=True):
        # A finished dry run whose file is gone: "apply" answers with a message, imports nothing.
        run = ImportRun.objects.create(
            kind=kind, original_name="x.csv", status="done", created_at=timezone.now()
        )
        for view, methods in ADMIN_IMPORT_MATRIX.items():
            args = [] if view == "import" else [run.pk]
            url = reverse(f"admin:carriers_{model}_{view}", args=args)
            for method, expected in methods.items():
                for role, status in zip(ROLES, expected, strict=True):
                    client = clients(role)
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    if response.status_code != status:
                        wrong.append(f"{method} {url} as {role}: {response.status_code}")
                    if status == 302 and role != "admin":
                        assert response["Location"].startswith("/admin/login/"), (url, role)
        assert not ImportRun.objects.filter(dry_run_of=run).exists()
    assert not wrong, "\n".join(wrong)


def test_anonymous_visitors_get_what_a_session_without_a_key_gets_from_the_api(desk, clients):
    """The partner API never sends anyone to the log-in page: the same statuses as for a
    desk session (401 without a key, the public schema and docs)."""
    client = clients("anonymous")
    for name in sorted(API_URLS):
        url = reverse(name, kwargs=KWARGS.get(name, lambda d: {})(desk))
        for method, statuses in MATRIX[name].items():
            response = client.get(url) if method == "GET" else client.post(url, {})
            assert response.status_code == statuses[-1], (method, name, response.status_code)
