"""Document generation: compute -> a format-neutral tree (tree.py) -> DOCX and PDF renderers."""
