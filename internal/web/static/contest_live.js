// pufa live final: the host's console, the finalist's phone and the large
// screen follow the server by server-sent events. The phone and the console
// are rendered by the server: on a change this script fetches the page
// again and swaps its card, so there is one renderer. The screen is drawn
// here from the board's JSON, which also drives the replay.
(function () {
  "use strict";

  // skew is the server's clock minus this one's, from the last state.
  var skew = 0;
  function serverNow() { return Date.now() + skew; }

  function countdown(el, closes) {
    if (!el) { return; }
    function tick() {
      var left = Math.max(0, Math.ceil((closes - serverNow()) / 1000));
      el.textContent = String(left);
      if (left > 0) { el._timer = setTimeout(tick, 250); }
    }
    clearTimeout(el._timer);
    tick();
  }

  function follow(url, onState) {
    if (!window.EventSource) {
      // Old browsers: poll the page instead.
      setInterval(function () { onState(null); }, 3000);
      return;
    }
    var delay = 1000;
    function open() {
      var es = new EventSource(url);
      es.onmessage = function (ev) {
        delay = 1000;
        var st;
        try { st = JSON.parse(ev.data); } catch (e) { return; }
        skew = st.now - Date.now();
        onState(st);
      };
      es.onerror = function () {
        // A dropped connection the browser retries by itself; a refused
        // one (the server restarting, the session ended) it gives up on.
        // Try again, slower each time; after half a minute of refusals
        // reload, which shows the sign-in page if that is what is wrong.
        if (es.readyState !== EventSource.CLOSED) { return; }
        setTimeout(function () {
          if (delay > 30000) { location.reload(); return; }
          open();
        }, delay);
        delay *= 2;
      };
    }
    open();
  }

  // swap fetches the page again and replaces the element with id; a swap
  // asked for while one is on its way runs once more after it.
  var swapping = false, again = false;
  function swap(id, then) {
    if (swapping) { again = true; return; }
    swapping = true;
    fetch(location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(id), old = document.getElementById(id);
        if (fresh && old) { old.replaceWith(fresh); }
        if (then) { then(); }
      })
      .catch(function () { /* the next event tries again */ })
      .then(function () {
        swapping = false;
        if (again) { again = false; swap(id, then); }
      });
  }

  // ---- the finalist's phone
  function play(root) {
    var id = root.getAttribute("data-contest");
    function wire() {
      var r = document.getElementById("live-play");
      skew = Number(r.getAttribute("data-now")) - Date.now();
      var closes = Number(r.getAttribute("data-closes"));
      if (closes) { countdown(document.getElementById("live-remaining"), closes); }
      var form = document.getElementById("live-answer");
      if (!form) { return; }
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var given = [];
        form.querySelectorAll("input[name=answer]:checked").forEach(function (i) { given.push(i.value); });
        var msg = form.querySelector(".muted");
        if (!given.length) { msg.textContent = "请先选择答案。"; return; }
        var btn = form.querySelector("button");
        btn.disabled = true;
        btn.textContent = "正在提交…";
        fetch("/contests/" + id + "/play/answer", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": form.querySelector("input[name=csrf]").value },
          body: JSON.stringify({ no: Number(form.querySelector("input[name=no]").value), answer: given })
        }).then(function (r) {
          return r.json().then(function (b) {
            if (!r.ok) { throw new Error((b && b.error && b.error.message) || "提交失败"); }
          });
        }).then(function () { swap("live-play", wire); })
          .catch(function (e) {
            btn.disabled = false;
            btn.textContent = "提交答案";
            msg.textContent = e.message + "（可再试一次）";
          });
      });
    }
    wire();
    follow("/contests/" + id + "/play/stream", function (st) {
      // Swap only when what the phone shows changed, so a half-chosen
      // answer is not wiped by someone else's.
      // The key is the server's playJSON.Key; the card on the page carries
      // the one it was drawn from.
      var k = st ? [st.phase, st.no, (st.mine || []).join(","), st.points, st.rank, st.team_rank].join("|") : String(Date.now());
      if (k !== document.getElementById("live-play").getAttribute("data-key")) { swap("live-play", wire); }
    });
  }

  // ---- the host's console
  function host(root) {
    var id = root.getAttribute("data-contest");
    skew = Number(root.getAttribute("data-now")) - Date.now();
    function wire() {
      var r = document.getElementById("live-host");
      var closes = Number(r.getAttribute("data-closes"));
      if (closes) { countdown(document.getElementById("live-remaining"), closes); }
    }
    wire();
    follow("/contests/" + id + "/live/stream", function (st) {
      var r = document.getElementById("live-host");
      if (!st || st.phase !== r.getAttribute("data-phase") || String(st.no) !== r.getAttribute("data-no")) {
        swap("live-host", wire);
        return;
      }
      var a = document.getElementById("live-answered");
      if (a) { a.textContent = String(st.answered); }
      var tb = document.querySelector("#live-teams tbody");
      if (tb) {
        tb.textContent = "";
        st.teams.forEach(function (t) {
          var tr = document.createElement("tr");
          var labels = ["名次", "代表队", "得分", "答对"];
          [t.rank, t.name + (t.award ? "（" + t.award + "）" : ""), pts(t.points), t.correct].forEach(function (v, i) {
            var td = document.createElement("td");
            td.textContent = String(v);
            td.setAttribute("data-label", labels[i]);
            if (i >= 2) { td.className = "num"; }
            tr.appendChild(td);
          });
          tb.appendChild(tr);
        });
      }
    });
  }

  function pts(x) { return String(Math.round(x * 100) / 100); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // ---- the large screen
  function screen(root) {
    var id = root.getAttribute("data-contest");
    var replay = root.hasAttribute("data-replay");
    var clock = document.getElementById("ls-clock");
    var lastQ = "";

    function draw(st) {
      document.getElementById("ls-no").textContent = st.no ? "第 " + st.no + " / " + st.total + " 题" : "共 " + st.total + " 题";
      var ph = document.getElementById("ls-phase");
      ph.textContent = st.phase_label;
      ph.className = "ls-phase ls-phase-" + st.phase;
      var q = st.question;
      var meta = document.getElementById("ls-qmeta"), stem = document.getElementById("ls-stem");
      var opts = document.getElementById("ls-options"), an = document.getElementById("ls-analysis");
      var qkey = q ? q.no + "|" + (q.answer || []).join(",") : st.phase;
      if (qkey !== lastQ) {
        lastQ = qkey;
        opts.textContent = "";
        an.hidden = true;
        if (st.phase === "finished") {
          // The end: the teams as they finished, with their prizes.
          meta.textContent = "共 " + st.total + " 题";
          stem.textContent = "决赛结束 · 最终成绩";
          opts.className = "ls-final";
          st.teams.forEach(function (t) {
            var li = el("li", t.rank === 1 ? "ls-top1" : "");
            li.appendChild(el("span", "ls-rank", String(t.rank)));
            var name = el("span", "ls-name", t.name);
            if (t.award) { name.appendChild(el("em", "ls-award", t.award)); }
            li.appendChild(name);
            li.appendChild(el("span", "ls-pts", pts(t.points) + " 分"));
            opts.appendChild(li);
          });
        } else if (!q) {
          opts.className = "ls-options";
          meta.textContent = "";
          stem.textContent = "决赛即将开始";
        } else {
          opts.className = "ls-options";
          meta.textContent = q.type_name + " · " + pts(q.points) + " 分";
          stem.textContent = q.stem;
          q.options.forEach(function (o) {
            var li = el("li", q.answer && q.answer.indexOf(o.label) >= 0 ? "ls-right" : "");
            if (o.letter) { li.appendChild(el("b", "", o.letter)); }
            li.appendChild(el("span", "", o.text));
            opts.appendChild(li);
          });
          if (q.answer && q.analysis) {
            an.textContent = "解析：" + q.analysis;
            an.hidden = false;
          }
        }
      }
      document.getElementById("ls-answered").textContent = st.no && st.phase !== "finished" ? "已作答 " + st.answered + " / " + st.finalists + " 人" : "";
      if (st.phase === "asking" && st.closes_at) {
        clock.hidden = false;
        if (replay) {
          clock.textContent = String(Math.max(0, Math.ceil((st.closes_at - st.now) / 1000)));
        } else {
          countdown(clock, st.closes_at);
        }
      } else {
        clearTimeout(clock._timer);
        clock.hidden = true;
      }
      var top = st.teams.length ? Math.max(st.teams[0].points, 1) : 1;
      // Before anyone scores every rank is a tie at nought: show none.
      var scored = st.teams.length && st.teams[0].points > 0;
      var teams = document.getElementById("ls-teams");
      teams.textContent = "";
      st.teams.forEach(function (t) {
        var li = el("li", t.rank <= 3 ? "ls-top" + t.rank : "");
        li.appendChild(el("span", "ls-rank", scored ? String(t.rank) : "·"));
        var name = el("span", "ls-name", t.name);
        if (t.award) { name.appendChild(el("em", "ls-award", t.award)); }
        li.appendChild(name);
        li.appendChild(el("span", "ls-pts", pts(t.points)));
        var bar = el("span", "ls-bar");
        bar.style.width = Math.round(100 * t.points / top) + "%";
        li.appendChild(bar);
        teams.appendChild(li);
      });
      var people = document.getElementById("ls-people");
      people.textContent = "";
      st.people.slice(0, 5).forEach(function (p) {
        var li = el("li");
        li.appendChild(el("span", "ls-rank", scored ? String(p.rank) : "·"));
        li.appendChild(el("span", "ls-name", p.name + " · " + p.team));
        li.appendChild(el("span", "ls-pts", pts(p.points)));
        people.appendChild(li);
      });
    }

    var initial = JSON.parse(document.getElementById("ls-initial").textContent);
    if (!replay) {
      skew = initial.now - Date.now();
      draw(initial);
      follow("/contests/" + id + "/live/stream", function (st) { if (st) { draw(st); } });
      return;
    }

    // The replay asks the server for the board at a moment of the stored
    // final, moving that moment at 1×, 4× or 16×.
    var speed = 4, playing = true, span = null, at = 0, last = Date.now(), busy = false;
    var seek = document.getElementById("ls-seek"), atEl = document.getElementById("ls-at");
    var playBtn = document.getElementById("ls-play");
    function fmt(ms) {
      var s = Math.max(0, Math.round(ms / 1000));
      return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
    }
    function load() {
      if (busy || !span) { return; }
      busy = true;
      fetch("/contests/" + id + "/live/state?at=" + Math.round(at), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (st) {
          busy = false;
          draw(st);
          seek.value = String(Math.round(1000 * (at - span.start) / Math.max(1, span.end - span.start)));
          atEl.textContent = fmt(at - span.start) + " / " + fmt(span.end - span.start);
        })
        .catch(function () { busy = false; });
    }
    function frame() {
      var now = Date.now();
      if (playing && span) {
        at = Math.min(span.end, at + (now - last) * speed);
        if (at >= span.end) { playing = false; playBtn.textContent = "重播"; }
        load();
      }
      last = now;
    }
    playBtn.addEventListener("click", function () {
      if (!playing && span && at >= span.end) { at = span.start - 3000; }
      playing = !playing;
      playBtn.textContent = playing ? "暂停" : "播放";
      last = Date.now();
    });
    document.querySelectorAll("#ls-replay [data-speed]").forEach(function (b) {
      b.addEventListener("click", function () {
        speed = Number(b.getAttribute("data-speed"));
        document.querySelectorAll("#ls-replay [data-speed]").forEach(function (x) { x.classList.toggle("btn-primary", x === b); });
      });
      if (Number(b.getAttribute("data-speed")) === speed) { b.classList.add("btn-primary"); }
    });
    seek.addEventListener("input", function () {
      if (!span) { return; }
      at = span.start + (span.end - span.start) * Number(seek.value) / 1000;
      load();
    });
    fetch("/contests/" + id + "/live/state?replay=1", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (st) {
        span = st.replay;
        at = span.start - 3000;
        last = Date.now();
        setInterval(frame, 250);
      });
  }

  var r;
  if ((r = document.getElementById("live-play"))) { play(r); }
  if ((r = document.getElementById("live-host"))) { host(r); }
  if ((r = document.getElementById("ls-initial"))) { screen(document.getElementById("live-screen")); }
})();
