//! What the generated code promises on its own: the C names and error reports as a C program
//! uses them, several headers in one program, half floats converted exactly (every half, and
//! doubles at the rounding boundaries), the Python module's names, dataclass and errors, and
//! which layouts and names the generators refuse.

use crate::harness::{self, Built, CFLAGS, Verdict, gcc, hex, run_lines, rust_decode, rust_encode};
use crate::roundtrip::Rng;
use netorder::record::FixedRecord;
use netorder::{ErrorKind, Layout, Value};
use netorder_support::headers::{Dns, Ipv4, SpacePacket};
use std::process::Command;

/// A C program using the generated names of IPv4 and DNS headers (derived records) and a
/// format with a half float, all three headers in one translation unit.
const PROGRAM: &str = r#"
#include <stdio.h>
#include <string.h>
#include "ipv4.h"
#include "dns.h"
#include "misc.h"

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("FAILED line %d: %s\n", __LINE__, #cond);                   \
            return 1;                                                          \
        }                                                                      \
    } while (0)

int main(void)
{
    /* An IPv4 header from RFC 791's fields, network order on the wire. */
    ipv4_t ip;
    memset(&ip, 0, sizeof ip);
    ip.version = 4;
    ip.ihl = 5;
    ip.total_length = 84;
    ip.flags = 2;
    ip.time_to_live = 64;
    ip.protocol = 1;
    memcpy(ip.source, "\x0a\x00\x00\x01", 4);
    uint8_t wire[IPV4_SIZE + 1];
    netorder_error_t err;
    CHECK(IPV4_SIZE == 20);
    CHECK(ipv4_encode(&ip, wire, sizeof wire, &err) == NETORDER_OK);
    CHECK(wire[0] == 0x45 && wire[2] == 0 && wire[3] == 84 && wire[6] == 0x40);
    CHECK(wire[IPV4_OFFSET_TIME_TO_LIVE] == 64 && IPV4_OFFSET_SOURCE == 12);
    ipv4_t back;
    CHECK(ipv4_decode(&back, wire, IPV4_SIZE, &err) == NETORDER_OK);
    CHECK(back.ihl == 5 && back.total_length == 84 && back.flags == 2 && back.source[3] == 1);

    /* A value too wide for its bits: refused, nothing written, the member named. */
    memset(wire, 0xEE, sizeof wire);
    ip.ihl = 16;
    CHECK(ipv4_encode(&ip, wire, sizeof wire, &err) == NETORDER_ERR_RANGE);
    CHECK(err.code == NETORDER_ERR_RANGE && err.offset == 0 && err.index == 1);
    CHECK(strcmp(err.field, "ihl") == 0 && wire[0] == 0xEE);
    CHECK(strcmp(netorder_strerror(err.code), "a value too large for its field") == 0);
    /* A short buffer, a short input, a long input. */
    ip.ihl = 5;
    CHECK(ipv4_encode(&ip, wire, IPV4_SIZE - 1, NULL) == NETORDER_ERR_BUFFER);
    CHECK(ipv4_decode(&back, wire, 7, &err) == NETORDER_ERR_SHORT && err.offset == 0);
    CHECK(err.index == -1 && err.field[0] == '\0');
    CHECK(ipv4_decode(&back, wire, IPV4_SIZE + 1, &err) == NETORDER_ERR_TRAILING);
    CHECK(err.offset == IPV4_SIZE);

    /* DNS: the opcode is an enum of 4 bits; 3 is no opcode. */
    dns_t q;
    memset(&q, 0, sizeof q);
    q.id = 0xBEEF;
    q.rd = true;
    q.opcode = DNS_OPCODE_NOTIFY;
    q.qdcount = 1;
    uint8_t msg[DNS_SIZE];
    CHECK(dns_encode(&q, msg, sizeof msg, &err) == NETORDER_OK);
    CHECK(msg[0] == 0xBE && msg[1] == 0xEF && msg[2] == (4 << 3 | 1) && msg[5] == 1);
    q.opcode = 3;
    CHECK(dns_encode(&q, msg, sizeof msg, &err) == NETORDER_ERR_ENUM);
    CHECK(err.offset == 2 && err.index == 2 && strcmp(err.field, "opcode") == 0);
    msg[2] = 3 << 3; /* opcode 3 on the wire */
    dns_t d;
    memset(&d, 0x5A, sizeof d);
    CHECK(dns_decode(&d, msg, sizeof msg, &err) == NETORDER_ERR_ENUM && err.offset == 2);
    CHECK(d.id == 0x5A5A); /* *rec untouched */
    CHECK(DNS_OPCODE_QUERY == 0 && DNS_OPCODE_I_QUERY == 1 && DNS_OPCODE_UPDATE == 5);

    /* Half floats: Python's rounding, and its refusal past 65504. */
    misc_t m;
    memset(&m, 0, sizeof m);
    uint8_t buf[MISC_SIZE];
    m.ratio = 65519.99;
    CHECK(misc_encode(&m, buf, sizeof buf, &err) == NETORDER_OK);
    CHECK(buf[0] == 0x7B && buf[1] == 0xFF);
    m.ratio = 65520.0;
    CHECK(misc_encode(&m, buf, sizeof buf, &err) == NETORDER_ERR_FLOAT_RANGE && err.index == 0);
    m.ratio = 1.0 / 3.0;
    m.label_len = 3;
    memcpy(m.label, "abc", 3);
    m.up = true;
    CHECK(misc_encode(&m, buf, sizeof buf, &err) == NETORDER_OK);
    misc_t n;
    CHECK(misc_decode(&n, buf, sizeof buf, &err) == NETORDER_OK);
    CHECK(n.ratio == 0.333251953125 && n.label_len == 3 && memcmp(n.label, "abc", 3) == 0);
    /* A bool byte of 2, a padding byte, a Pascal length too large: refused where they are. */
    buf[MISC_OFFSET_UP] = 2;
    CHECK(misc_decode(&n, buf, sizeof buf, &err) == NETORDER_ERR_BOOL);
    CHECK(err.offset == MISC_OFFSET_UP && strcmp(err.field, "up") == 0);
    buf[MISC_OFFSET_UP] = 1;
    buf[MISC_SIZE - 1] = 9;
    CHECK(misc_decode(&n, buf, sizeof buf, &err) == NETORDER_ERR_PADDING);
    CHECK(err.offset == MISC_SIZE - 1 && err.index == -1);
    buf[MISC_SIZE - 1] = 0;
    buf[MISC_OFFSET_LABEL] = 5;
    CHECK(misc_decode(&n, buf, sizeof buf, &err) == NETORDER_ERR_PASCAL);
    m.label_len = 5;
    CHECK(misc_encode(&m, buf, sizeof buf, &err) == NETORDER_ERR_RANGE);

    /* The X-macro lists every value in order. */
#define COUNT(kind, member) +1
    CHECK(0 IPV4_FIELDS(COUNT) == 12 && 0 DNS_FIELDS(COUNT) == 13 && 0 MISC_FIELDS(COUNT) == 3);
#undef COUNT
    printf("ok\n");
    return 0;
}
"#;

