// wholeads dashboard: results as you type (calls /api/search) and as-of forms that apply on change.
// Small, dependency-free, loaded from /static (the CSP allows no inline or external script).
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t = null;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function setupSearch() {
    var input = document.getElementById("q");
    var list = document.getElementById("suggest");
    if (!input || !list) return;
    var active = -1;
    var seq = 0;

    function close() { list.hidden = true; list.textContent = ""; active = -1; }

    function show(hits) {
      list.textContent = "";
      active = -1;
      hits.forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = h.url;
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = h.name;
        var detail = document.createElement("span");
        detail.className = "kind";
        detail.textContent = h.detail;
        a.appendChild(name);
        a.appendChild(detail);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
    }

    var query = debounce(function () {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++seq;
      fetch("/api/search?limit=8&q=" + encodeURIComponent(q.slice(0, 100)), {headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (hits) { if (mine === seq) show(hits); })
        .catch(close);
    }, 120);

    input.addEventListener("input", query);
    input.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("a");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!items.length) return;
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        items.forEach(function (a, i) { a.classList.toggle("active", i === active); });
      } else if (e.key === "Enter" && active >= 0 && items[active]) {
        e.preventDefault();
        window.location.href = items[active].href;
      } else if (e.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (e) {
      if (!list.contains(e.target) && e.target !== input) close();
    });
  }

  function setupAutoSubmit() {
    document.querySelectorAll("form.asof").forEach(function (form) {
      form.querySelectorAll("input[type=date], select").forEach(function (field) {
        field.addEventListener("change", function () {
          if (field.type === "date" && field.value && !/^\d{4}-\d{2}-\d{2}$/.test(field.value)) return;
          form.submit();
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSearch();
    setupAutoSubmit();
  });
})();
