/* ---- netorder's helpers, shared by every generated header (guarded) ---- */
#ifndef NETORDER_GEN_HELPERS_1
#define NETORDER_GEN_HELPERS_1

_Static_assert(CHAR_BIT == 8, "netorder: bytes of 8 bits");
_Static_assert(sizeof(float) == 4 && sizeof(double) == 8,
               "netorder: float and double are IEEE 754 binary32 and binary64");

/* What encode and decode return: NETORDER_OK, or why they refused. */
enum netorder_status {
    NETORDER_OK = 0,
    NETORDER_ERR_SHORT = 1,       /* decode: fewer bytes than the record (offset 0) */
    NETORDER_ERR_TRAILING = 2,    /* decode: more bytes than the record (offset: its size) */
    NETORDER_ERR_BOOL = 3,        /* decode: a bool byte other than 0 or 1 */
    NETORDER_ERR_ENUM = 4,        /* an enum bit field's value that is no variant */
    NETORDER_ERR_PADDING = 5,     /* decode: a padding byte or bit that is not zero */
    NETORDER_ERR_PASCAL = 6,      /* decode: a Pascal length too large, or bytes after it */
    NETORDER_ERR_RANGE = 7,       /* encode: a bit field's value or a Pascal length too large */
    NETORDER_ERR_FLOAT_RANGE = 8, /* encode: a double too large for a half float ('e') */
    NETORDER_ERR_BUFFER = 9       /* encode: the output buffer is shorter than the record */
};

/* Where encode or decode failed. */
typedef struct netorder_error {
    int code;          /* an enum netorder_status */
    size_t offset;     /* the byte: of the field, or the first bad byte */
    long index;        /* the value's position in the record (as Python's pack/unpack
                          order them), -1 for padding and lengths */
    const char *field; /* the member's name, "" for padding and lengths */
} netorder_error_t;

static inline const char *netorder_strerror(int code)
{
    switch (code) {
    case NETORDER_OK: return "ok";
    case NETORDER_ERR_SHORT: return "fewer bytes than the record";
    case NETORDER_ERR_TRAILING: return "more bytes than the record";
    case NETORDER_ERR_BOOL: return "a bool byte other than 0 or 1";
    case NETORDER_ERR_ENUM: return "a value that is no variant of its enum";
    case NETORDER_ERR_PADDING: return "a padding byte or bit that is not zero";
    case NETORDER_ERR_PASCAL: return "a Pascal string's length too large, or bytes after it";
    case NETORDER_ERR_RANGE: return "a value too large for its field";
    case NETORDER_ERR_FLOAT_RANGE: return "a float too large for a half float";
    case NETORDER_ERR_BUFFER: return "an output buffer shorter than the record";
    default: return "unknown error";
    }
}

static inline int netorder_fail(netorder_error_t *err, int code, size_t offset, long index,
                                const char *field)
{
    if (err) {
        err->code = code;
        err->offset = offset;
        err->index = index;
        err->field = field;
    }
    return code;
}

/* ntohs, ntohl and a 64-bit ntoh from bytes at any alignment: network order (big-endian),
   portable shifts, whatever the machine's own order. */
static inline uint16_t netorder_load_be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | (unsigned)p[1]);
}
static inline uint32_t netorder_load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline uint64_t netorder_load_be64(const uint8_t *p)
{
    return (uint64_t)netorder_load_be32(p) << 32 | (uint64_t)netorder_load_be32(p + 4);
}
/* htons, htonl and a 64-bit hton into bytes. */
static inline void netorder_store_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void netorder_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static inline void netorder_store_be64(uint8_t *p, uint64_t v)
{
    netorder_store_be32(p, (uint32_t)(v >> 32));
    netorder_store_be32(p + 4, (uint32_t)v);
}
/* Little-endian, for '<' and '=' on a little-endian machine. */
static inline uint16_t netorder_load_le16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[1] << 8 | (unsigned)p[0]);
}
static inline uint32_t netorder_load_le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[0];
}
static inline uint64_t netorder_load_le64(const uint8_t *p)
{
    return (uint64_t)netorder_load_le32(p + 4) << 32 | (uint64_t)netorder_load_le32(p);
}
static inline void netorder_store_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void netorder_store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void netorder_store_le64(uint8_t *p, uint64_t v)
{
    netorder_store_le32(p, (uint32_t)v);
    netorder_store_le32(p + 4, (uint32_t)(v >> 32));
}
/* A bit group of n bytes (1 to 8) as one big-endian number, and back. */
static inline uint64_t netorder_load_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}
static inline void netorder_store_be(uint8_t *p, size_t n, uint64_t v)
{
    for (size_t i = n; i-- > 0; v >>= 8)
        p[i] = (uint8_t)v;
}
/* The width bits after start bits of a group (most significant bit first), for groups wider
   than 8 bytes; netorder_put_bits ORs them into zeroed bytes. */
