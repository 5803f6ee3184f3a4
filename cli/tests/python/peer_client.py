"""A Python client for netorder's socket tests: frames records with struct and socket alone.

    python3 peer_client.py MODE PORT FRAMING [ARGS]

Records use the format RECORD_FORMAT with the values of record(i). Modes:
  dribble N SEED   send records 0..N in pieces of 1 to 7 bytes, then close
  echo N           send records 0..N, half-close, read the echo to the end; print the byte
                   counts sent and received and whether they are the same bytes
  concurrent C N   C clients at once, N records each (client c sends records c*1000 + i)
  raw HEX WAIT     send the bytes HEX; then WAIT 0: close at once; 1: half-close and read
                   until the server closes; 2: stall (no half-close) until the server closes
Every socket operation has a timeout; the script fails (exit 1) rather than hang.
"""

import errno
import random
import socket
import struct
import sys
import threading
import zlib

RECORD_FORMAT = "!HiQ?h"
TIMEOUT = 20.0


def record(i):
    return (i % 65536, -7 * i, i * 1000003, i % 2 == 0, -(i % 300))


def varint(n):
    out = bytearray()
    while True:
        if n < 0x80:
            out.append(n)
            return bytes(out)
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def frame(framing, payload):
    if framing == "fixed":
        return payload
    if framing == "u16":
        return struct.pack("!H", len(payload)) + payload
    if framing == "u32":
        return struct.pack("!I", len(payload)) + payload
    if framing == "varint":
        return varint(len(payload)) + payload
    if framing == "u24le,adjust=-3":
        # A 3-byte little-endian length that counts itself (tokio-util: length_field_length 3,
        # little_endian, length_adjustment -3).
        return (len(payload) + 3).to_bytes(3, "little") + payload
    if framing == "u16+crc32":
        # A big-endian u16 length, the payload, then zlib's CRC-32 of both, big-endian.
        head = struct.pack("!H", len(payload)) + payload
        return head + struct.pack("!I", zlib.crc32(head))
    raise SystemExit(f"unknown framing {framing}")


def records_wire(framing, indexes):
    return b"".join(frame(framing, struct.pack(RECORD_FORMAT, *record(i))) for i in indexes)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_to_end(s):
    chunks = []
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def main():
    mode, port, framing = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    args = sys.argv[4:]
    if mode == "dribble":
        n, seed = int(args[0]), int(args[1])
        wire = records_wire(framing, range(n))
        rng = random.Random(seed)
        with connect(port) as s:
            pos = 0
            while pos < len(wire):
                step = rng.randint(1, 7)
                s.sendall(wire[pos : pos + step])
                pos += step
            s.shutdown(socket.SHUT_WR)
            read_to_end(s)
    elif mode == "echo":
        n = int(args[0])
        wire = records_wire(framing, range(n))
        with connect(port) as s:
            s.sendall(wire)
            s.shutdown(socket.SHUT_WR)
            back = read_to_end(s)
        print(len(wire), len(back), "same" if back == wire else "different")
    elif mode == "concurrent":
        clients, n = int(args[0]), int(args[1])
        errors = []

        def client(c):
            try:
                with connect(port) as s:
                    s.sendall(records_wire(framing, range(c * 1000, c * 1000 + n)))
                    s.shutdown(socket.SHUT_WR)
                    read_to_end(s)
            except Exception as e:  # reported below, and the exit status says so
                errors.append(f"client {c}: {e}")

        threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT * 2)
        if errors or any(t.is_alive() for t in threads):
            raise SystemExit("; ".join(errors) or "a client hung")
    elif mode == "raw":
        data, wait = bytes.fromhex(args[0]), args[1]
        with connect(port) as s:
            s.sendall(data)
            # A refused record resets the connection (even the last one sent), maybe before
            # the shutdown (ENOTCONN) or the read (ECONNRESET).
            try:
                if wait == "1":
                    s.shutdown(socket.SHUT_WR)
                if wait in ("1", "2"):
                    read_to_end(s)
            except (ConnectionResetError, OSError) as e:
                if isinstance(e, ConnectionResetError) or e.errno == errno.ENOTCONN:
                    print("reset")
                else:
                    raise
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
