/* Suggestions for the search boxes (progressive enhancement).
 *
 * Without JavaScript the form submits as usual. With it, typing shows suggestions
 * from the URL in data-autocomplete-url (diseases; on the single box also centres,
 * hospitals, filières and places), following the ARIA combobox pattern: options hold
 * text only (no link inside an option), Up/Down or the pointer move the highlighted
 * option (aria-activedescendant), Enter or a click opens it, Escape closes the list,
 * and a live region says how many suggestions there are, or that there are none.
 * The words said come from the page (data-label-*), in the page's language.
 */
(function () {
  "use strict";

  function setup(container, index) {
    var input = container.querySelector("input[type=search]");
    var url = container.getAttribute("data-autocomplete-url");
    if (!input || !url || !window.fetch) return;
    var labels = {
      list: container.getAttribute("data-label-list") || "Suggestions",
      none: container.getAttribute("data-label-none") || "",
      one: container.getAttribute("data-label-one") || "1",
      many: container.getAttribute("data-label-many") || "%s",
    };

    var listId = "suggestions-" + index;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", labels.list);
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    container.appendChild(list);
    container.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";
    var controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(position, scroll) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (position + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      if (scroll) options[active].scrollIntoView({ block: "nearest" });
    }

    function open(position) {
      window.location.href = items[position].url;
    }

    function render(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = result.label || result.name;
        var extra = [result.group, result.detail].filter(Boolean).join(" · ");
        if (extra) {
          var meta = document.createElement("span");
          meta.className = "group";
          meta.textContent = extra;
          option.appendChild(meta);
        }
        option.addEventListener("mousemove", function () { if (active !== i) highlight(i, false); });
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          open(i);
        });
        list.appendChild(option);
      });
      var shown = results.length > 0;
      list.hidden = !shown;
      input.setAttribute("aria-expanded", shown ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      if (!shown) status.textContent = lastQuery.length >= 2 ? labels.none : "";
      else status.textContent = results.length === 1 ? labels.one : labels.many.replace("%s", results.length);
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 2) { render([]); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) render(data.results || []); })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          highlight(0, true);
          event.preventDefault();
        }
        return;
      }
      if (event.key === "ArrowDown") { highlight(active + 1, true); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(active - 1, true); event.preventDefault(); }
      else if (event.key === "Escape") { close(); event.preventDefault(); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); open(active); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("[data-autocomplete-url]").forEach(setup);
})();
