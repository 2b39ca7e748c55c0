// The review page: chapters load on demand; every edit is posted at once and saved by the server.
"use strict";
const token = document.body.dataset.token;
const player = document.getElementById("player");
const chapterBox = document.getElementById("chapter");
const select = document.getElementById("chapter-select");
const onlyUnsure = document.getElementById("only-unsure");

async function call(method, url, data) {
  const response = await fetch(url, {
    method,
    headers: { "X-Review-Token": token, "Content-Type": "application/json" },
    body: data === undefined ? undefined : JSON.stringify(data),
  });
  const type = response.headers.get("content-type") || "";
  const answer = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(answer.error || answer || response.statusText);
  return answer;
}

function play(url) {
  player.src = url;
  player.play().catch(() => {});  // a browser that will not autoplay still shows the controls
}

async function loadChapter(number) {
  chapterBox.textContent = "Loading…";
  chapterBox.innerHTML = await call("GET", `/chapter/${number}`);
  filter();
}

function filter() {
  chapterBox.querySelectorAll(".line").forEach((li) => {
    li.hidden = onlyUnsure.checked && !li.classList.contains("unsure");
  });
}

function fillVoices(selectBox) {
  selectBox.innerHTML = document.getElementById("voice-options").innerHTML;
  selectBox.value = selectBox.dataset.current || "";
}

chapterBox.addEventListener("click", async (event) => {
  const li = event.target.closest(".line");
  if (!li) return;
  const index = li.dataset.index;
  if (event.target.classList.contains("play") || event.target.classList.contains("text")) {
    const button = li.querySelector(".play");
    button.disabled = true;
    button.textContent = "making…";
    try {
      play((await call("POST", `/api/line/${index}/clip`)).url);
    } catch (e) {
      li.querySelector(".error").textContent = e.message;
    } finally {
      button.disabled = false;
      button.innerHTML = "&#9654; hear";
    }
  } else if (event.target.classList.contains("edit")) {
    const form = li.querySelector(".editor");
    fillVoices(form.elements.voice);
    form.hidden = !form.hidden;
  } else if (event.target.classList.contains("cancel")) {
    li.querySelector(".editor").hidden = true;
  }
});

chapterBox.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const li = form.closest(".line");
  const change = {};
  for (const field of form.elements) {
    if (!field.name) continue;
    const before = field.name === "voice" ? (field.dataset.current || "") : field.defaultValue;
    if (field.value !== before) change[field.name] = field.value;
  }
  if (Object.keys(change).length === 0) {
    form.hidden = true;
    return;
  }
  try {
    const answer = await call("POST", `/api/line/${li.dataset.index}`, change);
    li.outerHTML = answer.html;
    document.getElementById("cast").innerHTML = answer.cast;
    filter();
  } catch (e) {
    li.querySelector(".error").textContent = e.message;
  }
});

const cast = document.getElementById("cast");
cast.addEventListener("change", async (event) => {
  const row = event.target.closest("tr");
  const name = encodeURIComponent(row.dataset.name);
  const change = event.target.classList.contains("cast-voice")
    ? { voice: event.target.value }
    : { speed: event.target.value };
  try {
    const answer = await call("POST", `/api/cast/${name}`, change);
    cast.innerHTML = answer.cast;
    await loadChapter(select.value);
  } catch (e) {
    alert(e.message);
  }
});
cast.addEventListener("click", async (event) => {
  if (!event.target.classList.contains("sample")) return;
  const button = event.target;
  button.disabled = true;
  try {
    const name = encodeURIComponent(button.closest("tr").dataset.name);
    play((await call("POST", `/api/cast/${name}/sample`)).url);
  } catch (e) {
    alert(e.message);
  } finally {
    button.disabled = false;
  }
});

const renderStatus = document.getElementById("render-status");
const renderProgress = document.getElementById("render-progress");
async function pollRender() {
  let state;
  try {
    state = await call("GET", "/api/render");
  } catch (e) {
    // A busy machine can miss one answer: keep asking, or the page never sees the end.
    renderStatus.textContent = `asking how the render goes: ${e.message}`;
    setTimeout(pollRender, 1000);
    return;
  }
  renderProgress.hidden = state.state === "idle";
  renderProgress.value = state.total ? state.done / state.total : 0;
  renderStatus.textContent = state.message;
  renderStatus.dataset.state = state.state;
  const busy = state.state === "running" || state.state === "mastering";
  document.querySelectorAll("#render button").forEach((b) => { b.disabled = busy; });
  if (busy) setTimeout(pollRender, 500);
}
for (const [id, scope] of [["render-book", "book"], ["render-changed", "changed"]]) {
  document.getElementById(id).addEventListener("click", async () => {
    try {
      await call("POST", "/api/render", { scope });
    } catch (e) {
      renderStatus.textContent = e.message;
      return;
    }
    pollRender();
  });
}

select.addEventListener("change", () => loadChapter(select.value));
onlyUnsure.addEventListener("change", filter);
loadChapter(select.value);
pollRender();
