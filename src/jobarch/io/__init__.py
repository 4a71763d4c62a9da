"""The architecture in and out: exports, importers that write curators' Turtle, fmt, diff, synth."""
