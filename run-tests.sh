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
packages=(coturn python3-aioice openssl iproute2)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

exec mvn -B -ntp verify "$@"
