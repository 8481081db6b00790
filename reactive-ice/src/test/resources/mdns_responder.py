"""A minimal mDNS responder for tests: answers A queries for one name with one address.

Usage: mdns_responder.py NAME ADDRESS INTERFACE_ADDRESS
Joins 224.0.0.251 on the interface that has INTERFACE_ADDRESS, listens on 5353, and answers a
query for NAME (case-insensitive) by unicast to the querier (RFC 6762 section 6.7), echoing its id.
Prints "ready" once listening. Written for reactive-ice's tests; stdlib only.
"""
import socket
import struct
import sys


def read_name(data, pos):
    labels = []
    jumps = 0
    end = None
    while True:
        length = data[pos]
        if length == 0:
            pos += 1
            break
        if length & 0xC0 == 0xC0:
            if end is None:
                end = pos + 2
            pos = ((length & 0x3F) << 8) | data[pos + 1]
            jumps += 1
            if jumps > 16:
                raise ValueError("loop")
            continue
        labels.append(data[pos + 1:pos + 1 + length].decode("utf-8"))
        pos += 1 + length
    return ".".join(labels), (end if end is not None else pos)


def main():
    name, address, interface_address = sys.argv[1], sys.argv[2], sys.argv[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", 5353))
    mreq = socket.inet_aton("224.0.0.251") + socket.inet_aton(interface_address)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    print("ready", flush=True)
    while True:
        data, source = s.recvfrom(9000)
        try:
            qid, flags, qdcount = struct.unpack("!HHH", data[:6])
            if flags & 0x8000 or qdcount < 1:
                continue
            qname, pos = read_name(data, 12)
            qtype = struct.unpack("!H", data[pos:pos + 2])[0]
        except (IndexError, ValueError, struct.error, UnicodeDecodeError):
            continue
        if qname.lower() != name.lower() or qtype != 1:
            continue
        encoded = b"".join(bytes([len(l)]) + l.encode("utf-8") for l in name.split(".")) + b"\0"
        answer = struct.pack("!HHHHHH", qid, 0x8400, 0, 1, 0, 0) + encoded
        answer += struct.pack("!HHIH", 1, 0x8001, 120, 4) + socket.inet_aton(address)
        s.sendto(answer, source)
        print("answered", source[0], flush=True)


if __name__ == "__main__":
    main()
