/* Maps of sites (progressive enhancement, vendored Leaflet + Leaflet.markercluster).
 *
 * Each [data-map] loads the GeoJSON at data-geojson-url (the /centres.geojson export
 * with the page's filters), draws one circle per site, grouped when close, and opens
 * the site's page from its popup. Sites placed at their town hall (position
 * approximative) are drawn hollow and dashed, and say so. Tiles come from
 * data-tile-url when the server sets one (none in tests: the circles still render).
 * The markers are not keyboard stops: the list beside the map is the accessible
 * alternative, and a link skips the map.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!window.L || !window.fetch) return;

  function addStylesheet(href) {
    if (!href || document.querySelector('link[href="' + href + '"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }
  ["data-leaflet-css", "data-cluster-css", "data-cluster-default-css"].forEach(function (name) {
    addStylesheet(script && script.getAttribute(name));
  });

  // The export gives each site's French page; on an English page, its English one.
  function pageUrl(url, prefix) {
    var address = new URL(url, window.location.href);
    if (prefix && address.pathname.indexOf(prefix + "/") !== 0) address.pathname = prefix + address.pathname;
    return address.href;
  }

  function popup(properties, labels) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = pageUrl(properties.url, labels.prefix);
    link.textContent = properties.nom || labels.open;
    box.appendChild(link);
    var where = [properties.etablissement_nom, properties.ville].filter(Boolean).join(" — ");
    if (where) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(where));
    }
    if (properties.position_approximative) {
      var note = document.createElement("em");
      note.textContent = labels.approximate;
      box.appendChild(document.createElement("br"));
      box.appendChild(note);
    }
    return box;
  }

  function setup(element) {
    var section = element.closest("[data-map-section]");
    var status = section && section.querySelector("[data-map-status]");
    var labels = {};
    ["approximate", "open", "one", "many", "unplaced", "none", "error"].forEach(function (name) {
      labels[name] = element.getAttribute("data-label-" + name) || "";
    });
    labels.prefix = element.getAttribute("data-path-prefix") || "";
    if (section) section.hidden = false;

    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.5, maxZoom: 18 });
    map.setView([46.6, 2.4], 5); // mainland France until the sites are known
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 18,
        // The site sends no Referer by default (same-origin); tile servers such as
        // OpenStreetMap's refuse requests without one.
        referrerPolicy: "strict-origin-when-cross-origin",
        attribution: element.getAttribute("data-tile-attribution") || "",
      }).addTo(map);
    }
    var group = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });

    fetch(element.getAttribute("data-geojson-url"), { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var features = data.features || [];
        features.forEach(function (feature) {
          var coordinates = feature.geometry.coordinates;
          var approximate = feature.properties.position_approximative;
          var marker = L.circleMarker([coordinates[1], coordinates[0]], {
            radius: 8,
            weight: 2,
            color: "#1d3f8f",
            fillColor: approximate ? "#ffffff" : "#1d3f8f",
            fillOpacity: approximate ? 0.6 : 0.85,
            dashArray: approximate ? "3 3" : null,
            className: approximate ? "marker-approximate" : "marker-exact",
          });
          marker.bindPopup(popup(feature.properties, labels));
          group.addLayer(marker);
        });
        map.addLayer(group);
        if (features.length) {
          // Mainland France first when it has sites: overseas ones stay on the map,
          // one zoom out away, rather than shrinking the mainland to a dot.
          var mainland = L.latLngBounds([41, -5.5], [51.5, 10]);
          var inside = L.latLngBounds([]);
          group.eachLayer(function (marker) {
            if (mainland.contains(marker.getLatLng())) inside.extend(marker.getLatLng());
          });
          map.fitBounds(inside.isValid() ? inside : group.getBounds(), { padding: [20, 20], maxZoom: 13 });
        }
        var total = parseInt(element.getAttribute("data-total"), 10);
        var text = !features.length ? labels.none
          : features.length === 1 ? labels.one : labels.many.replace("%s", features.length);
        if (total > features.length) text += " " + labels.unplaced.replace("%s", total - features.length);
        element.setAttribute("data-markers", String(features.length));
        if (status) status.textContent = text;
      })
      .catch(function (error) {
        if (window.console) window.console.error("map:", error);
        if (status) status.textContent = labels.error;
        element.setAttribute("data-markers", "error");
      });
  }

  document.querySelectorAll("[data-map]").forEach(setup);
})();
