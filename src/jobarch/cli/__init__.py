"""The ``jobarch`` command: it parses arguments and calls :mod:`jobarch.api`; nothing else.

Commands live in this package by concern (read, curate, exchange, web), each
adding itself to the one group of :mod:`jobarch.cli.base`.
"""

from . import curate, exchange, read, web  # noqa: F401  (each module adds its commands to main)
from .base import main

__all__ = ["main"]
