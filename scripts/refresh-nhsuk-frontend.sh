#!/usr/bin/env bash
# Vendor the compiled NHS.UK frontend CSS/JS/assets that match the pinned nhsuk-frontend-jinja.
# Usage: scripts/refresh-nhsuk-frontend.sh [VERSION]   (default: the version in static/nhsuk/VERSION)
# The pair must move together: nhsuk-frontend X <-> nhsuk-frontend-jinja Y (see pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-$(cat static/nhsuk/VERSION)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "nhsuk-frontend@${version}" >/dev/null && tar xzf nhsuk-frontend-*.tgz)
dist="$work/package/dist/nhsuk"
rm -rf static/nhsuk
mkdir -p static/nhsuk
cp "$dist/nhsuk-frontend.min.css" "$dist/nhsuk-frontend.min.js" static/nhsuk/
cp -r "$dist/assets" static/nhsuk/assets
echo "$version" > static/nhsuk/VERSION
echo "Vendored nhsuk-frontend ${version} into static/nhsuk/"
