from .accounts import (
    STATE_VALIDATOR,
    ZIP_VALIDATOR,
    CustomerAccount,
    EndUserFields,
    PortOutLockChange,
    TelephoneNumber,
)
from .directory import (
    PEER_NOT_ALLOWED,
    PEER_REQUIRED,
    PEER_SELF,
    SPID,
    SPID_VALIDATOR,
    TN_VALIDATOR,
    Carrier,
    Contact,
    IntervalGuideline,
    NonBusinessDay,
    validate_time_zone,
)
from .imports import ImportRun

__all__ = [
    "PEER_NOT_ALLOWED",
    "PEER_REQUIRED",
    "PEER_SELF",
    "SPID",
    "SPID_VALIDATOR",
    "STATE_VALIDATOR",
    "TN_VALIDATOR",
    "ZIP_VALIDATOR",
    "Carrier",
    "Contact",
    "CustomerAccount",
    "EndUserFields",
    "ImportRun",
    "IntervalGuideline",
    "NonBusinessDay",
    "PortOutLockChange",
    "TelephoneNumber",
    "validate_time_zone",
]
