"""The customer's pages, reached by a signed link without an account (issue 19)."""

urlpatterns: list = []
