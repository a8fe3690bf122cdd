from .activity import Comment, Document, StatusChange, StatusCheck
from .customer import CustomerLink, CustomerLinkEvent, CustomerResubmission, LoaSignature
from .dashboard import DashboardSummary
from .events import OrderEvent
from .findings import FindingOverride
from .inventory import InventoryChange, OpenTnClaim
from .jobs import DigestLog, OutboundEmail
from .numbers import OrderNumber
from .order import PortOrder
from .portin import PinRevealAudit, PortInCsr
from .portout import AuthorizationDispute, CsrRequest, NpacCancelRecord, NpacEvent, Supplement
from .rejection import Rejection, RejectionReason
from .statuses import Direction, Status
from .versions import LsrVersion

__all__ = [
    "AuthorizationDispute",
    "Comment",
    "CsrRequest",
    "CustomerLink",
    "CustomerLinkEvent",
    "CustomerResubmission",
    "DashboardSummary",
    "DigestLog",
    "Direction",
    "Document",
    "FindingOverride",
    "InventoryChange",
    "LoaSignature",
    "LsrVersion",
    "NpacCancelRecord",
    "NpacEvent",
    "OpenTnClaim",
    "OrderEvent",
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
