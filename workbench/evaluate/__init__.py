"""Figures against gold answers and the development pages: seeds, extraction, analysis, and the one scorer loader."""
