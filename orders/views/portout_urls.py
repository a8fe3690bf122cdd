"""Port-out desk URLs, mounted at /port-out/ in the `orders` namespace (names: portout_*)."""

from django.urls import path

from . import portout as views
from . import portout_csr as csr_views
from .order_page import order_action

# The actions on a port-out order keep their own URLs; the order page's one action view runs
# them, by the registry's slug (orders.views.portout_actions).

urlpatterns = [
    path("", views.home, name="portout_home"),
    path("csr/", csr_views.csr_list, name="portout_csr_list"),
    path("csr/new/", csr_views.csr_new, name="portout_csr_new"),
    path("csr/<int:pk>/", csr_views.csr_detail, name="portout_csr_detail"),
    path("csr/<int:pk>/answer/", csr_views.csr_answer, name="portout_csr_answer"),
    path("csr/<int:pk>/reject/", csr_views.csr_reject, name="portout_csr_reject"),
    path("csr/<int:pk>/csr.csv", csr_views.csr_csv, name="portout_csr_csv"),
    path("csr/<int:pk>/print/", csr_views.csr_print, name="portout_csr_print"),
    path("lsr/new/", views.lsr_new, name="portout_lsr_new"),
    path("<int:pk>/", views.portout_detail, name="portout_detail"),
    path("<int:pk>/decide/", order_action, {"action": "decide"}, name="portout_decide"),
    path("<int:pk>/rerun/", order_action, {"action": "rerun"}, name="portout_rerun"),
    path("<int:pk>/expedite/", order_action, {"action": "expedite"}, name="portout_expedite"),
    path("<int:pk>/override/", order_action, {"action": "override"}, name="portout_override"),
    path("<int:pk>/sup/", order_action, {"action": "sup-receive"}, name="portout_sup_new"),
    path("<int:pk>/sup-flag/", order_action, {"action": "sup-flag"}, name="portout_sup_flag"),
    path("<int:pk>/npac/", order_action, {"action": "npac-event"}, name="portout_npac_event"),
    path("disputes/new/", csr_views.dispute_new, name="portout_dispute_new"),
    path("disputes/<int:pk>/", csr_views.dispute_action, name="portout_dispute_action"),
    path("npac-cancels/", views.npac_cancels, name="portout_npac_cancels"),
    path("npac-cancels/mark/", views.npac_cancels_mark, name="portout_npac_cancels_mark"),
    path("npac-cancels/export.csv", views.npac_cancels_csv, name="portout_npac_cancels_csv"),
]