/// The misc layout of `PROGRAM`: a half float, a Pascal string, a bool, padding.
const MISC: &str = "!ratio:e label:5p up:? 2x";

#[test]
fn a_c_program_uses_the_names_and_errors() {
    let dir = harness::scratch("program");
    let headers = [
        ("ipv4", Layout::of_fixed::<Ipv4>().unwrap()),
        ("dns", Layout::of_fixed::<Dns>().unwrap()),
        ("misc", Layout::parse(MISC).unwrap()),
    ];
    for (name, layout) in &headers {
        std::fs::write(dir.join(format!("{name}.h")), layout.gen_c(name).unwrap()).unwrap();
    }
    std::fs::write(dir.join("program.c"), PROGRAM).unwrap();
    let args = [
        CFLAGS,
        &["-Wconversion", "-I.", "program.c", "-o", "program"],
    ]
    .concat();
    gcc(&args, &dir);
    let out = run_lines(&mut Command::new(dir.join("program")), "");
    assert_eq!(out, ["ok"]);
}

/// A Python program using the module's names, its dataclass and its errors.
const SCRIPT: &str = r#"
import dataclasses, sys
sys.path.insert(0, '.')
import dns, misc

# Module-level names.
assert dns.SIZE == 12 and misc.SIZE == 10
assert dns.FIELDS[:4] == ('id', 'qr', 'opcode', 'aa'), dns.FIELDS
assert dns.OPCODE_NOTIFY == 4 and dns.OPCODE_I_QUERY == 1
assert misc.FORMAT == '!e5p?2x'  # a plain struct format: names only with bit fields

