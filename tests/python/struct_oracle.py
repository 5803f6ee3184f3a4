"""Python's `struct` as an oracle for netorder's Layout tests.

Reads all of stdin first (JSON lines), then answers one line per request:
  {"op": "calcsize", "fmt": F}                 -> "ok SIZE" | "err TYPE"
  {"op": "pack", "fmt": F, "values": [[T, V]]} -> "ok HEX"  | "err TYPE MESSAGE"
      T: "i" (V a decimal string), "t" (V true/false), "f" (V 16 hex digits of the f64
      bits), "b" (V hex bytes)
  {"op": "unpack", "fmt": F, "hex": H}         -> "ok TOKEN..." | "err TYPE"
      TOKEN: i:DECIMAL, t:0|1, f:BITS (16 hex digits), b:HEX
  {"op": "repr", "bits": BITS}                 -> "ok REPR"
"""
import json
import struct
import sys


def to_value(pair):
    kind, v = pair
    if kind == "i":
        return int(v)
    if kind == "t":
        return bool(v)
    if kind == "f":
        return struct.unpack("!d", bytes.fromhex(v))[0]
    if kind == "b":
        return bytes.fromhex(v)
    raise ValueError(kind)


def token(v):
    if isinstance(v, bool):
        return "t:%d" % v
    if isinstance(v, int):
        return "i:%d" % v
    if isinstance(v, float):
        return "f:" + struct.pack("!d", v).hex()
    return "b:" + v.hex()


def err(e):
    return "err %s %s" % (type(e).__name__, str(e).replace("\n", " "))


def answer(req):
    op = req["op"]
    try:
        if op == "calcsize":
            return "ok %d" % struct.calcsize(req["fmt"])
        if op == "pack":
            values = [to_value(p) for p in req["values"]]
            return "ok " + struct.pack(req["fmt"], *values).hex()
        if op == "unpack":
            values = struct.unpack(req["fmt"], bytes.fromhex(req["hex"]))
            return " ".join(["ok"] + [token(v) for v in values])
        if op == "repr":
            return "ok " + repr(struct.unpack("!d", bytes.fromhex(req["bits"]))[0])
    except Exception as e:  # every failure is an answer
        return err(e)
    return "err BadRequest " + op


def main():
    lines = sys.stdin.read().splitlines()
    out = [answer(json.loads(line)) for line in lines if line.strip()]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
