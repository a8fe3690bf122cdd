"""The navbar's Queues menu, built from the queue registry (orders.queues.registry)."""

from django import template

from orders.queues.registry import queues_by_desk, visible_queues

register = template.Library()


@register.inclusion_tag("queues/_nav.html", takes_context=True)
def queue_nav_menu(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"groups": []}
    visible = {queue.slug for queue in visible_queues(user)}
    groups = []
    for desk, queues in queues_by_desk():
        shown = [queue for queue in queues if queue.slug in visible]
        if shown:
            groups.append((desk, shown))
    return {"groups": groups}
