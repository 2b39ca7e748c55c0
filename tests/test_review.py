"""The review page over HTTP: the token, the bind address, files it may serve, and edits that
are in the script file the moment they are made (the browser tests are test_review_browser)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from helpers import EXAMPLE, run_audiobook

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from audiobook.config import load_settings  # noqa: E402
from audiobook.pipeline import make_tts  # noqa: E402
from audiobook.plugins import load_registry  # noqa: E402
from audiobook.review import allowed_hosts  # noqa: E402
from audiobook.review.app import TOKEN_HEADER, create_app  # noqa: E402
from audiobook.review.session import REVIEWED, ReviewSession  # noqa: E402
from audiobook.script import read_script  # noqa: E402

TOKEN = "t0ken-for-tests"


@pytest.fixture(scope="module")
def example_script(tmp_path_factory) -> Path:
    """The example story's script with the tone engine's voices (made once per module)."""
    folder = tmp_path_factory.mktemp("review")
    out = folder / "story.jsonl"
    # Two tones and the narrator on one: the casting gives every character the other, so a
    # cast file gives Nell the narrator's, for lines to move between voices.
    cast = folder / "cast.toml"
    cast.write_text('[characters.Nell]\nvoice = "low"\n', encoding="utf-8")
    result = run_audiobook(
        "script", str(EXAMPLE), "-o", str(out), "--tts", "tone", "--cast", str(cast),
        env={"AUDIOBOOK_OUTPUT_WORK_DIR": str(folder / "work")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def script_file(example_script, tmp_path) -> Path:
    path = tmp_path / "story.jsonl"
    path.write_bytes(example_script.read_bytes())
    return path


def session_for(script_file: Path, work_dir: Path, tts: str = "tone") -> ReviewSession:
    registry = load_registry()
    settings = load_settings(registry, None, {"tts.provider": tts,
                                              "output.work_dir": str(work_dir)})  # fmt: skip
    return ReviewSession(script_file, settings, make_tts(registry, settings))


@pytest.fixture
def session(script_file, work_dir) -> ReviewSession:
    return session_for(script_file, work_dir)


@pytest.fixture
def client(session, script_file):
    app = create_app(session, script_file.with_suffix(".m4b"), TOKEN)
    with TestClient(app) as c:
        c.headers[TOKEN_HEADER] = TOKEN
        yield c


def quote_with_other_speaker(session: ReviewSession) -> tuple[int, str]:
    """A voiced quote and a cast member of another voice to give it to."""
    script = session.script
    for i, s in enumerate(script.segments):
        if s.character_speaker:
            for name, voice in script.voices.items():
                if voice != s.voice:
                    return i, name
    raise AssertionError("the example has no two voices")


def test_every_request_needs_the_token(session, script_file):
    app = create_app(session, script_file.with_suffix(".m4b"), TOKEN)
    with TestClient(app) as c:
        assert c.get("/").status_code == 401
        assert c.get("/", params={"token": "wrong"}).status_code == 401
        assert c.get("/static/review.js").status_code == 401
        assert c.get("/chapter/1", headers={TOKEN_HEADER: "wrong"}).status_code == 401
        page = c.get("/", params={"token": TOKEN})
        assert page.status_code == 200 and "Cast" in page.text
        assert c.get("/static/review.js", params={"token": TOKEN}).status_code == 200
        # A POST needs the token in its header: a form another site posts here has none.
        line, name = quote_with_other_speaker(session)
        assert c.post(f"/api/line/{line}", params={"token": TOKEN},
                      json={"speaker": name}).status_code == 401  # fmt: skip
        assert read_script(script_file).segments[line].speaker != name
        ok = c.post(f"/api/line/{line}", headers={TOKEN_HEADER: TOKEN}, json={"speaker": name})
        assert ok.status_code == 200


def test_a_loopback_server_answers_only_its_own_host_names(session, script_file):
    hosts = allowed_hosts("127.0.0.1", 8123)
    app = create_app(session, script_file.with_suffix(".m4b"), TOKEN, hosts)
    headers = {TOKEN_HEADER: TOKEN}
    with TestClient(app, base_url="http://rebound.example.com:8123") as c:
        assert c.get("/", headers=headers).status_code == 421
    for host in ("127.0.0.1", "localhost"):
        with TestClient(app, base_url=f"http://{host}:8123") as c:
            assert c.get("/", headers=headers).status_code == 200
    assert allowed_hosts("0.0.0.0", 8123) is None  # opened to the network on purpose


@pytest.mark.parametrize(
    "path",
    [
        "/clips/../../../etc/passwd.wav",
        "/clips/%2e%2e%2f%2e%2e%2fstory.jsonl.wav",
        "/clips/" + "0" * 64 + ".wav",  # well formed, not made
        "/clips/" + "g" * 64 + ".wav",
        "/static/../session.py",
        "/static/%2e%2e/session.py",
        "/static/..%2fsession.py",
    ],
)
def test_no_route_serves_a_file_outside_the_job_and_the_page(client, path):
    response = client.get(path)
    assert response.status_code == 404, response.text[:200]
    assert "import" not in response.text


def test_a_line_is_heard_from_the_job_folder(client, session):
    line, _ = quote_with_other_speaker(session)
    made = client.post(f"/api/line/{line}/clip")
    assert made.status_code == 200, made.text
    url = made.json()["url"]
    key = url.split("/clips/")[1].split(".wav")[0]
    assert session.job.clip_path(key).is_file()
    audio = client.get(url)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF" and len(audio.content) > 1000


def test_a_character_sample_says_one_of_their_own_lines(client, session):
    name = session.cast()[0].name
    answer = client.post(f"/api/cast/{name}/sample")
    assert answer.status_code == 200, answer.text
    assert client.get(answer.json()["url"]).content[:4] == b"RIFF"
    assert client.post("/api/cast/Nobody At All/sample").status_code == 404


def test_a_new_speaker_is_in_the_file_at_once_with_its_voice(client, session, script_file):
    line, name = quote_with_other_speaker(session)
    answer = client.post(f"/api/line/{line}", json={"speaker": name})
    assert answer.status_code == 200, answer.text
    assert f'data-index="{line}"' in answer.json()["html"]
    saved = read_script(script_file)
    segment = saved.segments[line]
    assert (segment.speaker, segment.how) == (name, REVIEWED)
    assert segment.voice == saved.voices[name]  # the voice follows the speaker
    row = json.loads(script_file.read_text().splitlines()[line + 1])
    assert "voice" not in row  # from the cast, not fixed on the line

    # A name the cast lacks joins it, with a voice of its own where one is free.
    client.post(f"/api/line/{line}", json={"speaker": "The Stranger"})
    saved = read_script(script_file)
    assert saved.segments[line].speaker == "The Stranger"
    assert "The Stranger" in saved.voices and not saved.uncast


def test_a_line_voice_and_say_are_the_lines_own(client, session, script_file):
    line, _ = quote_with_other_speaker(session)
    before = read_script(script_file).segments[line]
    other = next(v.id for v in session.voices if v.id != before.voice)
    client.post(f"/api/line/{line}", json={"voice": other, "say": "Said another way."})
    saved = read_script(script_file).segments[line]
    assert (saved.voice, saved.say, saved.speaker) == (other, "Said another way.", before.speaker)
    client.post(f"/api/line/{line}", json={"voice": "", "say": ""})
    saved = read_script(script_file).segments[line]
    assert saved.voice == before.voice and saved.say is None


def test_a_cast_voice_changes_every_line_of_that_character(client, session, script_file):
    entry = session.cast()[0]
    other = next(v.id for v in session.voices if v.id != entry.voice)
    answer = client.post(f"/api/cast/{entry.name}", json={"voice": other, "speed": "1.2"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["changed"] >= 1
    saved = read_script(script_file)
    assert saved.voices[entry.name] == other and saved.speeds[entry.name] == 1.2
    theirs = [s for s in saved.segments if s.character_speaker == entry.name]
    assert theirs and all(s.voice == other and s.speed == 1.2 for s in theirs)


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/line/0", {"speaker": "Nell"}, 400),  # line 0 is narration
        ("/api/line/99999", {"speaker": "Nell"}, 404),
        ("/api/line/2", {"voice": "no-such-voice"}, 400),
        ("/api/line/2", ["not", "an", "object"], 400),
        ("/api/cast/Nobody", {"voice": "high"}, 404),
        ("/api/cast/Nell", {"voice": "no-such-voice"}, 400),
        ("/api/cast/Nell", {"speed": "fast"}, 400),
        ("/api/cast/Nell", {"speed": 9}, 400),
        ("/api/render", {"scope": "changed"}, 409),  # nothing changed yet
    ],
)
def test_a_bad_edit_is_one_clear_error_and_changes_nothing(client, script_file, path, body, status):
    before = script_file.read_bytes()
    answer = client.post(path, json=body)
    assert answer.status_code == status
    assert answer.json()["error"]
    assert script_file.read_bytes() == before


def test_an_edit_made_to_the_file_by_hand_is_what_the_page_shows(client, script_file):
    lines = script_file.read_text().splitlines()
    header = json.loads(lines[0])
    row = json.loads(lines[3])
    row["text"] = "A line changed by hand while the page was open."
    row.pop("say", None)
    lines[3] = json.dumps(row)
    header["title"] = "Retitled By Hand"
    lines[0] = json.dumps(header)
    time.sleep(0.01)
    script_file.write_text("\n".join(lines) + "\n")
    page = client.get(f"/chapter/{row['chapter']}")
    assert "A line changed by hand" in page.text
    assert "Retitled By Hand" in client.get("/").text


def test_the_page_loads_chapters_on_demand(client, session):
    page = client.get("/").text
    script = session.script
    last = max(script.chapters)
    later = next(s for s in script.segments if s.chapter == last)
    assert later.text[:40] not in page  # only the cast and the chapter list at first
    assert later.text[:40] in client.get(f"/chapter/{last}").text
    assert client.get("/chapter/999").status_code == 404


def wait_for_render(client, timeout: float = 300.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get("/api/render").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError("the render did not finish")


def test_a_render_remakes_only_the_changed_line(client, session, script_file):
    first = client.post("/api/render", json={"scope": "book"})
    assert first.status_code == 200
    assert client.post("/api/render", json={}).status_code in (200, 409)  # one at a time
    state = wait_for_render(client)
    assert state["state"] == "done", state
    book = Path(state["output"])
    assert book == script_file.with_suffix(".m4b") and book.stat().st_size > 0

    line, name = quote_with_other_speaker(session)
    client.post(f"/api/line/{line}", json={"speaker": name})
    assert client.post("/api/render", json={"scope": "book"}).status_code == 200
    state = wait_for_render(client)
    assert state["state"] == "done", state
    changed = len(session.script.segments[line].text) > 0
    assert changed and state["made"] >= 1 and state["reused"] > state["made"]

    client.post("/api/render", json={"scope": "changed"})
    state = wait_for_render(client)
    assert state["state"] == "done" and state["made"] == 0  # its clips are the book's
    assert ".chapters-" in state["output"] and Path(state["output"]).is_file()


@pytest.mark.slow
def test_a_line_in_the_real_voice(script_file, work_dir):
    """With the embedded engine: a line's clip is speech at Piper's rate, in the job folder."""
    result = run_audiobook("script", str(EXAMPLE), "-o", str(script_file))
    assert result.returncode == 0, result.stderr
    session = session_for(script_file, work_dir, tts="piper")
    line = next(i for i, s in enumerate(session.script.segments) if s.character_speaker)
    with wave.open(str(session.job.clip_path(session.line_audio(line))), "rb") as w:
        assert w.getframerate() == 22050 and w.getnframes() > 22050 * 0.5


def test_review_of_a_missing_file_is_one_line(work_dir):
    result = run_audiobook("review", "nowhere.epub", "--no-browser")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "nowhere.epub" in result.stderr


def outside_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def start_review(script_file: Path, *args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiobook", "review", str(script_file), "--no-browser",
         "--tts", "tone", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = proc.stdout.readline()
    if not line.startswith("Review page: "):
        proc.kill()
        raise AssertionError(line + proc.stderr.read())
    return proc, line.split("Review page: ")[1].strip()


def test_the_server_listens_on_loopback_only_and_prints_its_token(script_file, work_dir):
    import requests

    proc, url = start_review(script_file)
    try:
        assert url.startswith("http://127.0.0.1:") and "?token=" in url
        port = int(url.split(":")[2].split("/")[0])
        assert requests.get(url, timeout=10).status_code == 200
        assert requests.get(url.split("?")[0], timeout=10).status_code == 401
        address = outside_address()
        if address is not None:
            with pytest.raises(requests.ConnectionError):
                requests.get(f"http://{address}:{port}/", timeout=5)
        # Another server on the same port: one line, no traceback.
        taken = run_audiobook("review", str(script_file), "--no-browser", "--tts", "tone",
                              "--port", str(port))  # fmt: skip
        assert taken.returncode != 0 and f"port {port} is in use" in taken.stderr
        assert "Traceback" not in taken.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_another_host_needs_the_flag_and_is_warned_of(script_file, work_dir):
    proc, url = start_review(script_file, "--host", "0.0.0.0")
    try:
        assert url.startswith("http://0.0.0.0:")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "warning: listening on 0.0.0.0" in err


def test_a_script_broken_by_hand_is_one_line_on_the_page(client, script_file):
    script_file.write_text(script_file.read_text() + "{not json\n")
    answer = client.get("/chapter/1")
    assert answer.status_code == 400 and "is not valid JSON" in answer.json()["error"]


def test_an_edit_the_disk_cannot_keep_is_an_error_and_not_shown(client, session, monkeypatch):
    import audiobook.review.session as module

    line, name = quote_with_other_speaker(session)
    before = session.script.segments[line].speaker

    def full_disk(path, script):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "write_script", full_disk)
    answer = client.post(f"/api/line/{line}", json={"speaker": name})
    assert answer.status_code == 400 and "No space left" in answer.json()["error"]
    assert session.script.segments[line].speaker == before


def test_a_book_without_a_cover_has_no_cover_route(client):
    assert client.get("/cover").status_code == 404
