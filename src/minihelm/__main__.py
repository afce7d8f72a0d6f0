"""`python -m minihelm` -> the console script's entry point (launch.py)."""

from .cli.launch import main

main()
