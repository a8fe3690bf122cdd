from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "carriers"
    verbose_name = "Carriers and numbers"

    def ready(self):
        from . import lookups  # noqa: F401 - registers CharField's __any_of
