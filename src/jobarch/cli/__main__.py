"""python -m jobarch.cli: the jobarch command."""

from . import main

main()
