"""`python -m minihelm` -> the console script's entry point (launch.py)."""

from .launch import main

main()
