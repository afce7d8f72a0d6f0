"""`python -m minihelm.cli` -> the console entry point."""

from .main import main

main()
