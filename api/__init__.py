"""The partner API (/api/v1/, django-ninja) and the signed webhooks it sends (issue 18)."""
