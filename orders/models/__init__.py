from .activity import Comment, Document, StatusChange, StatusCheck
from .order import Direction, OrderNumber, PortOrder, Status
from .portin import PinRevealAudit, PortInCsr
from .portout import AuthorizationDispute, CsrRequest, NpacCancelRecord, Supplement
from .rejection import Rejection, RejectionReason

__all__ = [
    "AuthorizationDispute",
    "Comment",
    "CsrRequest",
    "Direction",
    "Document",
    "NpacCancelRecord",
    "OrderNumber",
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
