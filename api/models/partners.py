from django.db import models
from django.db.models import Q

from orders.models import Direction, PortOrder


class Partner(models.Model):
    """Who calls the API: a trading-partner carrier (it submits LSRs to our port-out desk) or
    one of our own systems (it creates port-ins for our customers)."""

    class Kind(models.TextChoices):
        TRADING_PARTNER = "trading_partner", "Trading-partner carrier"
        OUR_SYSTEM = "our_system", "One of our systems"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    carrier = models.ForeignKey(
        "carriers.Carrier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_partners",
        help_text="The trading partner's carrier: its LSRs are the port-outs it may see.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="our_system") | Q(carrier__isnull=False),
                name="api_trading_partner_has_carrier",
            )
        ]

    def __str__(self):
        return self.name

    def _visible_sources(self) -> list[Q]:
        mine = [Q(api_link__partner=self)]
        if self.kind == self.Kind.TRADING_PARTNER and self.carrier_id:
            mine.append(Q(direction=Direction.PORT_OUT, new_carrier_id=self.carrier_id))
        return mine

    def visible_orders(self):
        """The orders this partner may read: those it created or submitted through the API,
        and, for a trading partner, every port-out its carrier requested (LSRs it sent by
        email and the desk keyed in are its orders too)."""
        mine = Q()
        for source in self._visible_sources():
            mine |= source
        return PortOrder.objects.filter(mine)

    def visible_order_branches(self):
        """`visible_orders()` as one queryset per source, for reading a page in id order
        (the API's order list, as `api.events` reads the feed): each branch gets a plan of
        its own (the partner's links, its carrier's port-outs) and stops at the page size,
        where one OR across the join gives PostgreSQL a single plan for both shapes. The
        branches may overlap (an LSR sent through the API is in both); callers merge them
        by id."""
        return [PortOrder.objects.filter(source) for source in self._visible_sources()]


class PartnerOrder(models.Model):
    """An order a partner created (port-in) or submitted (port-out LSR) through the API."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="order_links")
    order = models.OneToOneField(PortOrder, on_delete=models.CASCADE, related_name="api_link")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["partner", "order"])]

    def __str__(self):
        return f"{self.partner} - {self.order_id}"
