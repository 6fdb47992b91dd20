// pufa exam page: save each answer the moment it changes, keep in this
// browser what could not be sent until it can be, count down from the
// server's clock, and submit when time is up. The page works without it:
// the submit form carries every answer on the page.
(function () {
  "use strict";
  var form = document.getElementById("exam-form");
  if (!form) { return; }
  var attempt = form.getAttribute("data-attempt");
  var total = Number(form.getAttribute("data-total")) || 0;
  var csrf = form.querySelector("input[name=csrf]").value;
  var statusEl = document.getElementById("exam-status");
  var answeredEl = document.getElementById("exam-answered");
  var clockBox = document.getElementById("exam-clock");
  var clockEl = document.getElementById("exam-remaining");
  var buttons = form.querySelectorAll(".exam-submit");
  var keySeq = "pufa.exam." + attempt + ".seq";
  var keyQueue = "pufa.exam." + attempt + ".queue";

  function load(key, def) {
    try { var v = window.localStorage.getItem(key); return v ? JSON.parse(v) : def; } catch (e) { return def; }
  }
  function persist() {
    try {
      window.localStorage.setItem(keySeq, JSON.stringify(seq));
      window.localStorage.setItem(keyQueue, JSON.stringify(queue));
    } catch (e) { /* private mode or full: the answers still go out */ }
  }
  function forget() {
    try { window.localStorage.removeItem(keySeq); window.localStorage.removeItem(keyQueue); } catch (e) { /* nothing kept */ }
  }

  // seq numbers this attempt's saves; the server keeps the highest per
  // question, so it must only grow, across reloads too.
  var seq = Math.max(Number(form.getAttribute("data-seq")) || 0, Number(load(keySeq, 0)) || 0);
  // queue holds answers not yet stored: question id -> {answer, seq}.
  var queue = load(keyQueue, {}) || {};
  var inflight = {};
  var known = {};      // question id -> the last answer queued, as JSON
  var over = false;    // the server said time is up
  var problem = "";    // why the queue is stuck: offline, server, session, expired
  var failure = "";    // an answer the server refused, shown until the next save
  var retryTimer = null;
  var backoff = 1000;
  var submitting = false;
  var saved = Number(answeredEl.textContent) > 0;

  function questions() { return form.querySelectorAll(".exam-q[data-q]"); }
  function questionByID(id) { return form.querySelector('.exam-q[data-q="' + id + '"]'); }
  function fields(q) { return q.querySelectorAll("input[name^=q], textarea[name^=q]"); }

  // answerOf reads a question's answer: the checked values, or the texts
  // of its blanks (empty when every blank is).
  function answerOf(q) {
    var out = [];
    var blank = true;
    fields(q).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { out.push(el.value); blank = false; }
      } else {
        out.push(el.value);
        if (el.value.trim() !== "") { blank = false; }
      }
    });
    return blank ? [] : out;
  }

  function apply(q, answer) {
    var k = 0;
    fields(q).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") { el.checked = answer.indexOf(el.value) >= 0; }
      else { el.value = answer[k] || ""; k++; }
    });
  }

  function countAnswered() {
    var n = 0;
    questions().forEach(function (q) {
      var done = answerOf(q).length > 0;
      if (done) { n++; }
      var card = form.querySelector('[data-card="' + q.getAttribute("data-q") + '"]');
      if (card) { card.classList.toggle("done", done); }
    });
    answeredEl.textContent = String(n);
    return n;
  }

  function pending() { return Object.keys(queue).length; }

  function show(text, kind) {
    statusEl.textContent = text;
    statusEl.className = "exam-status" + (kind ? " " + kind : "");
  }

  function refreshStatus() {
    var n = pending();
    if (over) { show("考试时间已到，答案未能保存", "error"); return; }
    if (failure) { show(failure, "error"); return; }
    if (n === 0) {
      if (saved) { show("已保存", "ok"); } else { show("每题作答后自动保存", ""); }
      return;
    }
    switch (problem) {
    case "offline":
      show("网络已断开，" + n + " 题的答案暂存在本机，恢复后自动提交", "warn"); break;
    case "server":
      show("服务器繁忙，" + n + " 题的答案暂存在本机，稍后自动重试", "warn"); break;
    case "session":
      show("登录已失效，" + n + " 题的答案暂存在本机。请重新登录后回到本页，答案会自动提交", "error"); break;
    case "expired":
      show("页面已过期，" + n + " 题的答案暂存在本机。请刷新页面，刷新后自动提交", "error"); break;
    default:
      show("正在保存…", "");
    }
  }

  function schedule() {
    if (retryTimer || over) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, backoff);
    backoff = Math.min(backoff * 2, 30000);
  }

  function flush() { Object.keys(queue).forEach(send); }

  function stop() {
    over = true;
    queue = {};
    forget();
    refreshStatus();
  }

  function send(id) {
    var item = queue[id];
    if (!item || inflight[id] || over) { return; }
    if (navigator.onLine === false) { problem = "offline"; refreshStatus(); return; }
    inflight[id] = true;
    refreshStatus();
    window.fetch("/attempts/" + attempt + "/answers/" + id, {
      method: "PUT",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ answer: item.answer, seq: item.seq })
    }).then(function (res) {
      delete inflight[id];
      if (res.status === 204) {
        if (queue[id] && queue[id].seq <= item.seq) { delete queue[id]; persist(); }
        problem = ""; failure = ""; saved = true; backoff = 1000;
        if (queue[id]) { send(id); } // changed again while this one was out
      } else if (res.status === 409) {
        stop();
        return;
      } else if (res.status === 400 || res.status === 404 || res.status === 413) {
        // Refused for good: retrying cannot help, so say which question.
        if (queue[id] && queue[id].seq <= item.seq) { delete queue[id]; persist(); }
        var q = questionByID(id);
        var n = q ? q.getAttribute("data-n") : "";
        return res.json().then(function (b) {
          failure = "第 " + n + " 题的答案未能保存：" + ((b && b.error && b.error.message) || "请求有误");
        }, function () {
          failure = "第 " + n + " 题的答案未能保存";
        }).then(refreshStatus);
      } else if (res.type === "opaqueredirect" || res.status === 401) {
        problem = "session"; schedule();
      } else if (res.status === 403) {
        problem = "expired"; schedule();
      } else {
        problem = "server"; schedule();
      }
      refreshStatus();
    }, function () {
      delete inflight[id];
      problem = "offline";
      schedule();
      refreshStatus();
    });
  }

  function changed(q) {
    if (over) { refreshStatus(); return; }
    var id = q.getAttribute("data-q");
    var answer = answerOf(q);
    var json = JSON.stringify(answer);
    if (json === known[id]) { return; }
    known[id] = json;
    seq += 1;
    queue[id] = { answer: answer, seq: seq };
    persist();
    countAnswered();
    send(id);
  }

  // Answers queued in this browser by an earlier visit (closed while
  // offline) are newer than the page when their seq is above the one the
  // server rendered: show them and send them.
  Object.keys(queue).forEach(function (id) {
    var q = questionByID(id);
    if (!q || !queue[id] || !(queue[id].seq > Number(q.getAttribute("data-seq")))) { delete queue[id]; return; }
    apply(q, queue[id].answer || []);
  });
  questions().forEach(function (q) { known[q.getAttribute("data-q")] = JSON.stringify(answerOf(q)); });
  persist();
  countAnswered();
  refreshStatus();
  flush();

  form.addEventListener("change", function (e) {
    var q = e.target.closest(".exam-q[data-q]");
    if (q) { changed(q); }
  });
  // Typing saves a moment after the last key, not at every key.
  var typing = {};
  form.addEventListener("input", function (e) {
    var t = e.target;
    if (t.tagName !== "TEXTAREA" && t.type !== "text") { return; }
    var q = t.closest(".exam-q[data-q]");
    if (!q) { return; }
    var id = q.getAttribute("data-q");
    window.clearTimeout(typing[id]);
    typing[id] = window.setTimeout(function () { changed(q); }, 800);
  });
  // Enter in a blank moves on instead of submitting the paper.
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.type === "text") { e.preventDefault(); }
  });
  window.addEventListener("online", function () {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    backoff = 1000;
    problem = "";
    flush();
    refreshStatus();
  });
  window.addEventListener("offline", function () { problem = "offline"; refreshStatus(); });
  // Back from the result page: the paper is closed, show what is true now.
  window.addEventListener("pageshow", function (e) { if (e.persisted) { window.location.reload(); } });

  // flushThen sends the queue and calls done when it is empty or after
  // wait milliseconds, whichever is first.
  function flushThen(done, wait) {
    var until = Date.now() + wait;
    flush();
    (function check() {
      if ((pending() === 0 && Object.keys(inflight).length === 0) || over || Date.now() >= until || navigator.onLine === false) { done(); return; }
      window.setTimeout(check, 100);
    })();
  }

  function lock(text) {
    buttons.forEach(function (b) { b.disabled = true; b.textContent = text; });
  }
  function unlock() {
    buttons.forEach(function (b) { b.disabled = false; b.textContent = "交卷"; });
  }

  function submitNow() {
    submitting = true;
    lock("正在交卷…");
    if (pending() === 0) { forget(); }
    form.submit();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (submitting) { return; }
    var left = total - countAnswered();
    var msg = left > 0 ? "还有 " + left + " 题未作答。交卷后不能再修改答案，确定交卷吗？" : "交卷后不能再修改答案，确定交卷吗？";
    if (!window.confirm(msg)) { return; }
    submitting = true;
    lock("正在交卷…");
    flushThen(function () {
      var n = pending();
      if (n > 0 && !over && !window.confirm(n + " 题的答案还没能保存到服务器（网络不通）。交卷时会一并提交页面上的答案；如果网络仍然不通，交卷会失败，答案仍暂存在本机。\n\n确定现在交卷吗？")) {
        submitting = false;
        unlock();
        return;
      }
      submitNow();
    }, 5000);
  });

  // The countdown runs from the seconds the server rendered, so a wrong
  // clock on the device does not matter.
  var deadline = Date.now() + (Number(form.getAttribute("data-remaining")) || 0) * 1000;
  function clockText(sec) {
    var h = Math.floor(sec / 3600), m = Math.floor(sec / 60) % 60, s = sec % 60;
    var two = function (x) { return (x < 10 ? "0" : "") + x; };
    return h > 0 ? h + ":" + two(m) + ":" + two(s) : two(m) + ":" + two(s);
  }
  var timer = window.setInterval(tick, 1000);
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    clockEl.textContent = clockText(left);
    clockBox.classList.toggle("urgent", left < 300);
    if (left > 0 || submitting) { return; }
    window.clearInterval(timer);
    timeUp();
  }
  function timeUp() {
    submitting = true;
    lock("正在交卷…");
    if (navigator.onLine === false) {
      // Submitting now would leave the page for an error; the server
      // submits what it has at the end of the grace period anyway.
      show("考试时间已到。网络恢复后自动交卷；" + pending() + " 题的答案暂存在本机", "warn");
      window.addEventListener("online", function () { flushThen(submitNow, 3000); });
      return;
    }
    show("考试时间已到，正在交卷…", "warn");
    flushThen(submitNow, 3000);
  }
  tick();
})();