# pack and unpack, as struct takes and gives the values.
data = dns.pack(0xBEEF, False, dns.OPCODE_NOTIFY, False, False, True, False, 0, 0, 1, 0, 0, 0)
assert data == bytes.fromhex('beef2100000100000000' + '0000'), data.hex()
values = dns.unpack(data)
assert values == (0xBEEF, False, 4, False, False, True, False, 0, 0, 1, 0, 0, 0), values
assert type(values[1]) is bool and type(values[2]) is int

# The dataclass.
q = dns.Dns.from_bytes(data)
assert dataclasses.is_dataclass(q) and q.opcode == 4 and q.rd is True
q.opcode = dns.OPCODE_QUERY
assert dns.unpack(q.to_bytes())[2] == 0
assert misc.Misc().to_bytes() == bytes(10)

# Errors: a ValueError naming the field, its index and the byte.
try:
    dns.pack(1, False, 3, False, False, True, False, 0, 0, 1, 0, 0, 0)
    raise SystemExit('opcode 3 packed')
except dns.Error as e:
    assert isinstance(e, ValueError)
    assert (e.reason, e.field, e.index, e.offset) == ('enum', 'opcode', 2, 2), vars(e)
    assert str(e) == "field 'opcode' (value 2) at byte 2: 3 is no variant of the field", str(e)
try:
    dns.unpack(data[:5])
    raise SystemExit('5 bytes unpacked')
except dns.Error as e:
    assert (e.reason, e.field, e.index, e.offset) == ('short', None, None, 0), vars(e)
    assert str(e) == 'at byte 0: 5 bytes, the record takes 12', str(e)
try:
    misc.unpack(bytes.fromhex('3c00' + '00' * 5 + '02' + '0000'))
except misc.Error as e:
    assert (e.reason, e.field, e.index, e.offset) == ('bool', 'up', 2, 7), vars(e)
try:
    misc.pack(70000, b'', True)
except misc.Error as e:
    assert (e.reason, e.field) == ('float_range', 'ratio'), vars(e)
try:
    misc.pack(1.0, 'text', True)
except misc.Error as e:
    assert (e.reason, e.field, e.offset) == ('type', 'label', 2), vars(e)
try:
    misc.pack(1.0)
except misc.Error as e:
    assert (e.reason, e.field, e.index, e.offset) == ('count', None, None, None), vars(e)
# Python's struct rules for what fits: 's' and 'p' cut, '?' takes any value's truth.
assert misc.unpack(misc.pack(0.5, b'abcdefgh', 'yes')) == (0.5, b'abcd', True)
print('ok')
"#;

#[test]
fn a_python_program_uses_the_names_and_errors() {
    let dir = harness::scratch("script");
    let dns = Layout::of_fixed::<Dns>().unwrap();
    std::fs::write(dir.join("dns.py"), dns.gen_python("dns").unwrap()).unwrap();
    let misc = Layout::parse(MISC).unwrap();
    std::fs::write(dir.join("misc.py"), misc.gen_python("misc").unwrap()).unwrap();
    let out = run_lines(
        Command::new("python3")
            .args(["-c", SCRIPT])
            .current_dir(&dir),
        "",
    );
    assert_eq!(out, ["ok"]);
}

