// wholeads dashboard: results as you type (calls /api/search), as-of forms that apply on change,
// and click-to-sort tables.
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

  // As-of forms apply on change: a select at once, a date (typed as YYYY-MM-DD, the one format
  // every page shows) as soon as it is a whole date inside the evidence's span.
  function wholeDate(field) {
    var v = field.value.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || isNaN(Date.parse(v + "T00:00:00Z"))) return false;
    return (!field.dataset.min || v >= field.dataset.min) && (!field.dataset.max || v <= field.dataset.max);
  }

  function setupAutoSubmit() {
    document.querySelectorAll("form.asof").forEach(function (form) {
      form.querySelectorAll("select").forEach(function (field) {
        field.addEventListener("change", function () { form.submit(); });
      });
      form.querySelectorAll("input.date").forEach(function (field) {
        var first = field.value;
        field.addEventListener("input", function () {
          if (field.value !== first && wholeDate(field)) form.submit();
        });
      });
    });
  }

  // Click a header of a table.sortable to sort its rows by that column (again: reversed).
  // Numeric-aware: a cell that starts with a number ("1,508 ±5", "$0.15", "-3.2") sorts by it;
  // others sort as text with digits compared as numbers; empty cells and "—" go last.
  function cellKey(cell) {
    var text = (cell ? cell.textContent : "").trim();
    if (!text || text === "\u2014" || text === "-") return {empty: true, text: ""};
    var m = text.replace(/^[\u2265\u2264\u2248~<>$+\s]+/, "").match(/^-?[\d,]*\.?\d+(e[+-]?\d+)?/i);
    if (m) return {num: parseFloat(m[0].replace(/,/g, "")), text: text};
    return {text: text.toLowerCase()};
  }

  function compareKeys(a, b) {
    if (a.empty || b.empty) return (a.empty ? 1 : 0) - (b.empty ? 1 : 0);
    if (a.num !== undefined && b.num !== undefined) return a.num - b.num;
    if (a.num !== undefined) return -1;
    if (b.num !== undefined) return 1;
    return a.text.localeCompare(b.text, undefined, {numeric: true});
  }

  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var up = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, i) { return {row: row, key: cellKey(row.cells[index]), i: i}; });
    keyed.sort(function (x, y) {
      var c = compareKeys(x.key, y.key);
      if (x.key.empty || y.key.empty) return c || x.i - y.i;  // empty last either way
      return (up ? c : -c) || x.i - y.i;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
  }

  function setupSort() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var head = table.tHead;
      if (!head || !head.rows.length) return;
      Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
        th.classList.add("sort");
        th.tabIndex = 0;
        th.title = "Sort by this column";
        th.addEventListener("click", function () { sortBy(table, index, th); });
        th.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, index, th); }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSearch();
    setupAutoSubmit();
    setupSort();
  });
})();
