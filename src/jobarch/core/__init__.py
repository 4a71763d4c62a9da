"""The small core every layer stands on: errors, configuration, bundled resources, namespaces, safe file I/O, git.

Nothing here knows about RDF stores, queries or pages; everything else may
import from here.
"""
