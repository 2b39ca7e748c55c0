"""The analysis agents: casting director, dialogue attributor, director."""
