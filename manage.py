#!/usr/bin/env python
import os
import sys

# Checked before Django is imported, so an old interpreter gets a message, not a traceback.
if sys.version_info < (3, 12):  # noqa: UP036
    sys.exit(
        f"The portal needs Python 3.12 or newer (Django 6.1); this is {sys.version.split()[0]}. "
        "Use the interpreter named in .python-version (pyenv: 3.13.0)."
    )


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
