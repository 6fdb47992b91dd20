// pufa: a little progressive enhancement; every page works without it.
(function () {
  "use strict";
  // Phone navigation toggle.
  var bar = document.querySelector(".topbar");
  var toggle = document.querySelector(".menu-toggle");
  if (bar && toggle) {
    toggle.addEventListener("click", function () {
      var open = bar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Confirm destructive or final actions; the message says what cannot be undone.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  // Job progress: poll the job and update the bar, then reload when it ends.
  var jobEl = document.querySelector("[data-job]");
  if (jobEl && jobEl.getAttribute("data-running") === "1") {
    var bar2 = jobEl.querySelector("progress");
    var text = jobEl.querySelector("[data-job-text]");
    var tick = function () {
      fetch(jobEl.getAttribute("data-job") + "?format=json", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (bar2) { bar2.value = j.percent; }
          if (text) { text.textContent = j.status_label + " " + j.percent + "%" + (j.message ? "，" + j.message : ""); }
          if (j.status === "done" || j.status === "failed") { window.location.reload(); }
          else { window.setTimeout(tick, 1000); }
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    };
    window.setTimeout(tick, 600);
  }
  // Clicking a file input's label on phones is fiddly: show the chosen name.
  var file = document.querySelector("input[type=file][data-show-name]");
  if (file) {
    file.addEventListener("change", function () {
      var out = document.getElementById(file.getAttribute("data-show-name"));
      if (out && file.files.length) { out.textContent = "已选择：" + file.files[0].name; }
    });
  }
})();

// Print buttons (the circular): no inline handlers under the CSP.
document.addEventListener('click', function (e) {
  var b = e.target.closest && e.target.closest('[data-print]');
  if (b) { window.print(); }
});
