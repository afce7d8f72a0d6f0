"""`python -m minihelm.cli` -> the console entry point."""

from . import main

main()
