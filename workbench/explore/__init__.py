"""The interactive side:
filtering the corpus (``query``), highlighting entities (``highlight``), the ipywidgets explorer (``widget``)."""
