#!/usr/bin/env bash
# Installs the system packages catalog builds against, when missing: the SQLite, zstd and zlib
# headers (Debian/Ubuntu package names). Needs root or sudo for apt-get; does nothing when all
# are present.
set -euo pipefail
missing=()
for package in libsqlite3-dev libzstd-dev zlib1g-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
