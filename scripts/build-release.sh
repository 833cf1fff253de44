#!/usr/bin/env bash
# Builds the release `catalog` and prints the binary's path (build output goes to stderr).
#
# The Swift runtime and Foundation are linked into the binary (--static-swift-stdlib): it runs
# on a machine without the Swift toolchain, starts in about 5 ms instead of 10, and ingests
# about 1% faster (runtime calls are direct). Every script builds the release this way, so
# they all share one build.
#
#   bin=$(scripts/build-release.sh)
#   scripts/build-release.sh --package-path DIR   # another checkout (extra arguments go to swift build)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib "$@" >&2
echo "$(swift build -c release --static-swift-stdlib "$@" --show-bin-path)/catalog"
