"""Types: the type model the checker computes (go/types-shaped, plus nullability)."""
