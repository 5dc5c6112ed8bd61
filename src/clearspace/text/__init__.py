"""Text handling: normalization against evasion, with an offset map back to the original."""
