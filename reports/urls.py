from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_page, name="index"),
    path("csv/<slug:slug>/", views.report_csv, name="csv"),
    path("carriers/<int:pk>/", views.scorecard_page, name="scorecard"),
    path("carriers/<int:pk>/csv/<slug:slug>/", views.scorecard_csv, name="scorecard_csv"),
]
