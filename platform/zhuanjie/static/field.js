/* Field work on a weak signal.
 *
 * Drafts: every form marked data-draft keeps what was typed in localStorage (never passwords,
 * hidden or file inputs) and restores it when the page is opened again, marked "未提交",
 * until a submission succeeds. A submission succeeded when the page that follows neither
 * shows the same form again (a refusal re-renders it) nor asks to sign in again, nor is the
 * offline page. Drafts hold personal data on the device: they expire after a day and signing
 * out removes them all.
 *
 * Offline page: a service worker (/sw.js, scope /) answers a page request that cannot reach
 * the server with the cached offline page, instead of the browser's error.
 */
(function () {
  "use strict";
  var PREFIX = "zj-draft:";
  var SENT = "zj-draft-sent";
  var MAX_AGE_MS = 24 * 3600 * 1000;
  var SKIP = { password: 1, hidden: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function keyOf(form) {
    return PREFIX + location.pathname + "|" + (form.getAttribute("action") || location.pathname);
  }

  function inputs(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.type];
    });
  }

  function collect(form) {
    return inputs(form).map(function (el) {
      if (el.type === "checkbox" || el.type === "radio") return [el.name, el.value, el.checked];
      return [el.name, el.value];
    });
  }

  function apply(form, saved) {
    // A page script may need to make room first (the family form adds member rows).
    form.dispatchEvent(new CustomEvent("draft-restoring", {
      bubbles: true, detail: saved.map(function (entry) { return entry[0]; }),
    }));
    var byName = {};
    saved.forEach(function (entry) { (byName[entry[0]] = byName[entry[0]] || []).push(entry); });
    inputs(form).forEach(function (el) {
      var entries = byName[el.name];
      if (!entries) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = entries.some(function (e) { return e[1] === el.value && e[2]; });
      } else {
        var entry = entries.shift();
        if (entry) el.value = entry[1];
      }
    });
    form.dispatchEvent(new CustomEvent("draft-restored", { bubbles: true }));
  }

  function mark(form, text) {
    var note = form.querySelector(".draft-mark");
    if (!note) {
      note = document.createElement("p");
      note.className = "draft-mark";
      note.setAttribute("role", "status");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = text;
    note.hidden = !text;
  }

  var UNSENT = "未提交：填写的内容已暂存在本机，提交成功后自动清除。";
  var OFFLINE = "未提交：网络已断开，内容已暂存在本机。恢复网络后请再点提交。";

  function read(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key) || "null");
      if (draft && Date.now() - draft.at < MAX_AGE_MS) return draft;
    } catch (e) { /* a damaged draft is dropped */ }
    store.removeItem(key);
    return null;
  }

  function forget(store, all) {
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0 && (all || !read(store, key))) store.removeItem(key);
    }
  }

  function settle(store) {
    // The page after a submission tells whether it went through.
    var sent = sessionStorage.getItem(SENT);
    if (!sent) return;
    sessionStorage.removeItem(SENT);
    var refused = document.querySelector("[data-keep-drafts]") || location.pathname === "/login" ||
      Array.prototype.some.call(document.querySelectorAll("form[data-draft]"), function (f) {
        return keyOf(f) === sent;
      });
    if (!refused) store.removeItem(sent);
  }

  function watch(store, form) {
    var key = keyOf(form);
    var draft = read(store, key);
    if (draft) {
      // A refused submission comes back with the server's copy of the values: keep those.
      if (!form.querySelector(".error")) apply(form, draft.fields);
      mark(form, UNSENT);
    }
    var save = function () {
      store.setItem(key, JSON.stringify({ at: Date.now(), fields: collect(form) }));
      mark(form, UNSENT);
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function (event) {
      save();
      if (navigator.onLine === false) {
        event.preventDefault();
        mark(form, OFFLINE);
        return;
      }
      sessionStorage.setItem(SENT, key);
    });
  }

  function start() {
    var store = storage();
    if (store) {
      forget(store, false);
      settle(store);
      Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (f) {
        watch(store, f);
      });
      Array.prototype.forEach.call(document.querySelectorAll('form[action="/logout"]'), function (f) {
        f.addEventListener("submit", function () { forget(store, true); });
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-reload]"), function (b) {
      b.addEventListener("click", function () { location.reload(); });
    });
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    }
  }

  // After every deferred script has run, so that page scripts can listen for the restore.
  if (document.readyState === "complete") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
