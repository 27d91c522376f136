// Lesson page: reports to the server that the lesson is visible and the learner active,
// and sends checkpoint answers. The server decides what counts; this script only reports.
(function () {
  "use strict";
  var box = document.getElementById("lesson-progress");
  if (!box) return;

  var meter = document.getElementById("lesson-meter");
  var status = box.querySelector("[data-status]");
  var interval = parseInt(box.dataset.interval || "15", 10) * 1000;
  var IDLE_MS = 2 * 60 * 1000;
  var lastActivity = Date.now();
  var storageKey = "lesson-device";
  var device = sessionStorage.getItem(storageKey);
  if (!device) {
    device = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).slice(0, 36);
    sessionStorage.setItem(storageKey, device);
  }
  var seqKey = "lesson-seq-" + device;
  var seq = parseInt(sessionStorage.getItem(seqKey) || "0", 10);
  var done = box.dataset.done === "1";

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    });
  }

  function mediaPlaying() {
    var media = document.querySelectorAll("[data-lesson-media]");
    for (var i = 0; i < media.length; i++) if (!media[i].paused && !media[i].ended) return media[i];
    return null;
  }

  function active() {
    return document.visibilityState === "visible" && (Date.now() - lastActivity < IDLE_MS || mediaPlaying());
  }

  function beat() {
    if (done || !active()) {
      if (!done) status.textContent = box.dataset.labelPaused;
      return;
    }
    seq += 1;
    sessionStorage.setItem(seqKey, String(seq));
    var playing = mediaPlaying();
    var body = { device: device, seq: seq };
    if (playing) body.position = Math.floor(playing.currentTime);
    post(box.dataset.heartbeatUrl, body).then(function (res) {
      if (!res.ok) { status.textContent = res.data.message || ""; return; }
      meter.value = res.data.engaged_seconds;
      meter.textContent = res.data.engaged_seconds;
      if (res.data.lesson_done) { done = true; status.textContent = box.dataset.labelDone; }
      else status.textContent = "";
    }).catch(function () { status.textContent = box.dataset.labelOffline; });
  }

  ["mousemove", "keydown", "scroll", "touchstart", "click"].forEach(function (name) {
    window.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { lastActivity = Date.now(); beat(); }
  });
  beat();
  setInterval(beat, interval);

  // Checkpoints: answer in place; the form still works without this script.
  document.querySelectorAll("form[data-checkpoint]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = Array.prototype.map.call(form.querySelectorAll("input[name=chosen]:checked"), function (i) {
        return parseInt(i.value, 10);
      });
      var out = form.querySelector("[data-result]");
      post(box.dataset.answerUrl, { checkpoint: form.dataset.checkpoint, chosen: chosen }).then(function (res) {
        if (!res.ok) { out.textContent = res.data.message; out.className = "message message--error"; return; }
        out.textContent = res.data.message + (res.data.explanation ? " " + res.data.explanation : "");
        out.className = "message " + (res.data.correct ? "message--success" : "message--error");
        if (res.data.lesson_done) { done = true; status.textContent = box.dataset.labelDone; }
      }).catch(function () { out.textContent = box.dataset.labelOffline; });
    });
  });
})();
