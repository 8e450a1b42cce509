/* Draws the dashboard's Plotly figures from the JSON embedded with json_script, and wires
   the PNG/SVG download buttons. plotly.js is served from static/vendor (no CDN). */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toImage"]
  };

  // The map's topojson is served with the site's static files (a <meta> names where), so
  // plotly.js-geo fetches nothing from elsewhere.
  var topojson = document.querySelector('meta[name="topojson-url"]');
  if (topojson) {
    CONFIG.topojsonURL = topojson.getAttribute("content");
  }

  var NARROW = 600;

  // Figures may carry a phone-width variant in layout.meta.narrow: trace and layout
  // updates (in Plotly.restyle / relayout form, "a.b.c" paths) that make room on a small
  // screen (shorter labels, labels above bars or under markers, a taller figure). They are
  // applied before the figure is drawn, so it is drawn once, at the size it needs.
  function setPath(target, path, value) {
    var keys = path.split(".");
    var object = target;
    for (var i = 0; i < keys.length - 1; i++) {
      if (typeof object[keys[i]] !== "object" || object[keys[i]] === null) {
        object[keys[i]] = {};
      }
      object = object[keys[i]];
    }
    object[keys[keys.length - 1]] = value;
  }

  function narrowed(figure, narrow) {
    Object.keys(narrow.layout || {}).forEach(function (path) {
      setPath(figure.layout, path, narrow.layout[path]);
    });
    var traces = narrow.traces || figure.data.map(function (trace, index) { return index; });
    Object.keys(narrow.data || {}).forEach(function (path) {
      var value = narrow.data[path];
      traces.forEach(function (trace, position) {
        // As in Plotly.restyle: an array holds one value per trace listed.
        setPath(figure.data[trace], path, Array.isArray(value) ? value[position % value.length] : value);
      });
    });
    return figure;
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    var figure = JSON.parse(source.textContent);
    var narrow = figure.layout.meta && figure.layout.meta.narrow;
    if (narrow && element.offsetWidth < NARROW) {
      figure = narrowed(figure, narrow);
    }
    return Plotly.newPlot(element, figure.data, figure.layout, CONFIG).then(function (graph) {
      // Drawn, and adapted to a phone where needed: tests and screenshots wait for this.
      graph.setAttribute("data-drawn", "true");
      if (element.getAttribute("data-clickable") === "true") {
        // The matrix: a click on an initiative type lists that type's initiatives.
        graph.on("plotly_click", function (event) {
          var point = event.points && event.points[0];
          var link = point && point.customdata && point.customdata[3];
          if (typeof link === "string" && link.charAt(0) === "?") {
            window.location.assign(link);
          }
        });
      }
    });
  }

  function download(button) {
    var element = document.getElementById(button.getAttribute("data-download"));
    if (!element || !element._fullLayout) {
      return;
    }
    Plotly.downloadImage(element, {
      format: button.getAttribute("data-format"),
      filename: button.getAttribute("data-filename"),
      width: Math.max(element.offsetWidth, 900),
      height: element._fullLayout.height
    });
  }

  document.querySelectorAll("[data-figure]").forEach(draw);

  // Filters left empty stay out of the address, so the address is the permalink the page
  // offers (the server drops them from its links too: dashboard.filters.permalink_query).
  document.querySelectorAll("form.dash-filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (field) {
        if (!field.value && field.type !== "checkbox") {
          field.disabled = true;
        }
      });
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.dash-filters [disabled]").forEach(function (field) {
      field.disabled = false;
    });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-download]");
    if (button) {
      download(button);
    }
  });
})();
