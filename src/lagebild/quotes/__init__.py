"""The trained part of the ``quotes`` stage: SpkAtt token labels, the quote tagger, its training.

* :mod:`lagebild.quotes.labels` turns SpkAtt-2023 annotations into one label per lagebild token
  (message with its form, cue, source) and back into quote spans;
* :mod:`lagebild.quotes.tagger` loads the shipped weights (``models/quotes_de``) and labels the
  candidate sentences of an article;
* :mod:`lagebild.quotes.train` reproduces the weights (``lagebild train quotes``).
"""
