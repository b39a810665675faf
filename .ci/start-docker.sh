#!/usr/bin/env bash
# Makes a Docker engine answer on this machine: installs Debian's docker.io if there is none, starts dockerd.
# Idempotent: does nothing when `docker info` already answers.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "[docker] installing docker.io from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
echo "[docker] starting dockerd"
nohup dockerd >/var/log/sockspec-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "[docker] engine $(docker version --format '{{.Server.Version}}') answers"
    exit 0
  fi
  sleep 1
done
echo "[docker] dockerd did not answer within 60 s; its log:" >&2
tail -20 /var/log/sockspec-dockerd.log >&2
exit 1
