"""Training and evaluating the NER model that text extraction ships, on case reports written by the synthetic city."""
