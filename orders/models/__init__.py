from .activity import Comment, Document, StatusChange, StatusCheck
from .jobs import DigestLog, OutboundEmail
from .order import Direction, OrderNumber, PortOrder, Status
from .portin import PinRevealAudit, PortInCsr
from .portout import AuthorizationDispute, CsrRequest, NpacCancelRecord, NpacEvent, Supplement
from .rejection import Rejection, RejectionReason

__all__ = [
    "AuthorizationDispute",
    "Comment",
    "CsrRequest",
    "DigestLog",
    "Direction",
    "Document",
    "NpacCancelRecord",
    "NpacEvent",
    "OrderNumber",
    "OutboundEmail",
    "PinRevealAudit",
    "PortInCsr",
    "PortOrder",
    "Rejection",
    "RejectionReason",
    "Status",
    "StatusChange",
    "StatusCheck",
    "Supplement",
]
