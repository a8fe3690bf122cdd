"""No inline script, inline style or inline event handler on any page the desk renders, so the
strict Content-Security-Policy (`SECURE_CSP`: script-src 'self' + nonce, style-src 'self')
never has to block anything. The browser test (tests/browser/test_csp.py) checks the same in
Chromium; this one covers every page, quickly, on the HTML the server sends."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from orders.queues.registry import QUEUES

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"""<[a-z][^>]*\sstyle\s*=\s*["']""", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b", re.IGNORECASE)
HANDLER_ATTR = re.compile(r"""<[a-z][^>]*\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def inline_violations(html: str) -> list[str]:
    problems = []
    for match in SCRIPT_TAG.finditer(html):
        attrs = match.group(1)
        is_data = re.search(r"""type\s*=\s*["']application/(ld\+)?json["']""", attrs, re.I)
        if "src=" not in attrs.lower() and not is_data:
            problems.append(f"inline <script>: {match.group(0)}")
        elif "src=" in attrs.lower() and "nonce=" not in attrs.lower():
            problems.append(f"<script src> without the nonce: {match.group(0)}")
    problems += [f"style attribute: {m.group(0)[:120]}" for m in STYLE_ATTR.finditer(html)]
    problems += [f"<style> element: {m.group(0)}" for m in STYLE_TAG.finditer(html)]
    problems += [f"inline handler: {m.group(0)[:120]}" for m in HANDLER_ATTR.finditer(html)]
    problems += [f"javascript: URL: {m.group(0)}" for m in JS_URL.finditer(html)]
    return problems


def portal_pages(desk) -> list[str]:
    """Every page the desk renders for a GET, with real objects behind each detail page."""
    urls = [
        reverse("dashboard"),
        reverse("orders:order_list"),
        reverse("orders:portin_new"),
        reverse("orders:queue_index"),
        reverse("orders:portout_home"),
        reverse("orders:portout_csr_list"),
        reverse("orders:portout_csr_new"),
        reverse("orders:portout_lsr_new"),
        reverse("orders:portout_npac_cancels"),
        reverse("orders:portout_csr_detail", args=[desk.csr_open.pk]),
        reverse("orders:portout_csr_detail", args=[desk.csr_answered.pk]),
        reverse("orders:portout_csr_print", args=[desk.csr_answered.pk]),
        reverse("orders:portout_sup_new", args=[desk.portout["foc_sent"].pk]),
        reverse("carriers:list"),
        reverse("carriers:detail", args=[desk.portout["received"].new_carrier_id]),
    ]
    urls += [reverse("orders:queue", args=[queue.slug]) for queue in QUEUES]
    urls += [
        reverse("orders:order_detail", args=[order.pk])
        for order in [*desk.portin.values(), *desk.portout.values()]
    ]
    return urls


@pytest.fixture
def manager_client(maria):
    client = Client()
    client.force_login(maria)
    return client


def test_every_portal_page_has_no_inline_script_style_or_handler(desk, manager_client):
    checked = 0
    failures = {}
    for url in portal_pages(desk):
        response = manager_client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        problems = inline_violations(html)
        if problems:
            failures[url] = problems[:5]
        checked += 1
    assert not failures, failures
    assert checked > 30


def test_pages_for_anonymous_visitors_and_errors_are_clean_too(desk, client, alice, settings):
    settings.DEBUG = False
    pages = [client.get(reverse("login"))]
    client.force_login(alice)
    pages.append(client.get("/orders/999999/"))  # 404 page
    pages.append(client.post(reverse("orders:pin_reveal", args=[desk.portin["draft"].pk])))  # 403
    for response in pages:
        assert not inline_violations(response.content.decode()), response.status_code
    from django.template.loader import render_to_string

    for name in ("500.html", "503.html"):
        assert not inline_violations(render_to_string(name)), name


def test_the_policy_header_is_strict_and_carries_the_page_nonce(desk, manager_client):
    response = manager_client.get(reverse("dashboard"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = SCRIPT_TAG.findall(response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in attrs for attrs in scripts)


def test_templates_on_disk_have_no_inline_script_or_style():
    """The source check: it also covers templates no test above happens to render."""
    problems = {}
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if path.parts[-2] == "emails":
            continue  # emails are not web pages: mail clients need inline styles, if any
        text = path.read_text()
        found = inline_violations(text.replace("{{ csp_nonce }}", "x"))
        if found:
            problems[str(path.relative_to(settings.BASE_DIR))] = found[:3]
    assert not problems, problems
