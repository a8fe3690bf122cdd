"""What the web process loads at boot (issue 21): the first request after a restart must not
pay for importing views, building the URL reverse lookups and compiling templates."""

from pathlib import Path

import pytest
from django.template import engines

from portal.warmup import warm_up

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_warm_up_compiles_the_templates_without_touching_the_database(
    django_assert_num_queries,
):
    # Forked gunicorn workers would share a connection opened in the master: none is made.
    with django_assert_num_queries(0):
        loaded = warm_up()
    assert loaded["url_patterns"] > 0
    project_templates = list((ROOT / "templates").rglob("*.html"))
    assert loaded["templates"] >= len(project_templates)


def test_the_procfile_loads_the_application_before_forking_its_workers():
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    # --preload: portal/wsgi.py (and its warm_up) runs once in the master, before it listens.
    assert "portal.wsgi" in web and "--preload" in web


def test_the_wsgi_module_warms_up_what_the_first_request_would_load():
    source = (ROOT / "portal" / "wsgi.py").read_text()
    assert "warm_up()" in source
    assert engines["django"]  # the engine the warm-up fills is the one views render with
