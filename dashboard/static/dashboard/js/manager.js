// Charts of the manager's pages, from the data each page put in a json_script element:
// - #attainment-data (manager overview): teams, axis label and one series of % of target per targeted metric;
// - #staffing-data (staffing advice): hours, agents needed and scheduled per hour, expected chats, labels.
(function () {
  "use strict";

  var COLOURS = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#6c757d"];

  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function attainmentChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.teams,
        datasets: data.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.values,
            backgroundColor: COLOURS[index % COLOURS.length],
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { y: { beginAtZero: true, title: { display: true, text: data.axis } } },
      },
    });
  }

  function staffingChart(canvas, data) {
    var shortColour = "rgba(220, 53, 69, .85)";
    var neededColours = data.needed.map(function (needed, hour) {
      return needed !== null && data.scheduled[hour] < needed ? shortColour : "rgba(13, 110, 253, .75)";
    });
    return new Chart(canvas, {
      data: {
        labels: data.hours,
        datasets: [
          { type: "bar", label: data.labels.needed, data: data.needed, backgroundColor: neededColours, yAxisID: "agents" },
          {
            type: "line",
            label: data.labels.scheduled,
            data: data.scheduled,
            borderColor: "#198754",
            backgroundColor: "#198754",
            stepped: "middle",
            pointRadius: 0,
            yAxisID: "agents",
          },
          {
            type: "line",
            label: data.labels.expected,
            data: data.expected,
            borderColor: "#adb5bd",
            borderDash: [4, 4],
            pointRadius: 0,
            tension: 0.3,
            yAxisID: "chats",
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom" } },
        scales: {
          agents: { position: "left", beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.labels.agents } },
          chats: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: data.labels.chats } },
          x: { ticks: { autoSkip: true, maxRotation: 0 } },
        },
      },
    });
  }

  function start() {
    if (typeof Chart === "undefined") {
      return;
    }
    var attainment = read("attainment-data");
    var attainmentCanvas = document.getElementById("attainment-chart");
    if (attainment && attainmentCanvas) {
      attainmentChart(attainmentCanvas, attainment);
    }
    var staffing = read("staffing-data");
    var staffingCanvas = document.getElementById("staffing-chart");
    if (staffing && staffingCanvas) {
      staffingChart(staffingCanvas, staffing);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
