#!/usr/bin/python3
"""An aioice peer speaking the JSON-lines peer protocol (shared/interop/PROTOCOL.md) on stdin/stdout.

Run it with Debian's Python and the Debian package python3-aioice (aioice 0.8):

    /usr/bin/python3 aioice_peer.py [--controlling|--controlled] [--echo] [-v]
        [--turn HOST:PORT --turn-user U --turn-pass P [--relay-only]]

It implements the part of the protocol the interop tests use: hello, credentials, candidate,
end-of-candidates, state (gathering, gathered, checking, connected with ice_ms, failed, closed),
selected and data on stdout; credentials, candidate, end-of-candidates, data and close (or EOF) on
stdin; --echo sends every received datagram back (and does not print the labwarm/labping probes).
Host candidates are 127.0.0.1 only (or the one address of --addr, e.g. a network namespace's) and no
STUN server is contacted: traffic stays on that address.
With --turn, aioice's own TURN client (UDP) adds a relayed candidate; with --relay-only it signals
and checks from that candidate alone (see Peer.keep_relay_only).
"""

import argparse
import asyncio
import base64
import json
import logging
import sys
import threading
import time

import aioice
import aioice.ice
from aioice import Candidate

START = time.monotonic()
LOOPBACK = "127.0.0.1"
PROBE_PREFIXES = (b"labwarm ", b"labping ")

# aioice gathers every address except loopback; the tests use loopback only, so hand it 127.0.0.1.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: [LOOPBACK]

log = logging.getLogger("aioice_peer")


def t_ms():
    return round((time.monotonic() - START) * 1000, 2)


def emit(message):
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def candidate_line(candidate):
    return "candidate:" + candidate.to_sdp()


def parse_candidate(text):
    if text.startswith("a="):
        text = text[2:]
    if text.startswith("candidate:"):
        text = text[len("candidate:"):]
    return Candidate.from_sdp(text)


class Detached:
    """The receiver of a host socket closed by --relay-only: what it reports goes nowhere."""

    def data_received(self, data, component):
        pass


