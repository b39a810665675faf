#!/usr/bin/env bash
# Packs this repository's packages with `npm pack` and installs the tarballs into a copy of an example, outside the
# repository, the way a project of its own would get them: `bash examples/install-packed.sh <dest> [example]`.
# The packages must be built (npm run build). Third-party packages come from npm's cache where it has them, and from
# the registry otherwise (--prefer-offline): a cache filled only by `npm ci` holds the tarballs but not the registry
# metadata that a version range (jest@>=30) needs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:?usage: install-packed.sh <dest> [example folder, default own-server]}"
example="$root/examples/${2:-own-server}"
# Everything the testkit and the command need, down to what runs in the target.
packages=(command-line sockets inspector agent records claims testkit report cli)

mkdir -p "$dest/tarballs"
dest="$(cd "$dest" && pwd)"
case "$dest/" in "$root"/*) echo "error: $dest is inside the repository; pick a folder outside it" >&2; exit 2 ;; esac
for name in "${packages[@]}"; do
  (cd "$root/packages/$name" && npm pack --silent --pack-destination "$dest/tarballs" >/dev/null)
done
cp -R "$example/." "$dest/project"
rm -rf "$dest/project/node_modules" "$dest/project/package-lock.json"
cd "$dest/project"
npm install --prefer-offline --no-audit --no-fund --loglevel=error "$dest"/tarballs/*.tgz
echo "installed into $dest/project"
