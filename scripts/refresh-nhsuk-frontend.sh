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
# The Frutiger web font is served from assets.nhs.uk under NHS licence. Engage pages load nothing
# from outside the trust (CSP font-src 'self'), so drop the @font-face rules: text falls back to
# Arial, as the NHS.UK font stack intends, instead of raising blocked-request errors.
python3 - static/nhsuk/nhsuk-frontend.min.css <<'PY'
import re, sys
path = sys.argv[1]
css = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(re.sub(r"@font-face\{[^}]*assets\.nhs\.uk[^}]*\}", "", css))
PY
cp -r "$dist/assets" static/nhsuk/assets
echo "$version" > static/nhsuk/VERSION
echo "Vendored nhsuk-frontend ${version} into static/nhsuk/"