/// Every half float decodes the same in the three, and doubles at the rounding boundaries (ties,
/// subnormals, the overflow edge) encode the same: Python's `PyFloat_Pack2`.
#[test]
fn half_floats_convert_exactly() {
    let layout = Layout::parse("!e").unwrap();
    let built: Built = harness::build(&layout, "half");
    // Every pattern.
    let all: Vec<[u8; 2]> = (0..=u16::MAX).map(u16::to_be_bytes).collect();
    let cmds: Vec<String> = all.iter().map(|b| format!("D {}", hex(b))).collect();
    let (c, py) = (built.c(&cmds), built.python(&cmds));
    for (i, b) in all.iter().enumerate() {
        let ours = rust_decode(&layout, b);
        assert_eq!(c[i], ours, "C decodes {}", hex(b));
        assert_eq!(py[i], ours, "Python decodes {}", hex(b));
    }
    // Doubles: each half, halfway to the next, a hair either side of halfway, past the
    // largest, and random ones.
    let mut values: Vec<f64> = Vec::new();
    for h in 0..0x7C00u16 {
        let x = layout.unpack(&h.to_be_bytes()).unwrap()[0].clone();
        let y = layout.unpack(&(h + 1).to_be_bytes()).unwrap()[0].clone();
        let (Value::Float(x), Value::Float(y)) = (x, y) else {
            unreachable!()
        };
        let mid = (x + y) / 2.0; // exact: halves have few bits
        for v in [x, mid, mid.next_down(), mid.next_up(), y] {
            values.push(v);
            values.push(-v);
        }
    }
    let mut rng = Rng::new(99);
    for _ in 0..20_000 {
        values.push(f64::from_bits(rng.next()));
        values.push((rng.next() as i64 as f64) / (1u64 << rng.below(64)) as f64);
    }
    values.extend([
        65504.0,
        65519.999,
        65520.0,
        1e300,
        f64::INFINITY,
        f64::NAN,
        -f64::NAN,
    ]);
    values.extend([
        f64::MIN_POSITIVE,
        5e-324,
        2f64.powi(-25),
        2f64.powi(-24) * 1.5,
    ]);
    let cmds: Vec<String> = values
        .iter()
        .map(|x| format!("E f{:016x}", x.to_bits()))
        .collect();
    let (c, py) = (built.c(&cmds), built.python(&cmds));
    let mut refused = 0;
    for (i, x) in values.iter().enumerate() {
        let ours = rust_encode(&layout, &[Value::Float(*x)]);
        for (who, line) in [("C", &c[i]), ("Python", &py[i])] {
            let theirs = Verdict::parse(line);
            assert!(
                ours.agrees(&theirs),
                "{who} packs {x:e} ({:016x}): {line}",
                x.to_bits()
            );
        }
        refused += usize::from(matches!(ours, Verdict::Err { .. }));
    }
    assert!(refused > 1000, "only {refused} refusals");
}

/// Several headers in one program share the helpers (guarded), and each compiles on its own
/// as strict C11 (`-pedantic`), even with nothing but padding, or nothing at all.
#[test]
fn headers_compile_alone_and_together() {
    let dir = harness::scratch("together");
    let layouts = [
        ("empty", "!"),
        ("pad", "!3x"),
        ("nothing", "!0s 0p"),
        ("wide", "<q Q d 2000s"),
        ("bits", "!{a:64 b:64 c:?  7x}"),
    ];
    let mut includes = String::new();
    for (name, fmt) in layouts {
        let header = Layout::parse(fmt).unwrap().gen_c(name).unwrap();
        std::fs::write(dir.join(format!("{name}.h")), &header).unwrap();
        let file = format!("{name}.h");
        let args = [
            CFLAGS,
            &["-Wconversion", "-c", "-x", "c", &file, "-o", "/dev/null"],
        ]
        .concat();
        gcc(&args, &dir);
        includes.push_str(&format!("#include \"{name}.h\"\n#include \"{name}.h\"\n"));
    }
    let program = format!(
        "{includes}\nint main(void)\n{{\n    empty_t e = {{0}};\n    uint8_t b[1] = {{0}};\n    \
         return empty_encode(&e, b, 0, NULL) | empty_decode(&e, b, 0, NULL);\n}}\n"
    );
    std::fs::write(dir.join("all.c"), program).unwrap();
    let args = [CFLAGS, &["-I.", "all.c", "-o", "all"]].concat();
    gcc(&args, &dir);
    let status = Command::new(dir.join("all")).status().unwrap();
    assert!(status.success());
}

