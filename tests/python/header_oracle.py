"""An independent oracle for netorder's bit-field headers: Python's `struct` for the whole
bytes and shifts and masks for the bits, written from the RFCs' diagrams, not from netorder.

Reads all of stdin first, then answers one line per request line `NAME HEX`:
  "ok F1 F2 ..." (every field as a decimal integer, bools as 0/1, enums as their value, byte
  strings as hex, in declaration order) then, after " | ", the hex of packing those fields back,
or "err REASON" when the bytes are no such header (wrong length, an unknown enum value).
"""
import struct
import sys


def ipv4(b):
    vihl, tos, length, ident, frag, ttl, proto, csum, src, dst = struct.unpack("!BBHHHBBH4s4s", b)
    fields = [vihl >> 4, vihl & 0xF, tos, length, ident, frag >> 13, frag & 0x1FFF, ttl, proto,
              csum, src.hex(), dst.hex()]
    back = struct.pack("!BBHHHBBH4s4s", fields[0] << 4 | fields[1], tos, length, ident,
                       fields[5] << 13 | fields[6], ttl, proto, csum, src, dst)
    return fields, back


def udp(b):
    fields = list(struct.unpack("!HHHH", b))
    return fields, struct.pack("!HHHH", *fields)


def tcp(b):
    sport, dport, seq, ack, off_flags, window, csum, urg = struct.unpack("!HHIIHHHH", b)
    bits = [(off_flags >> (7 - i)) & 1 for i in range(8)]  # CWR ECE URG ACK PSH RST SYN FIN
    fields = [sport, dport, seq, ack, off_flags >> 12, (off_flags >> 8) & 0xF] + bits + [
        window, csum, urg]
    flags = 0
    for bit in bits:
        flags = flags << 1 | bit
    back = struct.pack("!HHIIHHHH", sport, dport, seq, ack,
                       fields[4] << 12 | fields[5] << 8 | flags, window, csum, urg)
    return fields, back


def icmp(b):
    fields = list(struct.unpack("!BBHHH", b))
    return fields, struct.pack("!BBHHH", *fields)


OPCODES = {0, 1, 2, 4, 5}


def dns(b):
    ident, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", b)
    opcode = (flags >> 11) & 0xF
    if opcode not in OPCODES:
        raise ValueError("opcode %d" % opcode)
    fields = [ident, flags >> 15, opcode, (flags >> 10) & 1, (flags >> 9) & 1, (flags >> 8) & 1,
              (flags >> 7) & 1, (flags >> 4) & 7, flags & 0xF, qd, an, ns, ar]
    f = fields
    back_flags = f[1] << 15 | f[2] << 11 | f[3] << 10 | f[4] << 9 | f[5] << 8 | f[6] << 7 | \
        f[7] << 4 | f[8]
    return fields, struct.pack("!HHHHHH", ident, back_flags, qd, an, ns, ar)


def ccsds(b):
    ident, seq, length = struct.unpack("!HHH", b)
    fields = [ident >> 13, (ident >> 12) & 1, (ident >> 11) & 1, ident & 0x7FF, seq >> 14,
              seq & 0x3FFF, length]
    f = fields
    back = struct.pack("!HHH", f[0] << 13 | f[1] << 12 | f[2] << 11 | f[3], f[4] << 14 | f[5],
                       length)
    return fields, back


HEADERS = {"ipv4": ipv4, "udp": udp, "tcp": tcp, "icmp": icmp, "dns": dns, "ccsds": ccsds}


def answer(line):
    name, data = line.split()
    try:
        fields, back = HEADERS[name](bytes.fromhex(data))
    except (struct.error, ValueError) as e:
        return "err " + str(e).replace("\n", " ")
    return "ok " + " ".join(str(f) for f in fields) + " | " + back.hex()


def main():
    lines = [l for l in sys.stdin.read().splitlines() if l.strip()]
    sys.stdout.write("\n".join(answer(l) for l in lines) + "\n")


if __name__ == "__main__":
    main()
