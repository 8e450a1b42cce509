// "Cite this": write the visitor's date into the citation. Pages are cached for a month,
// so the date the server wrote may be an earlier day; it stays as the fallback without
// JavaScript. Each date is a <span data-cite-date="year|long|iso">.
(function () {
  "use strict";
  const MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
  ];
  const today = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const forms = {
    year: String(today.getFullYear()),
    long: `${today.getDate()} ${MONTHS[today.getMonth()]} ${today.getFullYear()}`,
    iso: `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`,
  };
  for (const span of document.querySelectorAll("[data-cite-date]")) {
    const text = forms[span.dataset.citeDate];
    if (text) span.textContent = text;
  }
})();
