#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing.
# Packages are listed in scripts/system-packages.txt, one per line with the
# command that proves it is installed: "<package> <command>".
set -euo pipefail

list="$(dirname "$0")/system-packages.txt"
missing=()
while read -r package command _; do
  [[ -z "${package}" || "${package}" == \#* ]] && continue
  command -v "${command}" >/dev/null 2>&1 || missing+=("${package}")
done < "${list}"

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-system: every system package the tests use is installed"
  exit 0
fi

echo "setup-system: installing missing Debian packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "setup-system: run as root (or with sudo) to install them: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
