"""Helpers of the ``events`` stage: the trigger lexicon, actor resolution and time expressions.

* :mod:`lagebild.events.lexicon` reads ``resources/events/triggers.tsv`` (German triggers ->
  PLOVER type and argument roles) and ``resources/events/actor_nouns.tsv`` (nouns -> sector).
* :mod:`lagebild.events.actors` gives an actor its country (ISO 3166 alpha-3, from
  ``resources/countries.tsv``) and its PLOVER sector (GOV, MIL, REB, ...).
* :mod:`lagebild.events.timex` resolves "gestern abend", "am Mittwoch", "vergangene Woche",
  "Ende November" and absolute dates against the publication date, with a granularity.
* :mod:`lagebild.events.words` copies a Doc's token attributes into plain objects once per
  article (the stage reads them many times; spaCy's tokens are slower to read).

The stage itself is :mod:`lagebild.pipeline.events`; docs/events.md describes how it works.
"""
