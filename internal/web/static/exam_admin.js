// pufa exam settings: the paper's total and the bank's supply beside each
// rule while typing, rows added on demand, the senior officials' rules
// shown only when used. The form works without it; the server checks all.
(function () {
  "use strict";
  var bankEl = document.querySelector("[data-bank]");
  var bank = {};
  try { bank = JSON.parse(bankEl ? bankEl.getAttribute("data-bank") : "{}") || {}; } catch (e) { bank = {}; }

  function num(v) { var x = parseFloat(v); return isFinite(x) ? x : 0; }
  function round2(x) { return Math.round(x * 100) / 100; }

  function update(table) {
    var prefix = table.getAttribute("data-prefix");
    var total = 0;
    var used = {}; // questions earlier rows of the same type and tag take
    table.querySelectorAll("[data-pick-row]").forEach(function (row) {
      var type = row.querySelector("[name=" + prefix + "_type]").value;
      var tag = row.querySelector("[name=" + prefix + "_tag]").value;
      var countEl = row.querySelector("[name=" + prefix + "_count]");
      var count = Math.floor(num(countEl.value));
      var pts = num(row.querySelector("[name=" + prefix + "_points]").value);
      var sub = row.querySelector("[data-subtotal]");
      var avail = row.querySelector("[data-avail]");
      var blank = countEl.value === "" && row.querySelector("[name=" + prefix + "_points]").value === "";
      sub.textContent = blank ? "" : String(round2(count * pts));
      total += count * pts;
      var key = type + "|" + tag;
      var have = bank[key] || 0;
      // An untagged rule loses whatever earlier rules of its type took; a
      // tagged one at least what earlier rules of its tag took.
      var left = have - (used[tag === "" ? type : key] || 0);
      avail.textContent = blank ? "" : "可用 " + have + " 题";
      avail.classList.toggle("ea-short", !blank && count > left);
      if (!blank && count > left) { avail.textContent = "可用 " + Math.max(left, 0) + " 题，不够"; }
      if (!blank) {
        used[key] = (used[key] || 0) + count;
        used[type] = (used[type] || 0) + count;
      }
    });
    var out = table.querySelector("[data-total]");
    if (out) {
      out.textContent = String(round2(total));
      out.classList.toggle("ea-off", Math.abs(total - 100) > 1e-9 && total > 0);
      out.title = Math.abs(total - 100) > 1e-9 ? "总分不是 100 分时，成绩按百分制折算" : "";
    }
  }

  // addRow copies the last row of a table's body with its inputs emptied.
  function addRow(tbody) {
    var rows = tbody.querySelectorAll("tr");
    if (!rows.length) { return; }
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("input").forEach(function (i) { i.value = ""; });
    copy.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; });
    copy.querySelectorAll("[data-subtotal],[data-avail]").forEach(function (c) { c.textContent = ""; c.classList.remove("ea-short"); });
    tbody.appendChild(copy);
    var first = copy.querySelector("select,input");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("table[data-picks]").forEach(function (table) {
    table.addEventListener("input", function () { update(table); });
    table.addEventListener("change", function () { update(table); });
    var btn = table.querySelector("[data-add-row]");
    if (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { addRow(table.tBodies[0]); update(table); });
    }
    update(table);
  });

  document.querySelectorAll("[data-add-row-to]").forEach(function (btn) {
    var table = document.querySelector(btn.getAttribute("data-add-row-to"));
    if (!table) { return; }
    btn.hidden = false;
    btn.addEventListener("click", function () { addRow(table.tBodies[0]); });
  });

  document.querySelectorAll("[data-toggle]").forEach(function (box) {
    var target = document.querySelector(box.getAttribute("data-toggle"));
    if (!target) { return; }
    var sync = function () { target.hidden = !box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
})();
