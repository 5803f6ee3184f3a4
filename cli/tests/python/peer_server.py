"""A Python server for netorder's socket tests: receives one connection's records and unpacks
each with struct, printing one line per record ("true"/"false" for bools, fields separated by
one space), then "END <bytes received>".

    python3 peer_server.py FORMAT FRAMING

Prints "PORT <port>" first. Every socket operation has a timeout.
"""

import socket
import struct
import sys
import zlib

TIMEOUT = 20.0


def show(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, bytes):
        return "0x" + v.hex()
    return repr(v)


def read_varint(data, pos):
    value, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, pos


def main():
    fmt, framing = sys.argv[1], sys.argv[2]
    size = struct.calcsize(fmt)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(TIMEOUT)
        print(f"PORT {listener.getsockname()[1]}", flush=True)
        conn, _ = listener.accept()
        with conn:
            conn.settimeout(TIMEOUT)
            chunks = []
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
    data = b"".join(chunks)
    pos = 0
    while pos < len(data):
        start = pos
        if framing == "fixed":
            n = size
        elif framing == "u16":
            (n,) = struct.unpack_from("!H", data, pos)
            pos += 2
        elif framing == "u32":
            (n,) = struct.unpack_from("!I", data, pos)
            pos += 4
        elif framing == "u24le,adjust=-3":
            n = int.from_bytes(data[pos : pos + 3], "little") - 3
            pos += 3
        elif framing == "u16+crc32":
            (n,) = struct.unpack_from("!H", data, pos)
            pos += 2
        else:
            n, pos = read_varint(data, pos)
        if n != size or pos + n > len(data):
            raise SystemExit(f"bad frame at {pos}: {n} bytes, record is {size}")
        print(" ".join(show(v) for v in struct.unpack_from(fmt, data, pos)))
        pos += n
        if framing == "u16+crc32":
            (crc,) = struct.unpack_from("!I", data, pos)
            if crc != zlib.crc32(data[start:pos]):
                raise SystemExit(f"bad CRC-32 at {pos}")
            pos += 4
    print(f"END {len(data)}", flush=True)


if __name__ == "__main__":
    main()
