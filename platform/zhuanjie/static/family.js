/* The family form: empty member rows beyond the first are folded away, "再添加一位成员"
 * shows the next (and makes new rows past the ones the page brought, up to 19 members).
 * Without script every row is simply shown. */
(function () {
  "use strict";
  var MAX_ROWS = 19;

  function rows(box) { return Array.prototype.slice.call(box.querySelectorAll(".member-row")); }

  function filled(row) {
    return Array.prototype.some.call(row.querySelectorAll("input"), function (i) {
      return i.value.trim() !== "";
    }) || row.querySelector(".error") !== null;
  }

  function fold(box) {
    var shownEmpty = false;
    rows(box).forEach(function (row) {
      if (filled(row)) { row.hidden = false; return; }
      row.hidden = shownEmpty;
      shownEmpty = true;
    });
  }

  function copyRow(box) {
    var all = rows(box);
    var last = all[all.length - 1];
    var n = all.length + 1;
    if (n > MAX_ROWS) return null;
    var row = last.cloneNode(true);
    var from = "m" + last.getAttribute("data-row") + "_", to = "m" + n + "_";
    row.setAttribute("data-row", String(n));
    row.querySelector("legend").textContent = "成员 " + n;
    Array.prototype.forEach.call(row.querySelectorAll("[id],[name],[for]"), function (el) {
      ["id", "name", "for"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.split(from).join(to));
      });
      if (el.tagName === "INPUT") el.value = "";
    });
    Array.prototype.forEach.call(row.querySelectorAll(".error"), function (e) { e.remove(); });
    Array.prototype.forEach.call(row.querySelectorAll(".has-error"), function (e) {
      e.classList.remove("has-error");
    });
    box.appendChild(row);
    return row;
  }

  function start() {
    var box = document.getElementById("family-rows");
    var add = document.getElementById("add-member");
    if (!box || !add) return;
    fold(box);
    add.hidden = false;
    add.addEventListener("click", function () {
      var next = rows(box).filter(function (r) { return r.hidden; })[0] || copyRow(box);
      if (!next) { add.hidden = true; return; }
      next.hidden = false;
      var first = next.querySelector("input");
      if (first) first.focus();
    });
    // A draft restored by field.js may name rows this page did not bring, and fill rows
    // that were folded away.
    var form = box.closest("form");
    form.addEventListener("draft-restoring", function (event) {
      var highest = 0;
      event.detail.forEach(function (name) {
        var m = /^m(\d+)_/.exec(name);
        if (m) highest = Math.max(highest, Number(m[1]));
      });
      while (rows(box).length < highest && copyRow(box)) { /* one more row */ }
    });
    form.addEventListener("draft-restored", function () { fold(box); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
