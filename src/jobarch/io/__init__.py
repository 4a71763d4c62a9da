"""The architecture in and out: exports other systems accept, importers that write curators' Turtle, fmt, diff, synth."""
