"""clearspace's own abuse model: fast hashed n-gram features, linear heads, optional embeddings."""
