"""Entry point for ``python -m cctrack``."""

from cctrack.cli import main

main()
