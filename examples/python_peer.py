"""The Python side of examples/python_peer.rs: a client written with nothing but the standard
library's `socket` and `struct`, as the classic guides write it.

    python3 python_peer.py PORT QUOTE_FORMAT ACK_FORMAT COUNT

Connects to 127.0.0.1:PORT, sends COUNT quotes packed with QUOTE_FORMAT (a `!` struct format
that the Rust side derived from its own type), and after each one receives an acknowledgement
of exactly calcsize(ACK_FORMAT) bytes, looping on recv() until it has them all. Checks every
acknowledgement, prints one summary line and exits 0; any mismatch raises (exit 1). Every
socket operation has a timeout.
"""

import socket
import struct
import sys

TIMEOUT = 10.0


def quote(i):
    """The i-th quote; python_peer.rs computes the same values."""
    symbol = [b"ACME", b"INIT", b"WIRE", b"BYTE"][i % 4]
    return (i, i / 4 + 0.1, (i * 37) % 2000 - 1000, i % 3 == 0, symbol)


def recv_exact(sock, n):
    """Exactly n bytes, or an error naming how many arrived before the peer closed."""
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(n - got)
        if not chunk:
            raise EOFError(f"peer closed after {got} of {n} bytes")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def main():
    port, quote_fmt, ack_fmt, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    ack_size = struct.calcsize(ack_fmt)
    total = 0
    with socket.create_connection(("127.0.0.1", int(port)), timeout=TIMEOUT) as sock:
        for i in range(count):
            q = quote(i)
            sock.sendall(struct.pack(quote_fmt, *q))
            ack_id, ack_total = struct.unpack(ack_fmt, recv_exact(sock, ack_size))
            total += q[2]
            if (ack_id, ack_total) != (i, total):
                raise AssertionError(f"ack {i}: got {(ack_id, ack_total)}, want {(i, total)}")
        sock.shutdown(socket.SHUT_WR)  # a clean close, at a record boundary
        if sock.recv(1) != b"":
            raise AssertionError("the server sent more than the acknowledgements")
    print(
        f"python: sent {count} quotes as {quote_fmt!r} ({struct.calcsize(quote_fmt)} bytes each),"
        f" checked {count} acks {ack_fmt!r}, running total {total}"
    )


if __name__ == "__main__":
    main()
