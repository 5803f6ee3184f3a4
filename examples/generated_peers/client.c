/* A C peer of `netorder serve`, written against the header that `netorder gen c` generates:
 * sends COUNT telemetry records to 127.0.0.1:PORT, each encoded by telemetry_encode (network
 * order, the bit fields shifted into their byte), then waits for the server to close.
 *
 *   FMT='!{version:3 client:2 urgent:? 2x} seq:I reading:h'
 *   netorder gen c "$FMT" --name telemetry > telemetry.h
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -I. client.c -o client
 *   netorder serve --listen 127.0.0.1:9000 --format "$FMT" &
 *   ./client 9000 1000 & python3 client.py 9000 1000
 *
 * cli/tests/cli/gen_peers.rs runs exactly this, with this client and client.py at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "telemetry.h"

/* send() until every byte is gone. */
static int send_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, 0);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: client PORT COUNT\n");
        return 2;
    }
    long port = strtol(argv[1], NULL, 10), count = strtol(argv[2], NULL, 10);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("connect");
        return 1;
    }
    for (long i = 0; i < count; i++) {
        telemetry_t t;
        memset(&t, 0, sizeof t);
        t.version = 1;
        t.client = 1; /* 1: C, 2: Python */
        t.urgent = i % 7 == 0;
        t.seq = (uint32_t)i;
        t.reading = (int16_t)(i * 37 % 2000 - 1000);
        uint8_t wire[TELEMETRY_SIZE];
        netorder_error_t err;
        if (telemetry_encode(&t, wire, sizeof wire, &err) != NETORDER_OK) {
            fprintf(stderr, "record %ld: %s: %s at byte %zu\n", i, err.field,
                    netorder_strerror(err.code), err.offset);
            return 1;
        }
        if (send_all(fd, wire, sizeof wire) != 0) {
            perror("send");
            return 1;
        }
    }
    /* Done writing; the server closes once it has read every record. */
    shutdown(fd, SHUT_WR);
    char byte;
    while (recv(fd, &byte, 1, 0) > 0) {
    }
    close(fd);
    printf("c: sent %ld records\n", count);
    return 0;
}
