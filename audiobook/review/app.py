"""The review page's web application: server-side HTML, a little plain JavaScript, and JSON
routes for the edits. Every request carries the session's token (a POST in a header, so another
site cannot post a form here); audio is served only from the job's clip folder, by key."""

from __future__ import annotations

import functools
import hashlib
import secrets
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from audiobook.errors import UserError
from audiobook.model import UNSURE
from audiobook.pipeline import book_for_script
from audiobook.review.rendering import RenderTask
from audiobook.review.session import ReviewSession

TOKEN_HEADER = "x-review-token"
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
           "#e377c2", "#bcbd22", "#393b79", "#637939", "#843c39")  # fmt: skip
NARRATOR_COLOUR = "#6b6b6b"
PACKAGE = files("audiobook.review")


class TokenGate:
    """401 for any request without the token; for a loopback server, 421 for a Host that is
    not the loopback address (a page of another site resolving its name to 127.0.0.1)."""

    def __init__(self, app: ASGIApp, token: str, hosts: set[str] | None) -> None:
        self.app, self.token, self.hosts = app, token, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if self.hosts is not None and request.headers.get("host", "") not in self.hosts:
            await PlainTextResponse("unknown host", 421)(scope, receive, send)
            return
        given = request.headers.get(TOKEN_HEADER)
        if given is None and request.method in ("GET", "HEAD"):
            given = request.query_params.get("token")
        if given is None or not secrets.compare_digest(given, self.token):
            await PlainTextResponse("a valid review token is required", 401)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def voice_colour(voice: str | None, narrator: str | None) -> str:
    if not voice or voice == narrator:
        return NARRATOR_COLOUR
    return PALETTE[int(hashlib.sha1(voice.encode()).hexdigest(), 16) % len(PALETTE)]


def create_app(
    session: ReviewSession, output: Path, token: str, hosts: set[str] | None = None
) -> ASGIApp:
    templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
    templates.env.globals.update(colour=voice_colour, unsure=UNSURE, token=token)
    renders = RenderTask(session, output)

    def line_context(index: int) -> dict:
        segment = session.segment(index)
        return {
            "i": index,
            "s": segment,
            "own_voice": session.own_voice(segment),
            "narrator": session.script.narrator,
        }

    def error(message: str, status: int = 400) -> JSONResponse:
        return JSONResponse({"error": message}, status)

    async def body(request: Request) -> dict:
        try:
            data = await request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise UserError("the request body must be a JSON object")
        return data

    async def page(request: Request) -> Response:
        script = session.script
        counts: dict[int, list[int]] = {n: [0, 0] for n in script.chapters}
        for s in script.segments:
            counts[s.chapter][0] += 1
            if s.kind == "quote" and s.how == UNSURE:
                counts[s.chapter][1] += 1
        return templates.TemplateResponse(request, "page.html", {
            "script": script, "cast": session.cast(), "voices": session.voices,
            "counts": counts, "first": min(script.chapters), "output": output.name,
            "provider": session.provider.name,
        })  # fmt: skip

    async def chapter(request: Request) -> Response:
        number = request.path_params["number"]
        try:
            lines = session.chapter_lines(number)
        except KeyError:
            return PlainTextResponse("no such chapter", 404)
        script = session.script
        return templates.TemplateResponse(request, "chapter.html", {
            "number": number, "title": script.chapters[number], "narrator": script.narrator,
            "rows": [line_context(i) for i, _ in lines],
        })  # fmt: skip

    async def edit_line(request: Request) -> Response:
        index = request.path_params["index"]
        try:
            data = await body(request)
            if "speaker" in data:
                session.set_speaker(index, data["speaker"])
            if "voice" in data:
                session.set_line_voice(index, data["voice"] or None)
            if "say" in data:
                session.set_say(index, data["say"])
            row = templates.get_template("line.html").render(**line_context(index))
        except KeyError:
            return error("no such line", 404)
        return JSONResponse({"html": row, "cast": cast_html()})

    def cast_html() -> str:
        return templates.get_template("cast.html").render(
            cast=session.cast(), voices=session.voices, narrator=session.script.narrator
        )

    async def audio(make, what, missing: str) -> Response:
        """The address of a clip made (or found) off the event loop: synthesis takes seconds."""
        try:
            key = await run_in_threadpool(make, what)
        except KeyError:
            return error(missing, 404)
        return JSONResponse({"url": f"/clips/{key}.wav?token={token}"})

    async def line_clip(request: Request) -> Response:
        return await audio(session.line_audio, request.path_params["index"], "no such line")

    async def edit_cast(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            data = await body(request)
            changed = 0
            if "voice" in data:
                changed = session.set_cast_voice(name, str(data["voice"]))
            if "speed" in data:
                speed = data["speed"]
                if speed not in (None, "") and not isinstance(speed, (int, float, str)):
                    raise UserError("speed must be a number")
                try:
                    value = float(speed) if speed not in (None, "") else None
                except ValueError:
                    raise UserError("speed must be a number") from None
                session.set_cast_speed(name, value)
        except KeyError:
            return error(f"no character called '{name}'", 404)
        return JSONResponse({"changed": changed, "cast": cast_html()})

    async def cast_sample(request: Request) -> Response:
        return await audio(session.sample, request.path_params["name"], "no such character")

    async def clip(request: Request) -> Response:
        path = session.clip_file(request.path_params["key"])
        if path is None:
            return PlainTextResponse("no such clip", 404)
        return FileResponse(path, media_type="audio/wav")

    @functools.cache
    def the_book():
        return book_for_script(session.script)  # reads an EPUB whole: once, for its cover

    async def cover(request: Request) -> Response:
        book = the_book()
        if not book.cover:
            return PlainTextResponse("this book has no cover", 404)
        return Response(book.cover, media_type=book.cover_type or "image/jpeg")

    async def start_render(request: Request) -> Response:
        try:
            data = await body(request)
            state = renders.start(str(data.get("scope") or "book"))
        except UserError as e:
            return error(str(e), 409)
        return JSONResponse(state.view())

    async def render_status(request: Request) -> Response:
        return JSONResponse(renders.status.view())

    async def user_error(request: Request, exc: Exception) -> Response:
        # A bad edit, or the script broken by a hand edit: its one line, not a server error.
        return error(str(exc))

    app = Starlette(exception_handlers={UserError: user_error}, routes=[
        Route("/", page),
        Route("/chapter/{number:int}", chapter),
        Route("/api/line/{index:int}", edit_line, methods=["POST"]),
        Route("/api/line/{index:int}/clip", line_clip, methods=["POST"]),
        Route("/api/cast/{name:str}", edit_cast, methods=["POST"]),
        Route("/api/cast/{name:str}/sample", cast_sample, methods=["POST"]),
        Route("/api/render", start_render, methods=["POST"]),
        Route("/api/render", render_status, methods=["GET"]),
        Route("/clips/{key:str}.wav", clip),
        Route("/cover", cover),
        Mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static"),
    ])  # fmt: skip
    app.state.renders = renders
    return TokenGate(app, token, hosts)
