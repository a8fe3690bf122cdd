"""The work queues (selectors): each queue is declared once, as a `Queue` entry, and its
queryset, capped count, page of rows and CSV are built from that declaration.

    base.py       QueueContext, the Queue declaration and what it builds, rows, capped counts
    rows.py       the kinds of row: their shape (joins, fields), filter panel, permissions
    columns.py    the cells a queue row shows (rendered by orders/tables.py)
    portin.py     the port-in desk's queues
    portout.py    the port-out desk's queues and the managers' port-out risk queue
    registry.py   everyone's queues, the rejection review, QUEUES and lookups
    dashboard.py  the dashboard's counts, figures and lists

Import what you use from the module that defines it.
"""
