"""Text for speech: sentence splitting, chunking to a provider's limit, light normalisation."""
