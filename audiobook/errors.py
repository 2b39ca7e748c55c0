"""Errors a user can act on: the CLI prints them as one line and exits non-zero."""


class UserError(Exception):
    """A problem with the input, the settings or the environment, explained in one line."""

    exit_code = 2
