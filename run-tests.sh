#!/usr/bin/env bash
# The whole test suite, as a new user and CI run it: installs the Debian packages the tests need
# (only those missing) and then runs `mvn verify` over every module.
set -euo pipefail
cd "$(dirname "$0")"

# coturn: turnserver and turnutils_stunclient, the real STUN/TURN peer of the interop tests.
# python3-aioice: aioice 0.8 for Debian's /usr/bin/python3, the third-party ICE agent of
# samples' AioiceInteropIT (driven through samples/src/test/resources/aioice_peer.py).
# openssl: makes the self-signed certificate of the TURN-over-TLS tests.
# iproute2: `ip netns` and veth pairs, the private networks of the mDNS and browser tests (which
# also run Debian's /usr/bin/python3, brought by python3-aioice).
# nftables, procps: `nft` and `sysctl`, the NAT routers of samples' NatLabIT (NatLab in
# reactive-ice-testing: namespaces behind port-restricted cone and symmetric NATs).
# conntrack: `conntrack -F`, the router of samples' NetworkChangeIT forgetting its mappings
# (TwoLinkLab.rebind: a NAT rebinding).
packages=(coturn python3-aioice openssl iproute2 nftables procps conntrack)
# chromium, chromium-driver: the browser and its ChromeDriver of samples' WebfluxSampleBrowserIT,
# without their recommendations, which would bring daemons such as avahi-daemon along.
browser_packages=(chromium chromium-driver)

missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

updated=""
install() { # install [apt-get options...] -- packages...
  local options=()
  while [ "$1" != "--" ]; do options+=("$1"); shift; done
  shift
  local need
  need=($(missing "$@"))
  [ ${#need[@]} -gt 0 ] || return 0
  echo "Installing Debian packages the tests need: ${need[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  [ -n "$updated" ] || { $sudo apt-get update -q; updated=yes; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${options[@]}" "${need[@]}"
}

install -- "${packages[@]}"
install --no-install-recommends -- "${browser_packages[@]}"

exec mvn -B -ntp verify "$@"
