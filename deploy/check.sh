#!/usr/bin/env bash
# Offline checks of the deployment files (run by CTest as "deploy"):
#   1. yamllint on deploy/k8s;
#   2. `kubectl kustomize deploy/k8s` renders, and every rendered document
#      validates against the Kubernetes schemas (deploy/tools, npm);
#   3. the Dockerfile's runtime packages provide every shared library the
#      built identityd links (given as $1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:?usage: deploy/check.sh path/to/identityd}
source "$root/deploy/local/packages.sh"
identity_ensure_packages yamllint
command -v kubectl >/dev/null || identity_ensure_packages kubernetes-client
command -v node >/dev/null || identity_ensure_packages nodejs
command -v npm >/dev/null || identity_ensure_packages npm

yamllint -d '{extends: default, rules: {line-length: {max: 100}, document-start: disable}}' \
  "$root/deploy/k8s"
echo "yamllint: ok"

tools=${IDENTITY_DEPLOY_TOOLS_DIR:-$HOME/.cache/identityd-deploy-tools}
mkdir -p "$tools"
cp "$root/deploy/tools/package.json" "$root/deploy/tools/validate-manifests.mjs" "$tools/"
(cd "$tools" && npm install --no-audit --no-fund --silent >/dev/null)
rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$root/deploy/k8s" > "$rendered" 2> >(grep -v "commonLabels' is deprecated" >&2)
node "$tools/validate-manifests.mjs" < "$rendered"

# Packages the runtime image installs, and everything they pull in.
listed=$(sed -n '/^ARG RUNTIME_PACKAGES=/,/"$/p' "$root/deploy/Dockerfile" \
  | sed 's/ARG RUNTIME_PACKAGES=//; s/[\\"]//g' | tr -s ' \n' ' ')
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
  --no-breaks --no-replaces --no-enhances $listed 2>/dev/null \
  | grep -v '^ ' | sed 's/:.*//; s/^<\(.*\)>$/\1/' | sort -u)
missing=0
for lib in $(ldd "$binary" | awk '/=>/ {print $3}'); do
  # dpkg knows a library by one of its paths (merged /usr): try both.
  pkg=$( (dpkg -S "$(readlink -f "$lib")" || dpkg -S "$lib") 2>/dev/null \
    | head -1 | cut -d: -f1 || true)
  case "$pkg" in libc6|libgcc-s1|libstdc++6|"") continue ;; esac
  if ! grep -qx "$pkg" <<<"$closure"; then
    echo "Dockerfile: $lib comes from $pkg, which RUNTIME_PACKAGES does not install" >&2
    missing=1
  fi
done
[ $missing -eq 0 ] && echo "Dockerfile runtime packages: ok"
exit $missing
