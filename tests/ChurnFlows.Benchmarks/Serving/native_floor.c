/* native_floor: the smallest HTTP/1.1 server worth measuring, the "native floor" row of serving-http.
 * Usage: native_floor PORT THREADS. Listens on 127.0.0.1:PORT only, with one SO_REUSEPORT listener and
 * one epoll loop a thread, and answers every request with the app's constant GET / body. Requests are
 * GETs without bodies, so each "\r\n\r\n" ends one. Build: gcc -O2 -pthread -o native_floor native_floor.c */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BODY "{\"service\":\"ChurnFlows\"}"
static const char response[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                               "Content-Length: 24\r\n\r\n" BODY;
_Static_assert(sizeof BODY - 1 == 24, "Content-Length must match the body");
static unsigned char matched[1 << 16]; /* per connection (by fd): how much of "\r\n\r\n" the last bytes matched */

static void on_term(int signal_number) { (void)signal_number; _exit(0); }

/* Opens a non-blocking listener on 127.0.0.1:port that shares the port with the other threads' listeners. */
static int listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), on = 1;
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 1024) != 0) { perror("native_floor"); exit(1); }
    return fd;
}

/* Answers the requests whose terminators are in what the connection sent; closes it at end of stream or error.
 * wrk has one request in flight a connection, so a response never meets a full send buffer. */
static void answer(int fd) {
    char buffer[4096];
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) { matched[fd] = 0; close(fd); return; } /* close also takes fd out of the epoll set */
    for (ssize_t i = 0; i < n; i++) {
        matched[fd] = buffer[i] == "\r\n\r\n"[matched[fd]] ? matched[fd] + 1 : buffer[i] == '\r';
        if (matched[fd] == 4) { matched[fd] = 0; send(fd, response, sizeof response - 1, MSG_NOSIGNAL); }
    }
}

/* One thread: accepts on its own listener and serves its connections from its own epoll loop. */
static void *serve(void *listener_pointer) {
    int listener = (int)(long)listener_pointer, epoll = epoll_create1(0), on = 1;
    struct epoll_event event = {.events = EPOLLIN, .data.fd = listener}, ready[256];
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    for (;;) {
        for (int i = 0, count = epoll_wait(epoll, ready, 256, -1); i < count; i++) {
            if (ready[i].data.fd != listener) { answer(ready[i].data.fd); continue; }
            for (int fd; (fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0;) {
                if (fd >= (int)sizeof matched) { close(fd); continue; }
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                event.data.fd = fd;
                epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
            }
        }
    }
    return NULL; /* not reached: the loop ends with the process */
}

int main(int argc, char **argv) {
    if (argc != 3 || atoi(argv[2]) < 1) { fprintf(stderr, "usage: native_floor PORT THREADS\n"); return 2; }
    signal(SIGTERM, on_term);
    /* Every listener is open before any thread starts: once a connection is accepted, all of them are. */
    int threads = atoi(argv[2]), listeners[threads];
    for (int i = 0; i < threads; i++) listeners[i] = listen_on(atoi(argv[1]));
    pthread_t ids[threads];
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, serve, (void *)(long)listeners[i]);
    pthread_join(ids[0], NULL); /* the loops never return: the server runs until SIGTERM or SIGKILL */
    return 0;
}
