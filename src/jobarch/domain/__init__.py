"""The architecture as people ask about it: profiles, adjacency and career paths, comparisons, statistics.

Everything here reads the store through SPARQL (``queries/internal``), so it
works the same on every backend.
"""