static inline uint64_t netorder_get_bits(const uint8_t *p, size_t start, unsigned width)
{
    uint64_t v = 0;
    for (size_t b = start; b < start + width; b++)
        v = v << 1 | (uint64_t)(p[b / 8] >> (7 - b % 8) & 1u);
    return v;
}
static inline void netorder_put_bits(uint8_t *p, size_t start, unsigned width, uint64_t v)
{
    for (unsigned k = 0; k < width; k++)
        if (v >> (width - 1 - k) & 1u)
            p[(start + k) / 8] |= (uint8_t)(1u << (7 - (start + k) % 8));
}
/* The byte (from p) of the first set bit among width bits after start. */
static inline size_t netorder_first_set_bit(const uint8_t *p, size_t start, size_t width)
{
    for (size_t b = start; b < start + width; b++)
        if (p[b / 8] >> (7 - b % 8) & 1u)
            return b / 8;
    return start / 8;
}
/* The index of the first nonzero byte of p[0..n), or n. */
static inline size_t netorder_first_nonzero(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && p[i] == 0)
        i++;
    return i;
}
/* Two's complement from its bits, without implementation-defined conversions. */
static inline int64_t netorder_sext(uint64_t u, unsigned bits)
{
    uint64_t sign = (uint64_t)1 << (bits - 1);
    if (bits == 64)
        return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
    return (int64_t)(u ^ sign) - (int64_t)sign;
}
/* IEEE 754 values from and to their bits. */
static inline float netorder_f32_from_bits(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}
static inline uint32_t netorder_f32_bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
static inline double netorder_f64_from_bits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}
static inline uint64_t netorder_f64_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
/* A half float ('e', IEEE 754 binary16) as a double: exact; a NaN keeps only its sign. */
static inline double netorder_half_to_double(uint16_t h)
{
    uint64_t sign = (uint64_t)(h & 0x8000u) << 48;
    unsigned e = (unsigned)(h >> 10) & 0x1Fu;
    unsigned f = (unsigned)h & 0x3FFu;
    uint64_t bits;
    if (e == 0x1F) {
        bits = sign | (f ? UINT64_C(0x7FF8000000000000) : UINT64_C(0x7FF0000000000000));
    } else if (e == 0) {
        if (f == 0) {
            bits = sign;
        } else { /* subnormal: f * 2^-24, normalized */
            unsigned k = 0;
            while (!(f & 0x400u)) {
                f <<= 1;
                k++;
            }
            bits = sign | (uint64_t)(1023 - 14 - k) << 52 | (uint64_t)(f & 0x3FFu) << 42;
        }
    } else {
        bits = sign | (uint64_t)(e + 1008u) << 52 | (uint64_t)f << 42;
    }
    return netorder_f64_from_bits(bits);
}
/* A double as a half float, as Python's struct packs 'e': rounded half to even straight from
   the double; infinities stay, a NaN becomes 0x7E00 with its sign. Returns 0 (and writes
   nothing) when a finite value rounds past 65504, the largest half float. */
static inline int netorder_double_to_half(double x, uint16_t *out)
{
    uint64_t bits = netorder_f64_bits(x);
    uint16_t sign = (uint16_t)((bits >> 48) & 0x8000u);
    unsigned biased = (unsigned)(bits >> 52) & 0x7FFu;
    uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    if (biased == 0x7FF) {
        *out = (uint16_t)(sign | (frac ? 0x7E00u : 0x7C00u));
        return 1;
    }
    if (biased == 0) { /* zero, or far below half the smallest subnormal half */
        *out = sign;
        return 1;
    }
    int exp = (int)biased - 1023;
    uint64_t m = frac | (UINT64_C(1) << 52);
    if (exp > 15)
        return 0;
    unsigned shift = exp >= -14 ? 42u : (unsigned)(28 - exp);
    uint64_t rounded = 0;
    if (shift < 64) {
        uint64_t q = m >> shift;
        uint64_t rest = m & ((UINT64_C(1) << shift) - 1);
        uint64_t half = UINT64_C(1) << (shift - 1);
        rounded = (rest > half || (rest == half && (q & 1))) ? q + 1 : q;
    }
    if (exp >= -14) {
        if (rounded == 2048) { /* carried into the exponent */
            rounded = 1024;
            exp++;
        }
        if (exp + 15 >= 31)
            return 0;
        *out = (uint16_t)(sign | (unsigned)(exp + 15) << 10 | (unsigned)(rounded - 1024));
    } else { /* a subnormal, or the smallest normal when it rounds up to 1024 */
        *out = (uint16_t)(sign | (unsigned)rounded);
    }
    return 1;
}

#endif /* NETORDER_GEN_HELPERS_1 */
