#!/usr/bin/env bash
# Builds the example servers' images, sockspec-example-<name>, FROM the project's base image: Debian packages
# installed with apt from Debian's mirror, no container registry. `npx sockspec image` makes the base first.
# Usage: bash examples/images/build.sh [name...]   (default: every folder here: nginx python-http python-leaky)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
base="${SOCKSPEC_BASE_IMAGE:-sockspec-base:trixie}"
if ! docker image inspect "$base" >/dev/null 2>&1; then
  echo "build.sh: no base image $base here. Hint: npx sockspec image builds it" >&2
  exit 1
fi
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for dir in "$here"/*/; do names+=("$(basename "$dir")"); done
fi
for name in "${names[@]}"; do
  docker build --quiet --build-arg "BASE=$base" --label sockspec.example="$name" \
    --tag "sockspec-example-$name:latest" "$here/$name"
done
