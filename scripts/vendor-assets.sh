#!/usr/bin/env bash
# Re-create static/vendor/ from the npm registry at the pinned versions (run by hand when upgrading).
# Source maps are dropped: the comments that point to them would make collectstatic's manifest fail.
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP=5.3.8 CHARTJS=4.6.1 HTMX=2.0.11
AXE=4.14.1  # axe-core: a test dependency, into tests/browser/vendor/ (never served)
tmp=$(mktemp -d)
(cd "$tmp" && npm pack "bootstrap@$BOOTSTRAP" "chart.js@$CHARTJS" "htmx.org@$HTMX" "axe-core@$AXE" >/dev/null)
for f in "$tmp"/*.tgz; do d="${f%.tgz}"; mkdir -p "$d"; tar xzf "$f" -C "$d"; done
V=static/vendor
rm -rf "$V" && mkdir -p "$V/bootstrap-$BOOTSTRAP/css" "$V/bootstrap-$BOOTSTRAP/js" "$V/chart.js-$CHARTJS" "$V/htmx.org-$HTMX"
cp "$tmp/bootstrap-$BOOTSTRAP/package/dist/css/bootstrap.min.css" "$V/bootstrap-$BOOTSTRAP/css/"
cp "$tmp/bootstrap-$BOOTSTRAP/package/dist/js/bootstrap.bundle.min.js" "$V/bootstrap-$BOOTSTRAP/js/"
cp "$tmp/bootstrap-$BOOTSTRAP/package/LICENSE" "$V/bootstrap-$BOOTSTRAP/"
cp "$tmp/chart.js-$CHARTJS/package/dist/chart.umd.min.js" "$V/chart.js-$CHARTJS/"
cp "$tmp/chart.js-$CHARTJS/package/LICENSE.md" "$V/chart.js-$CHARTJS/"
cp "$tmp/htmx.org-$HTMX/package/dist/htmx.min.js" "$V/htmx.org-$HTMX/"
cp "$tmp/htmx.org-$HTMX/package/LICENSE" "$V/htmx.org-$HTMX/"
find "$V" -name '*.js' -o -name '*.css' | xargs sed -i '/sourceMappingURL/d'
T=tests/browser/vendor/axe-core-$AXE
rm -rf tests/browser/vendor/axe-core-* && mkdir -p "$T"
cp "$tmp/axe-core-$AXE/package/axe.min.js" "$tmp/axe-core-$AXE/package/LICENSE" "$tmp/axe-core-$AXE/package/LICENSE-3RD-PARTY.txt" "$T/"
rm -rf "$tmp"
