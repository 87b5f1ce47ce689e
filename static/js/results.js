// After the filters are submitted, the new page puts the keyboard focus on the results'
// heading ("12 sites trouvés"): a screen reader reads the count, and the next Tab is
// the first result. Only after using the form: a shared link opens at the top as usual.
(function () {
  "use strict";
  var KEY = "annuaire-focus-results";
  var heading = document.getElementById("resultats-titre");
  try {
    if (heading && window.sessionStorage.getItem(KEY)) {
      // A criterion to correct comes first: the field in error, else the count.
      var invalid = document.querySelector("form[data-focus-results] [aria-invalid=true]");
      (invalid || heading).focus();
    }
    window.sessionStorage.removeItem(KEY);
  } catch (error) { /* storage refused: the page works as without script */ }
  document.querySelectorAll("form[data-focus-results]").forEach(function (form) {
    form.addEventListener("submit", function () {
      try { window.sessionStorage.setItem(KEY, "1"); } catch (error) { /* ignore */ }
    });
  });
})();
