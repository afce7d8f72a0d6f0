"""`minihelm create` (placeholder until written)."""
