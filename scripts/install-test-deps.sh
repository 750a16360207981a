#!/usr/bin/env bash
# The real parts the tests run: Debian's sshd, git, Caddy, Pebble, Chromium (the UI tests), and what builds the
# fresh Debian servers and the Node.js mirror (test/fixtures/fresh-server.ts, node-mirror.ts). Installs what is
# missing (needs root, as in CI); otherwise says what to install.
set -euo pipefail
missing=()
[[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v git >/dev/null || missing+=(git)
command -v caddy >/dev/null || missing+=(caddy)
# Pebble (and pebble-challtestsrv): the ACME CA that test/core/servers/acme.test.ts gets certificates from.
command -v pebble >/dev/null || missing+=(pebble)
command -v chromium >/dev/null || missing+=(chromium)
# certutil: the server dashboard's UI test makes Chromium trust Pebble's root through a throwaway NSS database.
command -v certutil >/dev/null || missing+=(libnss3-tools)
# debootstrap builds the fresh servers' Debian root; unshare/nsenter/setpriv (util-linux) run them in a mount
# namespace of their own; curl and xz fetch and pack the Node.js tarballs of the mirror.
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v unshare >/dev/null && command -v nsenter >/dev/null && command -v setpriv >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
command -v xz >/dev/null || missing+=(xz-utils)
# ip (iproute2) makes the veth pair of a fresh server with a network of its own (the firewall test).
command -v ip >/dev/null || missing+=(iproute2)
((${#missing[@]} == 0)) && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "The tests need: ${missing[*]}. Install them (e.g. sudo apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
echo "Installing test dependencies: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
