"""jobarch: a knowledge-graph engine for job architectures."""
from .api import open_architecture, profile, profile_page
from .errors import JobarchError, Location
from .load import Architecture, load

__version__ = "0.1.0"
__all__ = ["open_architecture", "profile", "profile_page", "load", "Architecture", "JobarchError", "Location", "__version__"]
