from .activity import Comment, Document, StatusChange, StatusCheck
from .dashboard import DashboardSummary
from .findings import FindingOverride
from .inventory import InventoryChange, OpenTnClaim
from .jobs import DigestLog, OutboundEmail
from .numbers import OrderNumber
from .order import Direction, PortOrder, Status
from .portin import PinRevealAudit, PortInCsr
from .portout import AuthorizationDispute, CsrRequest, NpacCancelRecord, NpacEvent, Supplement
from .rejection import Rejection, RejectionReason
from .versions import LsrVersion

__all__ = [
    "AuthorizationDispute",
    "Comment",
    "CsrRequest",
    "DashboardSummary",
    "DigestLog",
    "Direction",
    "Document",
    "FindingOverride",
    "InventoryChange",
    "LsrVersion",
    "NpacCancelRecord",
    "NpacEvent",
    "OpenTnClaim",
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
