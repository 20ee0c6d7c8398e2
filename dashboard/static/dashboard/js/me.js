// The personal trend chart of "My day" and of the agent profile: one line for the chosen metric.
// Reads the data the page put in #trend-data (json_script): labels (ISO dates), a series per metric
// (null on days without computed metrics), the metrics with label, unit and scale, the selected one and,
// optionally, each metric's figure over the whole period as the page words it (totals).
(function () {
  "use strict";

  function start() {
    var source = document.getElementById("trend-data");
    var canvas = document.getElementById("trend-chart");
    var select = document.getElementById("trend-metric");
    if (!source || !canvas || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var byName = {};
    data.metrics.forEach(function (metric) {
      byName[metric.name] = metric;
    });
    var total = document.getElementById("trend-total");

    function points(name) {
      var scale = byName[name].scale || 1;
      return data.series[name].map(function (value) {
        return value === null ? null : Math.round(value * scale * 100) / 100;
      });
    }

    function title(name) {
      var metric = byName[name];
      return metric.unit ? metric.label + " (" + metric.unit + ")" : metric.label;
    }

    var chart = new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels.map(function (day) {
          return day.slice(5);
        }),
        datasets: [
          {
            label: title(data.selected),
            data: points(data.selected),
            borderColor: "#0d6efd",
            backgroundColor: "rgba(13, 110, 253, .12)",
            fill: true,
            tension: 0.25,
            spanGaps: false,
            pointRadius: data.labels.length > 60 ? 0 : 3,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { display: true, position: "bottom" } },
        scales: { y: { beginAtZero: true }, x: { ticks: { autoSkip: true, maxRotation: 0 } } },
      },
    });
    canvas.dataset.metric = data.selected;

    if (select) {
      select.addEventListener("change", function () {
        var name = select.value;
        chart.data.datasets[0].label = title(name);
        chart.data.datasets[0].data = points(name);
        chart.update();
        canvas.dataset.metric = name;
        if (total && data.totals) {
          total.textContent = data.totals[name];
        }
        var url = new URL(window.location.href);
        url.searchParams.set("metric", name);
        window.history.replaceState(null, "", url);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
