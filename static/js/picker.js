/* City pickers (templates/dashboard/includes/city_picker.html): plain checkboxes that work
   without JavaScript. This adds a filter box and keeps the "N of up to M chosen" count
   current; at the limit, the boxes not ticked are disabled until one is unticked. */
(function () {
  "use strict";

  function setUp(picker) {
    var limit = parseInt(picker.getAttribute("data-limit"), 10) || 0;
    var search = picker.querySelector("[data-picker-search]");
    var count = picker.querySelector("[data-picker-count]");
    var boxes = Array.prototype.slice.call(picker.querySelectorAll("input[type=checkbox]"));

    function update() {
      var chosen = boxes.filter(function (box) { return box.checked; }).length;
      count.textContent = chosen + " of up to " + limit + " chosen";
      boxes.forEach(function (box) {
        box.disabled = limit > 0 && chosen >= limit && !box.checked;
      });
    }

    function filter() {
      var words = search.value.trim().toLowerCase();
      boxes.forEach(function (box) {
        var label = box.parentNode.textContent.toLowerCase();
        box.parentNode.hidden = words !== "" && label.indexOf(words) === -1;
      });
    }

    search.hidden = false;
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // filtering, not submitting the form
      }
    });
    picker.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("[data-picker]").forEach(setUp);
})();
