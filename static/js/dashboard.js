/* Draws the dashboard's Plotly figures from the JSON embedded with json_script, and wires
   the PNG/SVG download buttons. plotly.js is served from static/vendor (no CDN). */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toImage"]
  };

  var NARROW = 600;

  // Figures may carry a phone-width variant in layout.meta.narrow: trace and layout
  // updates that make room on a small screen (shorter labels, labels under markers).
  function adaptToWidth(graph, narrow) {
    if (!narrow || graph.offsetWidth >= NARROW) {
      return graph;
    }
    var steps = Promise.resolve();
    if (narrow.data) {
      steps = steps.then(function () { return Plotly.restyle(graph, narrow.data, narrow.traces); });
    }
    if (narrow.layout) {
      steps = steps.then(function () { return Plotly.relayout(graph, narrow.layout); });
    }
    return steps.then(function () { return graph; });
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    var figure = JSON.parse(source.textContent);
    var narrow = figure.layout.meta && figure.layout.meta.narrow;
    return Plotly.newPlot(element, figure.data, figure.layout, CONFIG).then(function (graph) {
      return adaptToWidth(graph, narrow);
    }).then(function (graph) {
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
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-download]");
    if (button) {
      download(button);
    }
  });
})();
