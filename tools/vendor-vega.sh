#!/usr/bin/env bash
# Vendor the Vega, Vega-Lite and Vega-Embed builds that the installed Altair expects,
# so the built site draws charts with no network. Run after changing the altair pin:
#   make vendor
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
read -r vega vegalite embed < <("$python" -c "import altair as a; print(a.VEGA_VERSION, a.VEGALITE_VERSION, a.VEGAEMBED_VERSION)")
out=$here/book/_static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
rm -f "$out"/vega*.js "$out"/LICENSE-*
for spec in "vega@$vega:vega.min.js" "vega-lite@$vegalite:vega-lite.min.js" "vega-embed@$embed:vega-embed.min.js"; do
  package=${spec%%:*}; file=${spec#*:}
  tarball=$(npm pack --silent "$package")
  tar xzf "$tarball"
  version=$(node -p "require('./package/package.json').version")
  name=${package%@*}
  cp "package/build/$file" "$out/$name@$version.min.js"
  cp package/LICENSE "$out/LICENSE-$name"
  rm -rf package "$tarball"
  echo "vendored $name $version"
done
