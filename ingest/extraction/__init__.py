"""Text extraction: case reports become mentions of people, ID numbers, phones,
plates and addresses, linked to the entities of the graph.

Importing this package costs nothing; spaCy is loaded only by `pipeline`.
"""
