"""`jobarch serve`: the architecture in the browser and a read-only SPARQL endpoint, over :mod:`jobarch.api`."""
