from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from api.api import api


def _api_urls():
    # Partners authenticate with their API key, not a desk login: LoginRequiredMiddleware
    # must let every API view (and the public schema and docs) through.
    patterns, ninja_app, ninja_namespace = api.urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return include((patterns, ninja_app), namespace=ninja_namespace)


urlpatterns = [path("", _api_urls())]
