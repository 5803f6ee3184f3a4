"""A Python peer of `netorder serve`, written against the module that `netorder gen python`
generates: sends COUNT telemetry records to 127.0.0.1:PORT, each packed by telemetry.pack
(struct, and shifts for the bit fields), then waits for the server to close.

    netorder gen python '!{version:3 client:2 urgent:? 2x} seq:I reading:h' \
        --name telemetry > telemetry.py
    python3 client.py 9000 1000

See client.c for the whole session; cli/tests/cli/gen_peers.rs runs both clients at once.
"""

import socket
import sys

import telemetry


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    with socket.create_connection(('127.0.0.1', port)) as conn:
        for i in range(count):
            record = telemetry.Telemetry(
                version=1,
                client=2,  # 1: C, 2: Python
                urgent=i % 7 == 0,
                seq=i,
                reading=i * 37 % 2000 - 1000,
            )
            conn.sendall(record.to_bytes())
        # Done writing; the server closes once it has read every record.
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(1):
            pass
    print(f'python: sent {count} records')


if __name__ == '__main__':
    main()
