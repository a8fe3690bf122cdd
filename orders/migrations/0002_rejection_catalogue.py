"""The rejection-reason catalogue: rule-based codes (R2-R16) and everyday losing-carrier codes."""

from django.db import migrations

# (code, title, instructions, applies_to, rule)
REASONS = [
    (
        "R2",
        "TN not served by us in NPAC",
        "Confirm the current provider in NPAC before sending a CSR or LSR request: every TN must "
        "show one of our SPIDs.",
        "out",
        "R2",
    ),
    (
        "R3",
        "Resale: request the CSR from the underlying carrier",
        "This TN is served by another carrier's SPID and resold by us: request the CSR from the "
        "named carrier's CSR contact.",
        "out",
        "R3",
    ),
    (
        "R4",
        "End-user authorization not indicated",
        "Indicate on the request that you hold the end user's authorization, then resend it.",
        "out",
        "R4",
    ),
    (
        "R5",
        "LOA required from a third party",
        "Agents, consultants and vendors must attach the end user's signed LOA to a CSR request.",
        "out",
        "R5",
    ),
    (
        "R6",
        "Authorization disputed",
        "Provide evidence of the end user's authorization as requested.",
        "out",
        "R6",
    ),
    (
        "R8",
        "Expedite refused",
        "The expedite was refused; the FOC follows the published interval.",
        "out",
        "R8",
    ),
    (
        "R9",
        "Due date more than 30 days out",
        "Send a new LSR with a due date within 30 calendar days of receipt.",
        "out",
        "R9",
    ),
    (
        "R10",
        "Supplement cannot keep the due date",
        "The supplement came too late for the requested date; a new FOC is issued.",
        "out",
        "R10",
    ),
    (
        "R11",
        "FOC expired without port",
        "The port was not activated within the port window after the FOC; send a new LSR.",
        "out",
        "R11",
    ),
    (
        "R12",
        "Too many due-date supplements",
        "Send a new LSR when you have a firm due date.",
        "out",
        "R12",
    ),
    (
        "R13",
        "Partial port not identified",
        "Identify a partial port with MI = A or a clear partial-port remark, and list the TNs to "
        "disconnect.",
        "out",
        "R13",
    ),
    (
        "R14",
        "Reuse of facilities needs REQTYPE BB with ACT V or Z",
        "Send loop-with-port (BB) requests with ACT V or Z.",
        "out",
        "R14",
    ),
    (
        "R15",
        "TN not working",
        "Only working TNs port; remove non-working or disconnected TNs from the LSR.",
        "out",
        "R15",
    ),
    (
        "R16",
        "Required LSR field missing",
        "Complete every OBF-required field (PON, VER, REQTYPE, ACT, due date, TNs, account data, "
        "authorization indicator) and resend.",
        "out",
        "R16",
    ),
    (
        "ACCT",
        "Account number mismatch",
        "Send the account number exactly as it appears on a recent bill from your current carrier.",
        "in",
        "",
    ),
    (
        "AUTHNM",
        "Authorized name mismatch",
        "The authorized person must match the name on the account; send the name on file or a "
        "new LOA signed by that person.",
        "in",
        "",
    ),
    (
        "BTN",
        "BTN/ATN mismatch",
        "Send the billing telephone number exactly as it appears on the bill.",
        "in",
        "",
    ),
    (
        "BUSNM",
        "Business name mismatch",
        "Send the business or account name exactly as on the bill.",
        "in",
        "",
    ),
    (
        "ADDR",
        "Service address mismatch",
        "Send the service address exactly as your current carrier has it (see a recent bill).",
        "in",
        "",
    ),
    ("ZIP", "ZIP code mismatch", "Send the ZIP code of the service address on file.", "in", ""),
    (
        "PIN",
        "PIN/passcode mismatch",
        "Ask your current carrier for the port-out PIN or passcode and send it to us.",
        "in",
        "",
    ),
    (
        "PENDLSR",
        "Pending LSR on the account",
        "Another order is pending on these numbers; cancel it with your current carrier or wait "
        "for it to complete.",
        "in",
        "",
    ),
    (
        "NOTPORT",
        "Number not portable",
        "This number cannot be ported to us from its current carrier or rate center.",
        "in",
        "",
    ),
    (
        "FOCEXP",
        "FOC expired",
        "The FOC date passed without activation; we will request a new date.",
        "in",
        "",
    ),
    (
        "NPACCONF",
        "NPAC conflict",
        "The losing carrier put the subscription in conflict; we are resolving it with them.",
        "in",
        "",
    ),
    (
        "UNRESP",
        "Losing carrier unresponsive",
        "The losing carrier has not answered; we are escalating.",
        "in",
        "",
    ),
    ("OTHER", "Other", "See the details in the message.", "both", ""),
]


def install(apps, schema_editor):
    RejectionReason = apps.get_model("orders", "RejectionReason")
    for code, title, instructions, applies_to, rule in REASONS:
        RejectionReason.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "instructions": instructions,
                "applies_to": applies_to,
                "rule": rule,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("orders", "RejectionReason").objects.filter(
        code__in=[r[0] for r in REASONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
