from django.urls import path

from . import account_views, views

app_name = "carriers"
urlpatterns = [
    path("", views.carrier_list, name="list"),
    path("<int:pk>/", views.carrier_detail, name="detail"),
    # R19: our customers' accounts (the port-out lock, the holder's contact email).
    path("accounts/<int:pk>/", account_views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/lock/", account_views.account_lock, name="account_lock"),
    path("accounts/<int:pk>/contact/", account_views.account_contact, name="account_contact"),
    path(
        "accounts/no-contact-email/",
        account_views.accounts_without_contact,
        name="accounts_no_contact",
    ),
]
