// pufa: the public quiz's 大字 (large text) switch. Without script the
// switch is a link the server answers (?big=1); with it the page changes
// in place, so answers already ticked are kept, and the choice is kept in
// a cookie the server reads on the next page.
(function () {
  "use strict";
  var root = document.getElementById("qz");
  var sw = document.querySelector("[data-qz-big]");
  if (!root || !sw) { return; }
  var label = sw.querySelector("[data-qz-big-label]");
  sw.setAttribute("role", "button");
  sw.addEventListener("click", function (e) {
    e.preventDefault();
    var big = root.classList.toggle("qz-big");
    sw.setAttribute("aria-pressed", big ? "true" : "false");
    if (label) { label.textContent = big ? "标准字号" : "大字模式"; }
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = big
      ? "pufa_big=1; Path=/; Max-Age=31536000; SameSite=Lax" + secure
      : "pufa_big=; Path=/; Max-Age=0; SameSite=Lax" + secure;
  });
})();
