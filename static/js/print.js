// "Imprimer cette fiche": a button that only shows when scripts run (print is also
// in the browser's menu); the print stylesheet in site.css makes the one-page sheet.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
