// The rating form: the chosen stage highlighted in the rubric, evidence rows added and
// removed in place, and a quote picker that fills quote and location from a passage of
// the chosen source. Without JavaScript the form still works: "Add an evidence row"
// reloads the page with one row more, "Remove this row" is a checkbox, quotes are typed.
(function () {
  "use strict";
  var form = document.querySelector("form.rating-form");
  if (!form) return;
  var passagesUrl = form.getAttribute("data-passages-url");

  // Rubric ---------------------------------------------------------------------------
  var stage = form.querySelector("select[name='stage']");
  function highlight() {
    document.querySelectorAll(".rubric dt").forEach(function (dt) {
      dt.classList.toggle("rubric--chosen", stage && dt.getAttribute("data-stage") === stage.value);
    });
  }
  if (stage) { stage.addEventListener("change", highlight); highlight(); }

  // Quote picker -----------------------------------------------------------------------
  function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

  function setUpRow(row) {
    var picker = row.querySelector(".quote-picker");
    var remove = row.querySelector(".remove-row input[type='checkbox']");
    if (remove && !row.querySelector(".remove-button")) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "remove-button button--secondary";
      button.textContent = "Remove this row";
      button.addEventListener("click", function () {
        remove.checked = true;
        row.hidden = true;
        var add = form.querySelector(".add-evidence");
        if (add) add.focus();
      });
      remove.parentNode.hidden = true;
      remove.parentNode.parentNode.appendChild(button);
    }
    if (!picker) return;
    picker.hidden = false;
    var query = picker.querySelector(".picker-query");
    var status = picker.querySelector(".picker-status");
    var results = picker.querySelector(".picker-results");

    function search() {
      var source = field(row, "source");
      results.innerHTML = "";
      if (!source || !source.value) { status.textContent = "Choose a source first."; source && source.focus(); return; }
      if (!query.value.trim()) { status.textContent = "Type a few words of the passage."; query.focus(); return; }
      status.textContent = "Searching…";
      var url = passagesUrl.replace("/0/", "/" + encodeURIComponent(source.value) + "/") +
        "?q=" + encodeURIComponent(query.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (data) {
          if (!data.has_text) {
            status.textContent = (data.reading_note
              ? "“" + data.source + "”: " + data.reading_note + " Type the quote;"
              : "We hold no text for “" + data.source + "”: type the quote;") +
              " it is saved as unverified until a lead checks it.";
            return;
          }
          status.textContent = data.passages.length
            ? data.passages.length + " passage" + (data.passages.length === 1 ? "" : "s") + " found: pick one to fill the quote and its location."
            : "No passage of “" + data.source + "” holds all these words.";
          data.passages.forEach(function (passage) {
            var item = document.createElement("li");
            var pick = document.createElement("button");
            pick.type = "button";
            pick.textContent = passage.text;
            var where = document.createElement("span");
            where.className = "picker-location";
            where.textContent = passage.location;
            pick.appendChild(where);
            pick.addEventListener("click", function () {
              field(row, "quote").value = passage.text;
              field(row, "location").value = passage.location;
              results.innerHTML = "";
              status.textContent = "Quote and location filled from the passage (" + passage.location + ").";
              field(row, "quote").focus();
            });
            item.appendChild(pick);
            results.appendChild(item);
          });
        })
        .catch(function () { status.textContent = "The search failed; type the quote instead."; });
    }
    picker.querySelector(".picker-search").addEventListener("click", search);
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(); }
    });
  }
  form.querySelectorAll(".evidence-form").forEach(setUpRow);

  // Adding rows ------------------------------------------------------------------------
  var add = form.querySelector(".add-evidence");
  var template = document.getElementById("evidence-row-template");
  var total = form.querySelector("[name$='-TOTAL_FORMS']");
  var rows = form.querySelector(".evidence-rows");
  if (add && template && total && rows) {
    var maxRows = parseInt(add.getAttribute("data-max-rows"), 10) || Infinity;
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      if (index >= maxRows) return;
      var html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = index + 1;
      add.disabled = index + 1 >= maxRows;
      setUpRow(row);
      var first = row.querySelector("select, input, textarea");
      if (first) first.focus();
    });
  }
})();