/// Names: a path becomes an identifier, keywords and repeats get a suffix, unnamed fields are
/// `f` and their index; enum variants are upper snake case.
#[test]
fn names_in_both_languages() {
    let layout = Layout::parse("!int:B class:H ttl:B TTL:B 2h {x:4 4x}").unwrap();
    let c = layout.gen_c("names").unwrap();
    for member in [
        "uint8_t int_;",
        "uint16_t class;",
        "uint8_t ttl;",
        "uint8_t TTL_2;",
        "int16_t f4[2];",
        "uint8_t x;",
    ] {
        assert!(c.contains(&format!("    {member}")), "{member}\n{c}");
    }
    let py = layout.gen_python("names").unwrap();
    assert!(
        py.contains("FIELDS = ('int', 'class_', 'ttl', 'TTL_2', 'f4', 'f5', 'x')"),
        "{py}"
    );
    // A derived record's paths and enums.
    let c = Layout::of_fixed::<SpacePacket>()
        .unwrap()
        .gen_c("ccsds")
        .unwrap();
    assert!(
        c.contains("#define CCSDS_SEQUENCE_FLAGS_UNSEGMENTED 3\n"),
        "{c}"
    );
    assert!(
        c.contains("#define CCSDS_PACKET_TYPE_TELECOMMAND 1\n"),
        "{c}"
    );
    // Every value of a 2-bit enum with four variants is one: nothing to check.
    assert!(!c.contains("NETORDER_ERR_ENUM, 2"), "{c}");
    #[derive(netorder::record::FixedRecord)]
    struct Outer {
        hdr: (u16, [u8; 2]),
        r#type: u8,
    }
    let layout = Layout::of_fixed::<Outer>().unwrap();
    assert_eq!(Outer::SIZE, 5);
    let py = layout.gen_python("outer").unwrap();
    assert!(py.contains("FIELDS = ('hdr_0', 'hdr_1', 'type')"), "{py}");
    // A serde type's layout generates too.
    #[derive(serde::Deserialize)]
    #[allow(dead_code)] // only its layout is used
    struct Reading {
        sensor: u16,
        ok: bool,
        tag: [u8; 3],
    }
    let layout = Layout::of::<Reading>().unwrap();
    let py = layout.gen_python("reading").unwrap();
    assert!(py.contains("FIELDS = ('sensor', 'ok', 'tag')"), "{py}");
    assert!(
        layout
            .gen_c("reading")
            .unwrap()
            .contains("    uint8_t tag[3];")
    );
    // An enum's macro that would be another macro's name gets a suffix.
    #[derive(netorder::record::BitValue, Clone, Copy)]
    enum Off {
        Ttl = 1,
        Other = 0,
    }
    #[derive(netorder::record::FixedRecord)]
    struct Clash {
        #[netorder(bits = 4)]
        offset: Off,
        #[netorder(bits = 4)]
        low: u8,
        ttl: u8,
    }
    let _ = (Off::Ttl, Off::Other);
    let c = Layout::of_fixed::<Clash>().unwrap().gen_c("clash").unwrap();
    assert!(c.contains("#define CLASH_OFFSET_TTL 1\n"), "{c}");
    assert!(c.contains("#define CLASH_OFFSET_TTL_2 1\n"), "{c}");
    let dir = harness::scratch("clash");
    std::fs::write(dir.join("clash.h"), c).unwrap();
    gcc(
        &[CFLAGS, &["-c", "-x", "c", "clash.h", "-o", "/dev/null"]].concat(),
        &dir,
    );
}

/// What the generators refuse: native formats, names that are no identifiers or that the
/// generated code needs, layouts too large to write out.
#[test]
fn refusals() {
    for fmt in ["HI", "@HI", "@?"] {
        let layout = Layout::parse(fmt).unwrap();
        for err in [
            layout.gen_c("rec").unwrap_err(),
            layout.gen_python("rec").unwrap_err(),
        ] {
            assert!(
                matches!(err.kind(), ErrorKind::Unsupported { what } if what.contains("native")),
                "{fmt}: {err}"
            );
        }
    }
    let layout = Layout::parse("!H").unwrap();
    for name in [
        "",
        "9lives",
        "a-b",
        "_x",
        "int",
        "None",
        "error",
        "netorder_thing",
        "x y",
    ] {
        assert!(layout.gen_c(name).is_err(), "{name:?}");
        assert!(layout.gen_python(name).is_err(), "{name:?}");
    }
    for name in ["a", "Packet", "space_packet", "x9_"] {
        assert!(layout.gen_c(name).is_ok(), "{name:?}");
    }
    let huge = Layout::parse("!4097B").unwrap();
    let err = huge.gen_c("huge").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 4097,
            limit: 4096
        }
    );
    assert!(Layout::parse("!4096B").unwrap().gen_python("big").is_ok());
    // A huge byte string is one value: fine up to Layout::MAX_PACKED_SIZE.
    assert!(Layout::parse("!1000000s").unwrap().gen_c("blob").is_ok());
    let err = Layout::parse("!2000000000s")
        .unwrap()
        .gen_c("blob")
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::LengthLimit { .. }), "{err}");
}
