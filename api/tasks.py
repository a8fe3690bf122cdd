"""django-q2 tasks of the partner API: thin entry points over the webhook services, run with
the current time. Their schedules are declared by name in `orders.tasks.JOBS` (orders cannot
import api) and made by `manage.py setup_schedules`."""

from django.utils import timezone

from api.webhooks import delivery, fanout


def webhooks_fan_out() -> dict:
    return fanout.webhooks_fan_out(now=timezone.now())


def webhooks_deliver() -> dict:
    return delivery.webhooks_deliver(now=timezone.now())
