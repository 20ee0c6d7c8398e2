/* The team dashboard: the 30-day chart, the sortable agents table, the live SLA clocks, pickers that apply
   themselves. Every number comes from the page (json_script or the table cells); nothing is fetched. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function autosubmit() {
    var form = document.getElementById("team-filters");
    if (!form) return;
    // Pickers elsewhere on the page carry data-autosubmit (static/js/app.js submits their form).
    var pickers = form.querySelectorAll("select:not([data-autosubmit])");
    Array.prototype.slice.call(pickers).forEach(function (select) {
      select.addEventListener("change", function () {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      });
    });
  }

  function trendChart() {
    var data = readJson("team-trend-data");
    var canvas = document.getElementById("trend-chart");
    if (!data || !canvas || typeof Chart === "undefined") return;
    var locale = document.documentElement.lang || undefined;
    var number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    var format = function (value) { return value === null ? "—" : number.format(value) + data.suffix; };
    var datasets = [{
      label: data.label,
      data: data.actual,
      borderColor: "#0d6efd",
      backgroundColor: "rgba(13, 110, 253, .12)",
      fill: true,
      tension: 0.25,
      spanGaps: false,
      pointRadius: 2
    }];
    if (data.target.some(function (value) { return value !== null; })) {
      datasets.push({
        label: data.texts.target,
        data: data.target,
        borderColor: "#fd7e14",
        borderDash: [6, 4],
        pointRadius: 2,
        fill: false,
        stepped: true
      });
    }
    canvas.chart = new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 10 } },
          y: { beginAtZero: true, ticks: { callback: format } }
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + format(item.raw); } } }
        }
      }
    });
  }

  // Sorting in place; the URL and the export links keep the order, so a reload or a download matches.
  function sortableTable() {
    var table = document.getElementById("agents-table");
    if (!table) return;
    var body = table.tBodies[0];
    var headers = table.querySelectorAll("th[data-sort-key]");
    headers.forEach(function (header) {
      var link = header.querySelector("a");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var key = header.dataset.sortKey;
        var descending = header.getAttribute("aria-sort") === "ascending";
        var numeric = header.dataset.numeric === "1" || key === "plan_status";
        var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-agent]"));
        var value = function (row) {
          var cell = row.querySelector('[data-key="' + key + '"]');
          var raw = cell ? cell.dataset.sortValue : "";
          if (raw === "" || raw === undefined) return null;
          return numeric ? parseFloat(raw) : raw;
        };
        var collator = new Intl.Collator(document.documentElement.lang || undefined);
        rows.sort(function (a, b) {
          var x = value(a), y = value(b);
          if (x === null && y === null) return 0;
          if (x === null) return 1;  // no figure: last, either way
          if (y === null) return -1;
          var order = numeric ? x - y : collator.compare(x, y);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (other) {
          other.removeAttribute("aria-sort");
          other.querySelector(".sort-arrow").textContent = "";
        });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        header.querySelector(".sort-arrow").textContent = descending ? " ↓" : " ↑";
        var sort = (descending ? "-" : "") + key;
        var url = new URL(window.location.href);
        url.searchParams.set("sort", sort);
        window.history.replaceState(null, "", url);
        var hidden = document.querySelector('#team-filters input[name="sort"]');
        if (hidden) hidden.value = sort;
        document.querySelectorAll("#export-links a").forEach(function (exportLink) {
          var target = new URL(exportLink.href, window.location.href);
          target.searchParams.set("sort", sort);
          exportLink.href = target.pathname + target.search;
        });
      });
    });
  }

  // The first-answer clocks of open complaints count down while the page stays open.
  function slaClocks() {
    var texts = readJson("team-clock-texts");
    var clocks = document.querySelectorAll(".sla-clock[data-due]");
    if (!texts || !clocks.length) return;
    var fill = function (template, values) {
      return template.replace(/%\((\w+)\)s/g, function (_match, name) { return values[name]; });
    };
    var duration = function (seconds) {
      var minutes = Math.floor(Math.abs(seconds) / 60);
      var days = Math.floor(minutes / 1440), hours = Math.floor(minutes / 60) % 24;
      if (days) return fill(texts.days, { days: days, hours: hours });
      if (hours) return fill(texts.hours, { hours: hours, minutes: minutes % 60 });
      return fill(texts.minutes, { minutes: minutes % 60 });
    };
    var tick = function () {
      var now = Date.now();
      clocks.forEach(function (clock) {
        var seconds = Math.round((Date.parse(clock.dataset.due) - now) / 1000);
        clock.textContent = fill(seconds >= 0 ? texts.left : texts.late, { time: duration(seconds) });
        if (seconds < 0) clock.closest("tr").classList.replace("table-warning", "table-danger");
      });
    };
    window.setInterval(tick, 30000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    autosubmit();
    trendChart();
    sortableTable();
    slaClocks();
  });
})();
