from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("carriers/", include("carriers.urls")),
    path("", include("orders.urls")),
    path("api/v1/", include("api.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
