"""`make run`'s last word: wait until the web server answers, then print the URL and the demo
logins, so they are the last thing on screen rather than scrolled away by the processes'
start-up output. Then wait quietly: honcho stops every process when one of them ends."""

import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from portal.management.commands.seed_demo import DEMO_USERS


class Command(BaseCommand):
    help = "Wait for the web server, print the portal's URL and the demo logins, then idle."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--timeout", type=float, default=120, help="seconds to wait")
        parser.add_argument("--no-wait", action="store_true", help="print and end (tests)")

    def handle(self, *args, host, port, timeout, no_wait, **options):
        base = f"http://{host}:{port}"
        if not no_wait and not _answers(base + reverse("login"), timeout):
            self.stderr.write(
                f"The web server did not answer on {base}/ within {timeout:.0f} s: "
                "see the web.1 lines above."
            )
        else:
            self.stdout.write(self.banner(base))
        sys.stdout.flush()
        if not no_wait:
            _idle()

    def banner(self, base: str) -> str:
        width = max(len(username) + len(password) for username, password, *_ in DEMO_USERS)
        logins = [
            f"{username} / {password}".ljust(width + 5) + f"({(group or 'administrator').lower()})"
            for username, password, _first, _last, group in DEMO_USERS
        ]
        lines = [
            "",
            "=" * 72,
            f"  Porting desk portal: {base}/",
            "",
            "  Demo logins:  " + logins[0],
            *("                " + login for login in logins[1:]),
            "",
            *_mail_lines(base),
            "  Ctrl-C stops the web server and the worker.",
            "=" * 72,
            "",
        ]
        return "\n".join(lines)


def _mail_lines(base: str) -> list[str]:
    """Where development mail went (no mail server: files, see settings.MAILERS)."""
    options = settings.MAILERS["default"].get("OPTIONS", {})
    if "file_path" not in options:
        return []
    folder = Path(options["file_path"])
    if folder.is_relative_to(Path.cwd()):
        folder = folder.relative_to(Path.cwd())
    return [
        "  Emails are not sent: read them in the admin's Sent mail",
        f"  ({base}{reverse('admin:orders_outboundemail_changelist')}) or in {folder}/.",
        "",
    ]


def _answers(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return True
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def _idle() -> None:
    # Ctrl-C reaches every process of the terminal: end quietly, without a traceback.
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Event().wait()
