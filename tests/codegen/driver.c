/* The test driver for a generated C header: one command per line on stdin, one answer per line
 * on stdout, so that thousands of records go through one process.
 *
 * Compiled by tests/codegen/ with -std=c11 -Wall -Wextra -Werror -pedantic and
 *   -DREC_HEADER='"rec.h"' -DREC_T=rec_t -DREC_SIZE=REC_SIZE -DREC_ENCODE=rec_encode
 *   -DREC_DECODE=rec_decode -DREC_FIELDS=REC_FIELDS
 * It knows nothing of the record but the header's names: the X-macro REC_FIELDS walks the
 * members.
 *
 * Commands:
 *   D <hex>       decode           -> ok <values> | err <reason> <offset> <index>
 *   R <hex>       decode, encode   -> ok <values> = <hex> | err ...
 *   E <values>    encode           -> ok <hex> | err ... | unrep (a value C's types cannot hold)
 * Values are tokens: i<decimal> (integer), b0 | b1 (bool), f<16 hex digits> (a double's bits),
 * x<hex> (bytes). Errors: the reason (short, trailing, bool, enum, padding, pascal, range,
 * float_range, buffer), the byte offset, the value's index (-1 for none).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include REC_HEADER

static REC_T rec;
static uint8_t *buf;
static size_t buf_len;

/* ---- output ---- */

static inline void hex_out(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
}

static inline void tok_u(uint64_t v) { printf(" i%" PRIu64, v); }
static inline void tok_i(int64_t v) { printf(" i%" PRId64, v); }
static inline void tok_b(bool v) { printf(" b%d", v ? 1 : 0); }
static inline void tok_f(double v) { printf(" f%016" PRIx64, netorder_f64_bits(v)); }
static inline void tok_x(const uint8_t *p, size_t n)
{
    printf(" x");
    hex_out(p, n);
}

#define PRINT_U8(m) tok_u(rec.m)
#define PRINT_U16(m) tok_u(rec.m)
#define PRINT_U32(m) tok_u(rec.m)
#define PRINT_U64(m) tok_u(rec.m)
#define PRINT_I8(m) tok_i(rec.m)
#define PRINT_I16(m) tok_i(rec.m)
#define PRINT_I32(m) tok_i(rec.m)
#define PRINT_I64(m) tok_i(rec.m)
#define PRINT_BOOL(m) tok_b(rec.m)
#define PRINT_F16(m) tok_f(rec.m)
#define PRINT_F32(m) tok_f((double)rec.m)
#define PRINT_F64(m) tok_f(rec.m)
#define PRINT_CHAR(m) tok_x(&rec.m, 1)
#define PRINT_BYTES(m) tok_x(rec.m, sizeof rec.m)
#define PRINT_PASCAL(m) tok_x(rec.m, rec.m##_len)
#define PRINT_PASCAL1(m) tok_x(NULL, 0)
#define PRINT_EMPTY(m) tok_x(NULL, 0)

static inline void print_values(void)
{
#define X(kind, m) PRINT_##kind(m);
    REC_FIELDS(X)
#undef X
}

static const char *reason(int code)
{
    switch (code) {
    case NETORDER_ERR_SHORT: return "short";
    case NETORDER_ERR_TRAILING: return "trailing";
    case NETORDER_ERR_BOOL: return "bool";
    case NETORDER_ERR_ENUM: return "enum";
    case NETORDER_ERR_PADDING: return "padding";
    case NETORDER_ERR_PASCAL: return "pascal";
    case NETORDER_ERR_RANGE: return "range";
    case NETORDER_ERR_FLOAT_RANGE: return "float_range";
    case NETORDER_ERR_BUFFER: return "buffer";
    default: return "unknown";
    }
}

static inline void print_err(const netorder_error_t *e)
{
    printf("err %s %zu %ld", reason(e->code), e->offset, e->index);
    /* The member's name must be the one the index points at (or "" for none). */
    if ((e->index < 0) != (e->field[0] == '\0'))
        printf(" BAD-FIELD-NAME");
    printf("\n");
}

/* ---- input ---- */

