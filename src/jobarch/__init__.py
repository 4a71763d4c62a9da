"""jobarch: a knowledge-graph engine for job architectures.

The package is layered (see ARCHITECTURE.md): a small ``core``, then
``graph``, ``reasoning``, ``store``, ``query``, ``validation``, ``domain``,
``io`` and ``present``, with :mod:`jobarch.api` as the one facade the CLI and
the web server call.
"""

from .api import open_architecture, profile, profile_page
from .core.errors import JobarchError, Location
from .core.version import __version__
from .graph.architecture import Architecture, load

__all__ = [
    "Architecture",
    "JobarchError",
    "Location",
    "__version__",
    "load",
    "open_architecture",
    "profile",
    "profile_page",
]
