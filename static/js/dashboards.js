// Rantau dashboards: draws each <canvas data-chart="id"> from the JSON in <script id="id">
// (written by the server with json_script). The table beside each chart holds the same numbers.
(() => {
  "use strict";
  if (typeof Chart === "undefined") return;

  // Colour-blind-safe palette (Okabe–Ito), readable in greyscale print too.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  const TARGET_DASH = { 0: [2, 3], 1: [8, 4], 2: [] }; // minimum, target, maximum lines

  function build(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const round = spec.type === "doughnut";
    let line = 0;
    const datasets = spec.datasets.map((ds, i) => {
      const out = { label: ds.label, data: ds.data, type: ds.type };
      if (ds.type === "line") {
        out.borderColor = "#6c757d";
        out.borderDash = TARGET_DASH[line++] || [];
        out.borderWidth = 1.5;
        out.pointRadius = 0;
        out.fill = false;
        out.order = 0;
      } else if (round) {
        out.backgroundColor = ds.data.map((_, j) => PALETTE[j % PALETTE.length]);
      } else {
        out.backgroundColor = PALETTE[i % PALETTE.length];
        out.order = 1;
      }
      return out;
    });
    // Numbers as the user's language writes them: 1.000 in Bahasa Indonesia, 1,000 in English.
    const locale = canvas.dataset.locale || document.documentElement.lang || "id";
    const options = {
      locale,
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: datasets.length > 1 || round, position: "bottom" } },
    };
    if (!round) {
      const value = { beginAtZero: true, ticks: { precision: 0 } };
      if (spec.percent) {
        Object.assign(value, { max: 100, ticks: { callback: (v) => `${new Intl.NumberFormat(locale).format(v)}%` } });
      }
      // Long names (programmes, kecamatan) are shortened on the axis; the tooltip and the table keep them whole.
      const category = {
        ticks: {
          callback(v) {
            const label = String(this.getLabelForValue(v));
            return label.length > 32 ? `${label.slice(0, 30)}…` : label;
          },
        },
      };
      if (spec.horizontal) {
        options.indexAxis = "y";
        options.scales = { x: value, y: category };
      } else {
        options.scales = { x: category, y: value };
      }
    }
    return new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets }, options });
  }

  const charts = [];
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const chart = build(canvas);
    if (chart) charts.push(chart);
  });
  // Charts in a tab drawn while hidden have no size; redraw them when their tab is shown.
  document.addEventListener("shown.bs.tab", () => charts.forEach((c) => c.resize()));
  // Paper is narrower than the screen: before printing, draw each chart at the size it has on an A4
  // page (the print stylesheet's heights, about 170 mm wide), and back to the screen size afterwards.
  const PRINT_WIDTH = 640;
  window.addEventListener("beforeprint", () =>
    charts.forEach((c) => c.resize(PRINT_WIDTH, c.canvas.parentElement.classList.contains("dash-chart-tall") ? 280 : 200)),
  );
  window.addEventListener("afterprint", () => charts.forEach((c) => c.resize()));
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
})();
