"""Narrator (clips from text, cached and resumable) and mastering (clips to one M4B)."""