static inline int hexdigit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Hex text (even length) into buf; returns its byte count, or -1. */
static inline long parse_hex(const char *s, size_t len)
{
    if (len % 2)
        return -1;
    if (len / 2 > buf_len) {
        buf_len = len / 2;
        buf = realloc(buf, buf_len + 1);
        if (!buf)
            abort();
    }
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hexdigit(s[2 * i]), lo = hexdigit(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(len / 2);
}

/* The tokens of an E line. */
static char *cursor;
static int unrep;

static char *next_token(void)
{
    while (*cursor == ' ')
        cursor++;
    if (!*cursor) {
        unrep = 1;
        return NULL;
    }
    char *t = cursor;
    while (*cursor && *cursor != ' ')
        cursor++;
    if (*cursor)
        *cursor++ = '\0';
    return t;
}

/* An integer token (i..., or b0/b1) within [lo, hi] (hi as unsigned for u64). */
static inline int int_token(int64_t *sv, uint64_t *uv, int is_signed)
{
    char *t = next_token();
    if (!t)
        return 0;
    if (t[0] == 'b' && (t[1] == '0' || t[1] == '1') && !t[2]) {
        *sv = t[1] - '0';
        *uv = (uint64_t)(t[1] - '0');
        return 1;
    }
    if (t[0] != 'i')
        return 0;
    char *end;
    errno = 0;
    if (is_signed) {
        long long v = strtoll(t + 1, &end, 10);
        if (errno || *end || end == t + 1)
            return 0;
        *sv = v;
        return 1;
    }
    if (t[1] == '-')
        return 0;
    unsigned long long v = strtoull(t + 1, &end, 10);
    if (errno || *end || end == t + 1)
        return 0;
    *uv = v;
    return 1;
}

/* An unsigned token up to max, or a signed one in [min, max]; 0 when there is none. */
static inline int uint_in(uint64_t *v, uint64_t max)
{
    int64_t s;
    return int_token(&s, v, 0) && *v <= max;
}
static inline int int_in(int64_t *v, int64_t min, int64_t max)
{
    uint64_t u;
    return int_token(v, &u, 1) && *v >= min && *v <= max;
}

#define PARSE_U(m, max)                                                                     \
    do {                                                                                    \
        uint64_t u_;                                                                        \
        if (!uint_in(&u_, max)) {                                                           \
            unrep = 1;                                                                      \
            return;                                                                         \
        }                                                                                   \
        rec.m = u_;                                                                         \
    } while (0)
#define PARSE_I(m, min, max)                                                                \
    do {                                                                                    \
        int64_t s_;                                                                         \
        if (!int_in(&s_, min, max)) {                                                       \
            unrep = 1;                                                                      \
            return;                                                                         \
        }                                                                                   \
        rec.m = s_;                                                                         \
    } while (0)

static inline int float_token(double *x)
{
    char *t = next_token();
    if (!t || t[0] != 'f' || strlen(t) != 17)
        return 0;
    uint64_t bits = 0;
    for (int i = 1; i < 17; i++) {
        int d = hexdigit(t[i]);
        if (d < 0)
            return 0;
        bits = bits << 4 | (uint64_t)d;
    }
    *x = netorder_f64_from_bits(bits);
    return 1;
}

/* A bytes token into buf; its length, or -1. */
static inline long bytes_token(void)
{
    char *t = next_token();
    if (!t || t[0] != 'x')
        return -1;
    return parse_hex(t + 1, strlen(t + 1));
}

static inline void parse_bool(bool *m)
{
    int64_t s;
    uint64_t u;
    if (!int_token(&s, &u, 1) || s < 0 || s > 1) {
        unrep = 1;
        return;
    }
    *m = s == 1;
}

static inline void parse_f64(double *m)
{
    if (!float_token(m))
        unrep = 1;
}

static inline void parse_f32(float *m)
{
    double x;
    if (!float_token(&x)) {
        unrep = 1;
        return;
    }
    /* A finite double that rounds past the largest float: C's float cannot hold it. */
    if (isfinite(x) && fabs(x) >= 0x1.ffffffp127) {
        unrep = 1;
        return;
    }
    *m = (float)x;
}

/* Bytes into an n-byte member: padded with zeros or cut, as struct packs 's'. */
static inline void parse_bytes(uint8_t *m, size_t n)
{
    long len = bytes_token();
    if (len < 0) {
        unrep = 1;
        return;
    }
    memset(m, 0, n);
    memcpy(m, buf, (size_t)len < n ? (size_t)len : n);
}

static inline void parse_char(uint8_t *m)
{
    long len = bytes_token();
    if (len != 1) {
        unrep = 1;
        return;
    }
    *m = buf[0];
}

/* A Pascal string: its length and up to room bytes (a longer one C cannot hold as it is). */
static inline void parse_pascal(uint8_t *len_m, uint8_t *m, size_t room)
{
    long len = bytes_token();
    if (len < 0 || (size_t)len > room || len > 255) {
        unrep = 1;
        return;
    }
    *len_m = (uint8_t)len;
    if (room > 0) {
        memset(m, 0, room);
        memcpy(m, buf, (size_t)len);
    }
}

static inline void parse_empty(void)
{
    if (bytes_token() < 0)
        unrep = 1;
}

#define PARSE_U8(m) PARSE_U(m, UINT8_MAX)
#define PARSE_U16(m) PARSE_U(m, UINT16_MAX)
#define PARSE_U32(m) PARSE_U(m, UINT32_MAX)
#define PARSE_U64(m) PARSE_U(m, UINT64_MAX)
#define PARSE_I8(m) PARSE_I(m, INT8_MIN, INT8_MAX)
#define PARSE_I16(m) PARSE_I(m, INT16_MIN, INT16_MAX)
#define PARSE_I32(m) PARSE_I(m, INT32_MIN, INT32_MAX)
#define PARSE_I64(m) PARSE_I(m, INT64_MIN, INT64_MAX)
#define PARSE_BOOL(m) parse_bool(&rec.m)
#define PARSE_F16(m) parse_f64(&rec.m)
#define PARSE_F32(m) parse_f32(&rec.m)
#define PARSE_F64(m) parse_f64(&rec.m)
#define PARSE_CHAR(m) parse_char(&rec.m)
#define PARSE_BYTES(m) parse_bytes(rec.m, sizeof rec.m)
#define PARSE_PASCAL(m) parse_pascal(&rec.m##_len, rec.m, sizeof rec.m)
#define PARSE_PASCAL1(m) parse_pascal(&rec.m##_len, NULL, 0)
#define PARSE_EMPTY(m) parse_empty()

static inline void parse_values(void)
{
#define X(kind, m)                                                                          \
    PARSE_##kind(m);                                                                        \
    if (unrep)                                                                              \
        return;
    REC_FIELDS(X)
#undef X
    /* No token left over. */
    while (*cursor == ' ')
        cursor++;
    if (*cursor)
        unrep = 1;
}

static inline void encode_and_print(const char *prefix)
{
    static uint8_t *out;
    if (!out && !(out = malloc(REC_SIZE + 1)))
        abort();
    netorder_error_t e = {0, 0, 0, ""};
    int code = REC_ENCODE(&rec, out, REC_SIZE, &e);
    if (code != NETORDER_OK) {
        print_err(&e);
        return;
    }
    printf("%s", prefix);
    hex_out(out, REC_SIZE);
    printf("\n");
}

int main(void)
{
    /* All of stdin, then one command per line. */
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    if (!text)
        return 2;
    for (;;) {
        if (len + 4096 > cap && !(text = realloc(text, cap *= 2)))
            return 2;
        size_t got = fread(text + len, 1, cap - len - 1, stdin);
        if (got == 0)
            break;
        len += got;
    }
    text[len] = '\0';
    /* A short buffer is refused before anything is read (NULL is never written). */
    {
        netorder_error_t e = {0, 0, 0, ""};
        uint8_t one[1];
        if (REC_SIZE > 0 &&
            (REC_ENCODE(&rec, one, REC_SIZE - 1, &e) != NETORDER_ERR_BUFFER ||
             e.code != NETORDER_ERR_BUFFER))
            printf("BUFFER-CHECK-FAILED\n");
    }
    char *line = text;
    while (*line) {
        char *eol = strchr(line, '\n');
        if (eol)
            *eol = '\0';
        char cmd = line[0];
        char *arg = line[1] ? line + 2 : line + 1;
        if (cmd == 'D' || cmd == 'R') {
            long n = parse_hex(arg, strlen(arg));
            if (n < 0) {
                printf("bad-hex\n");
            } else {
                netorder_error_t e = {0, 0, 0, ""};
                REC_T before;
                memset(&rec, 0xA5, sizeof rec);
                memcpy(&before, &rec, sizeof rec);
                int code = REC_DECODE(&rec, buf, (size_t)n, &e);
                if (code != NETORDER_OK) {
                    /* *rec is left as it was. */
                    if (memcmp(&rec, &before, sizeof rec) != 0)
                        printf("REC-WRITTEN-ON-ERROR ");
                    print_err(&e);
                } else {
                    printf("ok");
                    print_values();
                    if (cmd == 'R')
                        encode_and_print(" = ");
                    else
                        printf("\n");
                }
            }
        } else if (cmd == 'E') {
            memset(&rec, 0, sizeof rec);
            cursor = arg;
            unrep = 0;
            parse_values();
            if (unrep)
                printf("unrep\n");
            else
                encode_and_print("ok ");
        } else {
            printf("bad-command\n");
        }
        if (!eol)
            break;
        line = eol + 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
