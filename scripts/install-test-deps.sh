#!/usr/bin/env bash
# The real parts the tests run: Debian's sshd, git, Caddy, Pebble and Chromium (the UI tests). Installs what is
# missing (needs root, as in CI); otherwise says what to install.
set -euo pipefail
missing=()
[[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v git >/dev/null || missing+=(git)
command -v caddy >/dev/null || missing+=(caddy)
# Pebble (and pebble-challtestsrv): the ACME CA that test/proxy/acme.test.ts gets certificates from.
command -v pebble >/dev/null || missing+=(pebble)
command -v chromium >/dev/null || missing+=(chromium)
((${#missing[@]} == 0)) && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "The tests need: ${missing[*]}. Install them (e.g. sudo apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
echo "Installing test dependencies: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
