/* tinkerlab lab: the little JavaScript the pages need, no framework, no build step.
   - every htmx request carries the page's CSRF token;
   - sliders move on the knob's scale (linear or log) and stay in step with their number box;
   - charts: Vega-Lite specs embedded in <script type="application/json" data-chart="ID">;
   - live views follow server-sent events (a job's progress, a sweep's points). */
(function () {
  "use strict";

  var csrf = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrf();
  });

  /* --- sliders ------------------------------------------------------------------------ */
  function toValue(position, low, high, scale, kind) {
    var t = position / 1000;
    var v = scale === "log" && low > 0 ? Math.exp(Math.log(low) + t * (Math.log(high) - Math.log(low)))
                                       : low + t * (high - low);
    if (kind === "int") { return Math.round(v); }
    return Number(v.toPrecision(3));
  }
  function toPosition(value, low, high, scale) {
    if (!(value >= low)) { return 0; }
    if (value >= high) { return 1000; }
    var t = scale === "log" && low > 0 ? (Math.log(value) - Math.log(low)) / (Math.log(high) - Math.log(low))
                                       : (value - low) / (high - low);
    return Math.round(1000 * t);
  }
  function wireSlider(box) {
    if (box.dataset.wired) { return; }
    box.dataset.wired = "1";
    var range = box.querySelector('input[type="range"]');
    var number = box.querySelector('input[type="number"]');
    var low = parseFloat(box.dataset.low), high = parseFloat(box.dataset.high);
    var scale = box.dataset.scale, kind = box.dataset.kind;
    if (!range || !number || !isFinite(low) || !isFinite(high)) { return; }
    range.value = toPosition(parseFloat(number.value), low, high, scale);
    range.addEventListener("input", function () {
      number.value = toValue(parseFloat(range.value), low, high, scale, kind);
      number.dispatchEvent(new Event("input", { bubbles: true }));
    });
    range.addEventListener("change", function () {
      number.dispatchEvent(new Event("change", { bubbles: true }));
    });
    number.addEventListener("input", function () {
      range.value = toPosition(parseFloat(number.value), low, high, scale);
    });
    var field = box.parentElement;
    field.querySelectorAll("input[data-special]").forEach(function (box2) {
      var sync = function () { number.disabled = box2.checked; range.disabled = box2.checked; };
      box2.addEventListener("change", function () {
        sync();
        /* unticking "none" asks for a number: show the slider's, so what is sent is seen
           (an empty box would send nothing, and the run would quietly keep the default) */
        if (!box2.checked && number.value === "") {
          number.value = toValue(parseFloat(range.value), low, high, scale, kind);
        }
      });
      sync();
    });
  }

  /* --- charts ------------------------------------------------------------------------- */
  window.tlCharts = window.tlCharts || {};
  function drawChart(script) {
    var id = script.getAttribute("data-chart");
    var target = document.getElementById(id);
    if (!target || typeof window.vegaEmbed !== "function") { return; }
    var spec = JSON.parse(script.textContent);
    return window.vegaEmbed(target, spec, { renderer: "svg", actions: false })
      .then(function (result) { window.tlCharts[id] = result.view; target.dataset.drawn = "1"; })
      .catch(function (error) { console.error(error); });
  }
  window.tlRedraw = function (id, spec) {
    var script = document.querySelector('script[data-chart="' + id + '"]');
    if (script) { script.textContent = JSON.stringify(spec); return drawChart(script); }
  };

  /* --- a neural network's epochs, live (the "epochs" events of a job or a sweep) ------- */
  function addEpochs(event) {
    var box = document.querySelector("[data-epochs]");
    var script = box && box.querySelector("script[data-chart]");
    if (!script) { return; }
    var spec = JSON.parse(script.textContent);
    spec.datasets.epochs = spec.datasets.epochs.concat(JSON.parse(event.data));
    box.hidden = false;
    window.tlRedraw(script.getAttribute("data-chart"), spec);
  }

  /* --- a job's progress --------------------------------------------------------------- */
  function followJob(section) {
    var source = new EventSource(section.getAttribute("data-job-events"));
    var bar = section.querySelector("progress");
    var what = section.querySelector(".job-what");
    var problem = section.querySelector(".job-error");
    source.addEventListener("epochs", addEpochs);
    source.addEventListener("progress", function (event) {
      var job = JSON.parse(event.data);
      if (bar) { bar.max = job.total || 1; bar.value = job.done; }
      if (what) { what.textContent = job.what + " (" + job.elapsed + " s)"; }
      if (job.experiment_id && section.dataset.follow === "experiment") {
        source.close();
        window.location.assign("/experiments/" + job.experiment_id);
      }
    });
    source.addEventListener("done", function (event) {
      source.close();
      var job = JSON.parse(event.data);
      if (job.url) { window.location.assign(job.url); }
    });
    source.addEventListener("failed", function (event) {
      source.close();
      var job = JSON.parse(event.data);
      if (problem) { problem.hidden = false; problem.querySelector("p").textContent = job.error; }
      if (what) { what.textContent = "stopped"; }
    });
  }

  /* --- a sweep's points (or a comparison's models), live from the journal ------------ */
  function addToChart(chartId, kind, point) {
    var script = chartId && document.querySelector('script[data-chart="' + chartId + '"]');
    if (!script) { return; }
    var spec = JSON.parse(script.textContent);
    if (kind === "board") {
      var models = spec.datasets.models;
      point.rows.filter(function (r) { return r.split === "validation"; }).forEach(function (r) {
        /* the same fields leaderboard_rows gives the page when it is drawn again */
        models.push({ model: point.label, mean: r.mean, low: r.low, high: r.high,
                      folds: point.folds, status: point.status });
      });
      /* ranked as leaderboard_rows (and the library) rank them: the models that raced to
         the end by their mean, then the dropped ones (most folds first): a mean over fewer
         folds is no rank */
      var higher = spec.usermeta ? spec.usermeta.higher !== false : true;
      var finished = function (m) { return m.status !== "dropped early"; };
      models.sort(function (a, b) {
        if (finished(a) !== finished(b)) { return finished(a) ? -1 : 1; }
        if (!finished(a) && a.folds !== b.folds) { return b.folds - a.folds; }
        return higher ? b.mean - a.mean : a.mean - b.mean;
      });
      var rank = 0;
      models.forEach(function (m, i) { m.order = i + 1; m.rank = finished(m) ? ++rank : null; });
    } else {
      spec.datasets.points = spec.datasets.points.concat(point.rows);
    }
    window.tlRedraw(chartId, spec);
  }

  function followExperiment(section) {
    var source = new EventSource(section.getAttribute("data-experiment-events"));
    var table = section.querySelector("tbody[data-points]");
    var bar = section.querySelector("progress");
    var what = section.querySelector(".job-what");
    var chartId = section.getAttribute("data-chart-id");
    var kind = section.getAttribute("data-chart-kind");
    var seen = {};
    if (table) {
      table.querySelectorAll("tr[data-position]").forEach(function (row) {
        seen[row.getAttribute("data-label") || row.cells[kind === "board" ? 1 : 0].textContent] = true;
      });
    }
    source.addEventListener("point", function (event) {
      var point = JSON.parse(event.data);
      if (seen[point.label]) { return; }
      seen[point.label] = true;
      var done = document.querySelector("[data-done]");
      if (done) { done.textContent = String(Object.keys(seen).length); }
      if (table) {
        var row = document.createElement("tr");
        row.setAttribute("data-position", point.position);
        var cells = kind === "board" ? ["", point.label, point.cv_text, point.fit_text, point.notices.join("; ")]
                                     : [point.label, point.train_text, point.cv_text, point.fit_text];
        cells.forEach(function (text, i) {
          var cell = document.createElement("td");
          cell.textContent = text;
          if (i > (kind === "board" ? 1 : 0) && i < 4) { cell.className = "num"; }
          row.appendChild(cell);
        });
        table.appendChild(row);
      }
      addToChart(chartId, kind, point);
    });
    source.addEventListener("epochs", addEpochs);
    source.addEventListener("progress", function (event) {
      var state = JSON.parse(event.data);
      if (bar && state.total) { bar.max = state.total; bar.value = state.done; }
      if (what) { what.textContent = state.what + " (" + state.elapsed + " s)"; }
    });
    source.addEventListener("done", function () {
      source.close();
      window.location.reload();
    });
  }

  /* --- parts of a page that take a while (the data report): fetched after it shows ------
     Not htmx: htmx drops <script> elements from what it swaps in (allowScriptTags is
     off), and a chart's spec lives in one. Scripts set through innerHTML never run. */
  function loadPart(box) {
    fetch(box.getAttribute("data-part"), { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (answer) {
        return answer.text().then(function (text) {
          if (!answer.ok) { throw new Error(text); }
          box.innerHTML = text;
          wire(box);
        });
      })
      .catch(function (error) {
        box.innerHTML = "";
        var p = document.createElement("p");
        p.className = "alert";
        p.textContent = "This part could not be loaded: " + error.message;
        box.appendChild(p);
      });
  }

  function wire(root) {
    root.querySelectorAll("[data-part]").forEach(loadPart);
    root.querySelectorAll(".slider").forEach(wireSlider);
    root.querySelectorAll("script[data-chart]").forEach(drawChart);
    root.querySelectorAll("[data-job-events]").forEach(followJob);
    root.querySelectorAll("[data-experiment-events]").forEach(followExperiment);
    root.querySelectorAll("form[data-busy]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    document.querySelectorAll(".slider").forEach(wireSlider);  /* new ones only: idempotent */
    event.detail.elt.querySelectorAll("script[data-chart]").forEach(drawChart);
  });
})();
