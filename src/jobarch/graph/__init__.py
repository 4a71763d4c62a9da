"""RDF files as graphs: finding and parsing files, where each node is written, writing canonical Turtle.

This layer turns curators' files into triples (and back) and knows their
lines; it knows nothing of stores, queries or profiles.
"""
