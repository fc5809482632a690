/* The data overview's charts: each .chart element names a /api/v1/insight table in data-src;
   the table (columns + rows) is drawn with Apache ECharts, served from /static/vendor. The same
   table is on the page under 表格视图, so nothing is only in the picture. */
(function () {
  "use strict";
  /* Sortable tables: a button in each header sorts by that column (numbers as numbers). */
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "descending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var text = row.cells[i] ? row.cells[i].textContent.trim() : "";
          var n = parseFloat(text);
          return text === "—" || text === "" ? null : (isNaN(n) ? text : n);
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === null) { return 1; }
          if (y === null) { return -1; }
          var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
          return up ? -c : c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  var printer = document.getElementById("print-page");
  if (printer) { printer.addEventListener("click", function (e) { e.preventDefault(); window.print(); }); }

  if (typeof echarts === "undefined") { return; }
  var COLORS = ["#2f6fb3", "#e0894a", "#3a9a6b", "#c0504d", "#8064a2", "#4bacc6"];
  var charts = [];

  function narrow() { return window.innerWidth < 600; }

  function column(t, i) { return t.rows.map(function (r) { return r[i]; }); }

  function bars(t, names, horizontal) {
    var cats = column(t, 0);
    var series = names.map(function (i) {
      return { name: t.columns[i], type: "bar", data: column(t, i), barMaxWidth: 28 };
    });
    var catAxis = { type: "category", data: cats, axisLabel: { interval: 0, rotate: horizontal ? 0 : (narrow() ? 45 : 0), width: horizontal ? 90 : undefined, overflow: "truncate" } };
    var valAxis = { type: "value", minInterval: 1 };
    return {
      color: COLORS,
      tooltip: { trigger: "axis" },
      legend: { show: names.length > 1, top: 0 },
      grid: { left: horizontal ? 100 : 40, right: 16, top: names.length > 1 ? 32 : 12, bottom: narrow() ? 64 : 32, containLabel: !horizontal },
      xAxis: horizontal ? valAxis : catAxis,
      yAxis: horizontal ? Object.assign(catAxis, { inverse: true }) : valAxis,
      series: series
    };
  }

  var BUILD = {
    funnel: function (t) {
      return {
        color: COLORS,
        tooltip: { trigger: "item", formatter: "{b}：{c}" },
        series: [{
          type: "funnel", sort: "none", left: "8%", width: "84%", top: 8, bottom: 8, minSize: "8%",
          label: { position: "inside", formatter: "{b} {c}" },
          data: t.rows.map(function (r) { return { name: r[0], value: r[1] }; })
        }]
      };
    },
    monthly: function (t) {
      var o = bars(t, [1, 3], false);
      o.series[0].type = "bar";
      o.series[1].type = "line";
      o.series.push({ name: t.columns[2], type: "line", data: column(t, 2) });
      return o;
    },
    time_to_help: function (t) { return bars(t, [1], false); },
    backlog: function (t) { return bars(t, [1], false); },
    monthly_impact: function (t) { return bars(t, [1, 2], false); },
    public_monthly: function (t) { return bars(t, [1, 2], false); },
    organisations: function (t) {
      var top = { columns: t.columns, rows: t.rows.slice(0, 12) };
      var o = bars(top, [3, 4, 5], true);
      o.series.forEach(function (s) { s.stack = null; });
      return o;
    }
  };

  function show(el, t) {
    var build = BUILD[el.getAttribute("data-chart")];
    if (!build) { return; }
    if (!t.rows.length) { el.classList.add("empty"); el.textContent = "暂无数据"; return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build(t));
    charts.push({ chart: chart, el: el, table: t, build: build });
    el.setAttribute("data-drawn", "1");
  }

  function draw(el) {
    if (el.hasAttribute("data-table")) { show(el, JSON.parse(el.getAttribute("data-table"))); return; }
    fetch(el.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (t) { show(el, t); })
      .catch(function () { el.classList.add("empty"); el.textContent = "图表暂时无法显示，请查看下方表格"; });
  }

  document.querySelectorAll(".chart[data-src], .chart[data-table]").forEach(draw);

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) { c.chart.setOption(c.build(c.table), true); c.chart.resize(); });
    }, 150);
  });

  /* The custom dates only matter for 自定义: say so by dimming them otherwise. */
  var kind = document.getElementById("f-kind");
  function dim() {
    var custom = kind && kind.value === "custom";
    ["f-start", "f-end"].forEach(function (id) { var e = document.getElementById(id); if (e) { e.closest(".field").classList.toggle("dim", !custom); } });
    var d = document.getElementById("f-day"); if (d) { d.closest(".field").classList.toggle("dim", custom); }
  }
  if (kind) { kind.addEventListener("change", dim); dim(); }
})();
