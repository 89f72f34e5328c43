"""Domain core of the fact-checking service.

Nothing in this package imports Flask: the web layer in ``factcheck`` calls
into it with plain values and gets plain values back.
"""
