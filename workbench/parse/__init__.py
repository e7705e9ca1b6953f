"""Stage 1-3: read files, separate the story from page furniture, extract one typed ``Article`` per document."""
