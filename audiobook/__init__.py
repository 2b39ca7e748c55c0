"""audiobook: turn an ebook into a finished, multi-voice audiobook."""

__version__ = "0.1.0"
