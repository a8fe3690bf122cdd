"""Signed webhooks (issue 18): what is sent (payload.py), how it is signed (signing.py), how it
is POSTed (http.py), the jobs that owe deliveries (fanout.py) and send them (delivery.py), and
their admin (admin.py)."""
