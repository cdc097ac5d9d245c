/* The playground: ask the lab for a model's decision map, paint it on a canvas.
   Every change of a control asks again (the previous request is cancelled), so moving a
   slider redraws the boundary and the scores as fast as the model fits. */
(function () {
  "use strict";
  var PALETTE = [[11, 95, 179], [224, 123, 0], [26, 127, 55], [179, 38, 30]];
  var form, canvas, context, pending = null, timer = null;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      var input = form.querySelector('[name="' + CSS.escape(key) + '"]:not([type=checkbox])');
      if (input && input.disabled) { return; }
      params.append(key, value);
    });
    return params.toString();
  }

  function paint(drawing) {
    var w = canvas.width, h = canvas.height, g = drawing.grid;
    var k = Math.max(2, drawing.classes.length);
    /* the map: one pixel per cell on a small canvas, stretched smoothly over the big one */
    var small = document.createElement("canvas");
    small.width = g; small.height = g;
    var cells = small.getContext("2d").createImageData(g, g);
    for (var r = 0; r < g; r++) {
      for (var c = 0; c < g; c++) {
        var i = r * g + c, o = 4 * ((g - 1 - r) * g + c);  /* rows come from the bottom */
        var rgb = PALETTE[drawing.cells[i] % PALETTE.length];
        var sure = Math.max(0, (drawing.confidence[i] - 1 / k) / (1 - 1 / k));
        var a = 0.12 + 0.5 * sure;  /* blend with white: no seams between cells */
        cells.data[o] = Math.round(255 - a * (255 - rgb[0]));
        cells.data[o + 1] = Math.round(255 - a * (255 - rgb[1]));
        cells.data[o + 2] = Math.round(255 - a * (255 - rgb[2]));
        cells.data[o + 3] = 255;
      }
    }
    small.getContext("2d").putImageData(cells, 0, 0);
    context.imageSmoothingEnabled = true;
    context.clearRect(0, 0, w, h);
    var pw = w / (g - 1), ph = h / (g - 1);  /* cell i's centre sits on grid point i */
    context.drawImage(small, -pw / 2, -ph / 2, g * pw, g * ph);
    var b = drawing.bounds;
    drawing.points.forEach(function (p) {
      var x = (p[0] - b[0]) / (b[1] - b[0]) * w;
      var y = h - (p[1] - b[2]) / (b[3] - b[2]) * h;
      var rgb = PALETTE[p[2] % PALETTE.length];
      context.beginPath();
      context.arc(x, y, 3.6, 0, 2 * Math.PI);
      context.fillStyle = p[3] ? "#ffffff" : "rgb(" + rgb.join(",") + ")";
      context.strokeStyle = p[3] ? "rgb(" + rgb.join(",") + ")" : "#ffffff";
      context.lineWidth = p[3] ? 2 : 0.8;
      context.fill();
      context.stroke();
    });
  }

  function show(id, text) { document.getElementById(id).textContent = text; }

  function redraw() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var started = performance.now();
    var error = document.getElementById("pg-error");
    fetch("/playground/draw?" + query(), { signal: pending.signal, headers: { accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          error.hidden = false;
          error.textContent = answer.body.detail || "The model could not be drawn.";
          return;
        }
        error.hidden = true;
        paint(answer.body);
        show("pg-train", answer.body.train.toFixed(3));
        show("pg-test", answer.body.test.toFixed(3));
        show("pg-ms", Math.round(performance.now() - started));
        canvas.dataset.draws = String(Number(canvas.dataset.draws || 0) + 1);
      })
      .catch(function (failure) {
        if (failure.name !== "AbortError") { console.error(failure); }
      });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(redraw, 10);
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("pg-form");
    canvas = document.getElementById("pg-canvas");
    if (!form || !canvas) { return; }
    context = canvas.getContext("2d");
    form.addEventListener("submit", function (event) { event.preventDefault(); soon(); });
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "SELECT") { soon(); }
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "model") {
        var option = event.target.selectedOptions[0];
        var impl = document.getElementById("pg-impl");
        if (option && option.dataset.scratch === "0" && impl.value === "scratch") { impl.value = "sklearn"; }
        return; /* the knobs are swapped in first; htmx:afterSwap redraws */
      }
      if (event.target.name === "impl") { return; }
      soon();
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "pg-knobs") { soon(); }
    });
    redraw();
  });
})();
