#!/usr/bin/env bash
# Copies the front-end packages pinned in scripts/vendor/package-lock.json from npm into
# static/vendor/, each with its licence. The copies are committed: the site and its
# tests never fetch anything at run time. Rerun after changing a version:
#   bash scripts/vendor_static.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/scripts/vendor/package.json" "$root/scripts/vendor/package-lock.json" "$work/"
(cd "$work" && npm ci --silent --no-audit --no-fund)
modules="$work/node_modules"
dest="$root/static/vendor"
rm -rf "$dest"
mkdir -p "$dest/leaflet/images" "$dest/leaflet.markercluster" "$dest/axe-core"

cp "$modules/leaflet/dist/leaflet.js" "$modules/leaflet/dist/leaflet.js.map" "$modules/leaflet/dist/leaflet.css" "$modules/leaflet/LICENSE" "$dest/leaflet/"
cp "$modules/leaflet/dist/images/"*.png "$dest/leaflet/images/"
cp "$modules/leaflet.markercluster/dist/leaflet.markercluster.js" \
  "$modules/leaflet.markercluster/dist/leaflet.markercluster.js.map" \
  "$modules/leaflet.markercluster/dist/MarkerCluster.css" \
  "$modules/leaflet.markercluster/dist/MarkerCluster.Default.css" \
  "$modules/leaflet.markercluster/MIT-LICENCE.txt" "$dest/leaflet.markercluster/"
cp "$modules/axe-core/axe.min.js" "$modules/axe-core/LICENSE" "$modules/axe-core/LICENSE-3RD-PARTY.txt" "$dest/axe-core/"

{
  echo "# Vendored front-end packages"
  echo
  echo "Copied from npm by \`scripts/vendor_static.sh\` (versions pinned in"
  echo "\`scripts/vendor/package-lock.json\`). Do not edit these files by hand."
  echo
  echo "| package | version | licence | used for |"
  echo "| --- | --- | --- | --- |"
  for pkg in leaflet leaflet.markercluster axe-core; do
    version=$(node -p "require('$modules/$pkg/package.json').version")
    licence=$(node -p "require('$modules/$pkg/package.json').license")
    case $pkg in
      leaflet) use="the maps of sites" ;;
      leaflet.markercluster) use="grouping close markers on the maps" ;;
      axe-core) use="accessibility checks in the browser tests only" ;;
    esac
    echo "| $pkg | $version | $licence (see its folder) | $use |"
  done
} > "$dest/README.md"
