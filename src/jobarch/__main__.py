"""python -m jobarch: the jobarch command."""

from .cli import main

main()
