#!/usr/bin/env python
import os
import sys


def main():
    if sys.version_info < (3, 12):
        sys.exit(
            f"Ouderportaal needs Python 3.12 or newer (Django 6.1); this is {sys.version.split()[0]}."
            " Run it through .venv/bin/python (make setup creates it)."
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
