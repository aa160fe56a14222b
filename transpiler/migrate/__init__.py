"""tgo migrate: .go files to annotated .tgo files (issue 13, spec §11)."""
