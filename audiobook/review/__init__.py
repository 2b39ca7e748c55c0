"""The review page: a local web page over a book's script, to hear the cast, fix a speaker,
re-render a line and the book. The core command line never imports this package except for
`audiobook review`; its web stack is the `review` extra.

`session` edits the script file, `rendering` runs a render in the background, `app` is the web
application; `serve` binds it (to 127.0.0.1 unless told otherwise) and runs it.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
from pathlib import Path

from audiobook.errors import UserError

EXTRA_HINT = "pip install 'audiobook-multivoice[review]'"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def web_stack() -> None:
    """Stop with one line when the review extra is not installed."""
    try:
        import jinja2  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as e:
        raise UserError(f"the review page needs {e.name}: {EXTRA_HINT}") from None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, opened before the server starts so a port in use is one line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        if port and e.errno in (98, 48):  # EADDRINUSE on Linux and macOS
            raise UserError(f"port {port} is in use; choose another with --port") from None
        raise UserError(f"cannot listen on {host}:{port}: {e.strerror}") from None
    sock.listen(64)
    return sock


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The Host headers a loopback server answers (a DNS-rebinding page is refused); any
    for a server the user opened to the network."""
    if not is_loopback(host):
        return None
    return {f"{name}:{port}" for name in (*LOOPBACK_NAMES, host)}


def serve(session, output: Path, host: str, port: int, open_browser: bool, announce) -> None:
    """Run the page until interrupted; `announce(line)` prints the address (with its token)."""
    import uvicorn

    from audiobook.review.app import create_app

    sock = bind(host, port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    app = create_app(session, output, token, allowed_hosts(host, port))
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/?token={token}"
    announce(url)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
