"""Names and texts for realistic-looking rows: customers, carriers, number blocks, comments
and the reasons written on history rows."""

# --- names for realistic-looking rows -----------------------------------------------------
ADJECTIVES = [
    "Acme", "Blue Harbor", "Cedar", "Summit", "Evergreen", "Granite", "Lakeside", "Northwind",
    "Pioneer", "Redwood", "Silverline", "Sunrise", "Twin Rivers", "Valley", "Westgate",
    "Maple", "Ironwood", "Coastal", "Prairie", "Highland", "Riverbend", "Golden Gate",
]  # fmt: skip
NOUNS = [
    "Dental", "Logistics", "Bakery", "Realty", "Law Group", "Auto Repair", "Insurance",
    "Clinic", "Builders", "Hardware", "Veterinary", "Accounting", "Printing", "Florist",
    "Plumbing", "Consulting", "Fitness", "Pharmacy", "Motors", "Hotel", "School District",
]  # fmt: skip
SUFFIXES = ["Inc.", "LLC", "Corp.", "Co.", "Group", "Partners", "Ltd."]
FIRST = [
    "Pat", "Jordan", "Alex", "Sam", "Chris", "Taylor", "Morgan", "Jamie", "Casey", "Robin",
    "Lee", "Dana", "Avery", "Quinn", "Riley", "Drew", "Kim", "Jesse", "Sky", "Reese",
]  # fmt: skip
LAST = [
    "Smith", "Garcia", "Nguyen", "Johnson", "Patel", "Kim", "Brown", "Lopez", "Miller",
    "Davis", "Wilson", "Martinez", "Anderson", "Thomas", "Moore", "Jackson", "Lee", "Clark",
]  # fmt: skip
STREETS = [
    "Main Street", "Oak Avenue", "Pine Street", "Maple Drive", "Cedar Lane", "Elm Street",
    "Washington Blvd", "Lake Road", "Hill Street", "Park Avenue", "Broadway", "Market Street",
]  # fmt: skip
CITIES = [
    ("Portland", "OR", "972"), ("Seattle", "WA", "981"), ("Spokane", "WA", "992"),
    ("Boise", "ID", "837"), ("Sacramento", "CA", "958"), ("Fresno", "CA", "937"),
    ("Reno", "NV", "895"), ("Salem", "OR", "973"), ("Eugene", "OR", "974"),
    ("Tacoma", "WA", "984"), ("Medford", "OR", "975"), ("Bend", "OR", "977"),
]  # fmt: skip
# Geographic NPAs used for the inventory (none toll-free).
NPAS = [
    "503", "971", "541", "458", "206", "253", "360", "425", "509", "564", "208", "986",
    "916", "279", "530", "559", "209", "775", "702", "725", "415", "628", "510", "341",
    "408", "669", "650", "707", "831", "925", "619", "858", "760", "442", "949", "714",
    "657", "562", "213", "323", "310", "424", "818", "747", "626", "909", "951", "805",
]  # fmt: skip
TOLL_FREE_NPAS = ["800", "833", "844", "855", "866", "877", "888"]
STAFF_COMMENTS = [
    "Called the customer to confirm the service address.",
    "Customer confirmed the authorized person on the account.",
    "Losing carrier says the order is in their queue.",
    "Asked the customer for a recent bill copy.",
    "Checked NPAC: subscription version pending.",
    "Left a voicemail for the customer's IT contact.",
    "Customer wants the port after business hours.",
    "Verified the BTN against the CSR.",
    "Escalated to the losing carrier's LSR contact.",
    "Updated the requested due date at the customer's request.",
]
CHECK_OUTCOMES = [
    "No response yet from the losing carrier; will check again.",
    "Losing carrier confirms the LSR is being worked.",
    "Losing carrier expects an FOC within two business days.",
    "Portal of the losing carrier shows the order in review.",
]
LOAD_CARRIERS = [
    # (name, kind, supports_csr, route, tz)
    ("Pacific Bell Telephone (load)", "ilec", True, "direct", "America/Los_Angeles"),
    ("Mountain States Telco (load)", "ilec", True, "direct", "America/Denver"),
    ("Northwest Exchange Carrier (load)", "ilec", True, "direct", "America/Los_Angeles"),
    ("Great Plains Telephone (load)", "ilec", True, "local_peer", "America/Chicago"),
    ("Lakeshore Telephone Co (load)", "ilec", False, "direct", "America/Chicago"),
    ("Atlantic Bell (load)", "ilec", True, "direct", "America/New_York"),
    ("Southern Exchange (load)", "ilec", True, "direct", "America/New_York"),
    ("Metro Fiber CLEC (load)", "clec", True, "direct", "America/Los_Angeles"),
    ("Keystone Networks (load)", "clec", True, "direct", "America/New_York"),
    ("Sierra Connect (load)", "clec", True, "direct", "America/Los_Angeles"),
    ("Harbor Communications (load)", "clec", False, "direct", "America/Los_Angeles"),
    ("Prairie Link CLEC (load)", "clec", True, "local_peer", "America/Chicago"),
    ("Capitol Telecom (load)", "clec", True, "direct", "America/New_York"),
    ("Desert Lines (load)", "clec", True, "direct", "America/Phoenix"),
    ("Rocky Ridge Telecom (load)", "clec", True, "direct", "America/Denver"),
    ("Evergreen Wireless (load)", "wireless", True, "direct", "America/Los_Angeles"),
    ("Continental Mobile (load)", "wireless", True, "direct", "America/Chicago"),
    ("Nationwide Cellular (load)", "wireless", True, "direct", "America/New_York"),
    ("Bluewave Mobile (load)", "wireless", False, "direct", "America/Los_Angeles"),
    ("Summit Wireless (load)", "wireless", True, "direct", "America/Denver"),
    ("CloudVoice (load)", "voip", True, "direct", "America/Los_Angeles"),
    ("NetTalk Systems (load)", "voip", False, "direct", "America/New_York"),
    ("VoxPath (load)", "voip", True, "direct", "America/Chicago"),
    ("SIPstream (load)", "voip", True, "direct", "America/Los_Angeles"),
    ("Brightwire VoIP (load)", "voip", True, "direct", "America/Denver"),
    ("Cascade Cable (load)", "cable", True, "direct", "America/Los_Angeles"),
    ("Valley Cablevision (load)", "cable", True, "direct", "America/Los_Angeles"),
    ("Riverside Cable (load)", "cable", False, "direct", "America/Chicago"),
    ("Tower Plaza Shared Tenant (load)", "shared_tenant", True, "direct", "America/Chicago"),
    ("Campus Telecom Services (load)", "shared_tenant", True, "direct", "America/New_York"),
    ("Discount Dial Reseller (load)", "reseller", True, "direct", "America/Los_Angeles"),
    ("Value Phone Resale (load)", "reseller", True, "direct", "America/Chicago"),
    ("Tollfree Direct RespOrg (load)", "resporg", False, "somos", "America/New_York"),
    ("800 Connect RespOrg (load)", "resporg", False, "somos", "America/Chicago"),
    ("Porting Partners Agency (load)", "third_party", False, "direct", "America/New_York"),
    ("Telecom Consulting Group (load)", "third_party", False, "direct", "America/Chicago"),
    ("Interconnect Peer West (load)", "clec", True, "direct", "America/Los_Angeles"),
    ("Interconnect Peer Central (load)", "clec", True, "direct", "America/Chicago"),
    ("Frontier Range Telephone (load)", "ilec", True, "direct", "America/Denver"),
    ("Coastal Telephone Coop (load)", "ilec", False, "direct", "America/Los_Angeles"),
]
OUR_CARRIER_NAME = "Cascade Telecom"
LINE_TYPES = ["pots"] * 6 + ["voip"] * 3 + ["centrex", "isdn_bri", "pri", "wireless"]
FEATURES = ["", "", "Caller ID", "Caller ID, Voicemail", "Hunt group", "Call forwarding"]
PORT_IN_EMAILS = {
    "rejected": "Email sent to the customer: rejection with reasons and instructions.",
    "accepted": "Email sent to the customer: FOC confirmation.",
    "completed": "Email sent to the customer: port completed.",
    "cancelled": "Email sent to the customer: order cancelled.",
}
HISTORY_REASONS = {
    ("draft", "submitted"): "LSR sent to the losing carrier.",
    ("submitted", "accepted"): "FOC received.",
    ("submitted", "exception"): "Losing carrier returned a reject.",
    ("exception", "submitted"): "Fixed and resent.",
    ("exception", "rejected"): "Returned to the customer.",
    ("rejected", "review"): "Customer resubmitted changes.",
    ("review", "submitted"): "Resent to the losing carrier.",
    ("accepted", "completed"): "All TNs activated.",
    ("accepted", "submitted"): "SUP 2: new due date requested.",
    ("rejected", "cancelled"): "No activity for 45 days after the customer was notified (F4).",
    ("received", "foc_sent"): "FOC returned.",
    ("received", "expedite_review"): "Expedite requested.",
    ("expedite_review", "foc_sent"): "Expedite accepted.",
    ("received", "rejected"): "LSR rejected.",
    ("foc_sent", "completed"): "NPAC activation of every TN.",
    ("foc_sent", "cancelled"): "Cancelled.",
    ("received", "cancelled"): "SUP 1 received.",
}
