"""The test driver for a generated Python module: one command per line on stdin, one answer per
line on stdout (the protocol of driver.c), so that thousands of records go through one process.

    python3 driver.py MODULE.py

Commands: D <hex> (unpack), R <hex> (unpack, then pack the values), E <values> (pack), C <n>
(pack the first n values of an E line: the wrong count). Values are tokens: i<decimal>,
b0 | b1, f<16 hex digits> (a double's bits), x<hex> (bytes). Answers: ok <values>,
ok <values> = <hex>, ok <hex>, or err <reason> <offset> <index> (- for none, -1 for no index).
It also checks what every Error must carry: a field name exactly when there is an index.
"""

import importlib.util
import struct
import sys


def load(path):
    spec = importlib.util.spec_from_file_location('generated', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def token(v):
    if type(v) is bool:
        return 'b1' if v else 'b0'
    if type(v) is int:
        return f'i{v}'
    if type(v) is float:
        return 'f' + struct.pack('>d', v).hex()
    if type(v) is bytes:
        return 'x' + v.hex()
    raise TypeError(f'unexpected value {v!r}')


def value(t):
    kind, rest = t[0], t[1:]
    if kind == 'i':
        return int(rest)
    if kind == 'b':
        return rest == '1'
    if kind == 'f':
        return struct.unpack('>d', bytes.fromhex(rest))[0]
    if kind == 'x':
        return bytes.fromhex(rest)
    raise ValueError(f'bad token {t!r}')


def error(m, e):
    if not isinstance(e, m.Error) or not isinstance(e, ValueError):
        return f'wrong-exception {type(e).__name__}'
    if (e.index is None) != (e.field is None):
        return 'BAD-FIELD-NAME'
    offset = '-' if e.offset is None else str(e.offset)
    index = -1 if e.index is None else e.index
    return f'err {e.reason} {offset} {index}'


def main():
    m = load(sys.argv[1])
    # The module's promises: SIZE, FIELDS, the dataclass agrees with pack and unpack.
    assert isinstance(m.SIZE, int) and isinstance(m.FIELDS, tuple)
    out = []
    for line in sys.stdin.read().split('\n'):
        if not line:
            continue
        cmd, _, arg = line.partition(' ')
        try:
            if cmd in ('D', 'R'):
                data = bytes.fromhex(arg)
                values = m.unpack(data)
                assert type(values) is tuple and len(values) == len(m.FIELDS)
                text = 'ok' + ''.join(' ' + token(v) for v in values)
                if cmd == 'R':
                    packed = m.pack(*values)
                    assert type(packed) is bytes and len(packed) == m.SIZE
                    text += ' = ' + packed.hex()
                out.append(text)
            elif cmd in ('E', 'C'):
                if cmd == 'C':
                    n, _, arg = arg.partition(' ')
                    values = [value(t) for t in arg.split()][: int(n)]
                else:
                    values = [value(t) for t in arg.split()]
                packed = m.pack(*values)
                assert type(packed) is bytes and len(packed) == m.SIZE
                out.append('ok ' + packed.hex())
            else:
                out.append('bad-command')
        except ValueError as e:
            out.append(error(m, e))
        except Exception as e:  # anything else is a bug of the module: say so
            out.append(f'exception {type(e).__name__}: {e}')
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
