#!/usr/bin/env bash
# Install the Debian packages a test needs when they are missing (CI images start without them).
#   tools/ensure_debian_packages.sh chromium [more packages...]
# Packages already installed cost nothing; without root or apt-get it says what is missing and
# fails, so a gate never passes without the tool it needs.
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if ! command -v apt-get >/dev/null || [[ $(id -u) -ne 0 ]]; then
  echo "ensure_debian_packages: missing ${missing[*]}; install them (apt-get install -y ${missing[*]}) as root" >&2
  exit 1
fi
echo "ensure_debian_packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || {
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}