class Peer:
    def __init__(self, args, loop):
        self.args = args
        self.loop = loop
        turn = {}
        if args.turn:
            host, _, port = args.turn.rpartition(":")
            turn = dict(turn_server=(host, int(port)), turn_username=args.turn_user, turn_password=args.turn_pass)
        policy = aioice.TransportPolicy.RELAY if args.relay_only else aioice.TransportPolicy.ALL
        self.connection = aioice.Connection(ice_controlling=args.role == "controlling", use_ipv6=False,
                                            transport_policy=policy, **turn)
        self.inbox = asyncio.Queue()
        self.credentials_at = None
        self.gathered = asyncio.Event()
        self.connect_task = None
        self.connected = False
        self.pending = []
        self.exit_code = 0

    def ice_ms(self):
        if self.credentials_at is None:
            return None
        return round((time.monotonic() - self.credentials_at) * 1000, 2)

    def state(self, state, **fields):
        emit(dict(type="state", state=state, t_ms=t_ms(), **fields))

    async def gather(self):
        self.state("gathering")
        await self.connection.gather_candidates()
        if self.args.relay_only:
            await self.keep_relay_only()
        emit(dict(type="credentials", ufrag=self.connection.local_username, pwd=self.connection.local_password))
        candidates = self.connection.local_candidates
        for candidate in candidates:
            emit(dict(type="candidate", candidate=candidate_line(candidate)))
        emit(dict(type="end-of-candidates"))
        self.state("gathered", candidates=len(candidates))
        self.gathered.set()

    async def keep_relay_only(self):
        """aioice's transport policy relay only stops signalling host candidates: its host sockets still
        pair with every remote candidate and, all on 127.0.0.1, would win. Close them (private API of 0.8),
        detached first: a closing protocol tells its receiver the connection was lost, which would end recv()."""
        for protocol in [p for p in self.connection._protocols if p.local_candidate.type != "relay"]:
            self.connection._protocols.remove(protocol)
            protocol.receiver = Detached()
            await protocol.close()

    async def connect(self):
        await self.gathered.wait()
        self.state("checking")
        try:
            await self.connection.connect()
        except ConnectionError as e:
            fields = {"reason": str(e)}
            if self.ice_ms() is not None:
                fields["ice_ms"] = self.ice_ms()
            self.state("failed", **fields)
            self.exit_code = 1
            await self.inbox.put(None)
            return
        self.connected = True
        self.state("connected", ice_ms=self.ice_ms())
        pair = self.connection._nominated.get(1)  # aioice has no public accessor for the selected pair
        if pair is not None:
            emit(dict(type="selected", local=candidate_line(pair.local_candidate),
                      remote=candidate_line(pair.remote_candidate), local_type=pair.local_candidate.type,
                      remote_type=pair.remote_candidate.type))
        for payload in self.pending:
            await self.connection.send(payload)
        self.pending.clear()
        asyncio.ensure_future(self.receive())

    async def receive(self):
        while True:
            try:
                payload = await self.connection.recv()
            except ConnectionError:
                return
            if self.args.echo:
                await self.connection.send(payload)
                if payload.startswith(PROBE_PREFIXES):
                    continue
            emit(dict(type="data", base64=base64.b64encode(payload).decode("ascii"), t_ms=t_ms()))

    async def handle(self, message):
        kind = message.get("type")
        if kind == "credentials":
            self.connection.remote_username = message["ufrag"]
            self.connection.remote_password = message["pwd"]
            self.credentials_at = time.monotonic()
            if self.connect_task is None:
                self.connect_task = asyncio.ensure_future(self.connect())
        elif kind == "candidate":
            await self.connection.add_remote_candidate(parse_candidate(message["candidate"]))
        elif kind == "end-of-candidates":
            await self.connection.add_remote_candidate(None)
        elif kind == "data":
            payload = base64.b64decode(message["base64"])
            if self.connected:
                await self.connection.send(payload)
            else:
                self.pending.append(payload)
        elif kind == "close":
            return False
        return True

    async def run(self):
        emit(dict(type="hello", impl="aioice", version=aioice.__version__, role=self.args.role,
                  echo=self.args.echo, send=0, relay_only=self.args.relay_only))
        await self.gather()
        while True:
            message = await self.inbox.get()
            if message is None:
                break
            try:
                if not await self.handle(message):
                    break
            except (ValueError, KeyError) as e:
                log.warning("ignoring %s: %s", message.get("type"), e)
        if self.connect_task is not None and not self.connect_task.done():
            self.connect_task.cancel()
        await self.connection.close()
        self.state("closed")
        return self.exit_code


def read_stdin(loop, inbox):
    """On a thread of its own: a blocking read must not stall the event loop."""
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            message = json.loads(line)
        except ValueError:
            log.warning("ignoring a line that is not JSON")
            continue
        loop.call_soon_threadsafe(inbox.put_nowait, message)
    loop.call_soon_threadsafe(inbox.put_nowait, None)


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--controlling", dest="role", action="store_const", const="controlling", default="controlling")
    parser.add_argument("--controlled", dest="role", action="store_const", const="controlled")
    parser.add_argument("--echo", action="store_true")
    parser.add_argument("-v", action="store_true", dest="verbose")
    parser.add_argument("--turn", metavar="HOST:PORT")
    parser.add_argument("--turn-user")
    parser.add_argument("--turn-pass")
    parser.add_argument("--relay-only", action="store_true")
    parser.add_argument("--addr", default=LOOPBACK, help="the one host address (default 127.0.0.1)")
    args = parser.parse_args()
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: [args.addr]
    if args.turn and not (args.turn_user and args.turn_pass):
        parser.error("--turn needs --turn-user and --turn-pass")
    if args.relay_only and not args.turn:
        parser.error("--relay-only needs --turn")
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    loop = asyncio.get_running_loop()
    peer = Peer(args, loop)
    threading.Thread(target=read_stdin, args=(loop, peer.inbox), daemon=True).start()
    return await peer.run()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
