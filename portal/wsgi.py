import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# What the first request would load (views, templates), loaded at boot instead; with
# gunicorn's --preload (the Procfile) once, in the master, before it listens and forks.
from portal.warmup import warm_up  # noqa: E402

warm_up()
