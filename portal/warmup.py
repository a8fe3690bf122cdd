"""What the web process loads at boot, so that the first request after a restart does not
(issue 21: 0.35-2.0 s for a first request before).

`portal/wsgi.py` calls `warm_up()` once the application is built. With gunicorn's `--preload`
(the Procfile) that happens once in the master, before it listens and forks: every worker
starts with the URL conf and every view module imported and the project's templates compiled
(Django's cached template loader keeps them), and the forked workers share those pages of
memory. Nothing here touches the database: a connection opened in the master would be shared
by the forked workers; each worker connects on its first request.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.template import TemplateDoesNotExist, TemplateSyntaxError

log = logging.getLogger(__name__)


def _templates_under(root: Path) -> list[str]:
    return [str(path.relative_to(root)) for path in sorted(root.rglob("*.html"))]


def _compile(engine, names) -> int:
    loaded = 0
    for name in names:
        try:
            engine.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):  # pragma: no cover
            log.warning("warm-up: template %s not loaded", name)
            continue
        loaded += 1
    return loaded


def _populate(resolver) -> int:
    """Build the reverse lookups of a resolver and of every included one: done lazily, the
    first reverse() of a process costs 160 ms (measured on the order page)."""
    from django.urls import URLResolver

    _ = resolver.reverse_dict, resolver.namespace_dict, resolver.app_dict
    return 1 + sum(_populate(p) for p in resolver.url_patterns if isinstance(p, URLResolver))


def warm_up() -> dict:
    """Import every view (through the URL conf), build the URL reverse lookups, compile every
    template (the project's, the apps', the form widgets'); returns what it loaded and how long
    it took."""
    t0 = time.perf_counter()
    from django.conf import settings
    from django.forms.renderers import get_default_renderer
    from django.template import engines
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver

    # Resolving the URL conf imports every view module and what they import (forms,
    # services, django-filter, crispy, the Jinja row template of orders/tables.py).
    resolver = get_resolver()
    patterns = len(resolver.url_patterns)
    resolvers = _populate(resolver)
    engine = engines["django"]
    names: list[str] = []
    for directory in [*settings.TEMPLATES[0].get("DIRS", []), *get_app_template_dirs("templates")]:
        names += _templates_under(Path(directory))
    loaded = _compile(engine, dict.fromkeys(names))
    # Form widgets are rendered by the form renderer's own engine (crispy's fields too).
    renderer = get_default_renderer()
    widget_engine = getattr(renderer, "engine", None)
    if widget_engine is not None:
        widgets = [
            name
            for directory in get_app_template_dirs("templates")
            for name in _templates_under(Path(directory))
            if name.startswith("django/forms/")
        ]
        loaded += _compile(widget_engine, widgets)
    # Whatever may have opened a connection must not hand it to forked workers.
    from django.db import connections

    connections.close_all()
    seconds = round(time.perf_counter() - t0, 3)
    log.info(
        "warm-up: %d URL patterns (%d resolvers), %d templates in %.3f s",
        patterns,
        resolvers,
        loaded,
        seconds,
    )
    return {"url_patterns": patterns, "templates": loaded, "seconds": seconds}
