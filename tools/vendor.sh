#!/usr/bin/env bash
# Vendor the browser libraries the site loads, from the npm registry, each with its licence,
# so the built site works with no network:
#   Vega, Vega-Lite and Vega-Embed (the versions the installed Altair expects);
#   the world-atlas TopoJSON (as a script that sets window.worldAtlas, so the map also draws
#   when the site is opened from the file system); jQuery and DataTables (the case browser);
#   axe-core (the accessibility checks of the browser tests, not loaded by the site).
# Run: make vendor
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
read -r vega vegalite embed < <("$python" -c "import altair as a; print(a.VEGA_VERSION, a.VEGALITE_VERSION, a.VEGAEMBED_VERSION)")
out=$here/book/_static/vendor
tests=$here/tests/vendor
mkdir -p "$out" "$tests"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
rm -f "$out"/*.js "$out"/*.css "$out"/LICENSE-* "$tests"/*

fetch() {  # fetch <package@version>: unpack into ./package, print the version
  rm -rf package
  tarball=$(npm pack --silent "$1")
  tar xzf "$tarball" && rm -f "$tarball"
  node -p "require('./package/package.json').version"
}

for spec in "vega@$vega:build/vega.min.js" "vega-lite@$vegalite:build/vega-lite.min.js" \
            "vega-embed@$embed:build/vega-embed.min.js" "jquery@4.0.0:dist/jquery.min.js" \
            "datatables.net@2.3.5:js/dataTables.min.js" "datatables.net-dt@2.3.5:css/dataTables.dataTables.min.css"; do
  package=${spec%%:*}; file=${spec#*:}; name=${package%@*}
  version=$(fetch "$package")
  cp "package/$file" "$out/$name@$version.min.${file##*.}"
  licence=$(ls package | grep -i -m1 '^licen[cs]e') && cp "package/$licence" "$out/LICENSE-$name"
  echo "vendored $name $version"
done

version=$(fetch "world-atlas@2.0.2")
{ printf 'window.worldAtlas = '; cat package/countries-110m.json; printf ';\n'; } \
  > "$out/world-atlas@$version.countries-110m.js"
cp package/LICENSE "$out/LICENSE-world-atlas"
echo "vendored world-atlas $version"

version=$(fetch "axe-core@4.14.1")
cp package/axe.min.js "$tests/axe-core@$version.min.js"
cp package/LICENSE "$tests/LICENSE-axe-core"
echo "vendored axe-core $version (tests only)"
