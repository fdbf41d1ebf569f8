/*
 * Baseline for bench/intake.sh: the least a libmicrohttpd + SQLite server can
 * do for the service's intake, so the Swift service's figures have something
 * to be compared with on the same machine in the same run.
 *
 *   POST /api/v1/signals            JSON body (limit 64 KiB) -> one INSERT in
 *                                   its own transaction (WAL, synchronous=FULL,
 *                                   so the 201 is sent only after the commit's
 *                                   fsync), 201 {"reference": ..., ...}
 *   GET  /api/v1/signals/{ref}      SELECT by reference -> 200 JSON or 404
 *   GET  /healthz                   200
 *
 * Same HTTP set-up as the service: MHD_USE_EPOLL_INTERNAL_THREAD with a thread
 * pool of one thread per core, keep-alive (we answer on the second call of the
 * access handler, never on the first headers-only one: libmicrohttpd 0.9.75
 * closes the connection otherwise), one sqlite3 connection per pool thread
 * (thread-local, busy_timeout), prepared statements kept per thread; the
 * INSERT is taken under a process-wide mutex (see write_lock).
 *
 * It parses nothing fancy: string fields are picked out of the body with a
 * scan that understands escapes but not nesting. It is a baseline, not a
 * service: no validation, no tokens, no history.
 *
 * Build:  cc -O2 -Wall -o server server.c -lmicrohttpd -lsqlite3 -lpthread
 * Run:    ./server --db FILE --port N [--host 127.0.0.1] [--threads N]
 * It prints "baseline listening on http://HOST:PORT" when ready and stops
 * cleanly (in-flight requests finished, databases closed) on SIGTERM/SIGINT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BODY_LIMIT (64 * 1024)
#define MAX_THREADS 64

static const char *db_path;

/* ---- per-thread SQLite connection ------------------------------------- */

struct tdb {
    sqlite3 *db;
    sqlite3_stmt *insert;
    sqlite3_stmt *select;
    uint64_t rng;
};

static __thread struct tdb *tls_db;

/*
 * SQLite has one writer at a time. Left to SQLite, the pool threads contend
 * through busy_timeout, whose handler sleeps 1, 2, 5, 10 ... 100 ms between
 * tries: at 32 connections that made p90 700 ms and p99 1.1 s here. A
 * process-wide mutex queues the writers in the process instead, as GRDB's
 * DatabasePool does with its single writer, so the baseline is not handicapped
 * by a poor lock wait. Each request is still its own transaction and commit.
 */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tdb *all_dbs[MAX_THREADS];
static int n_dbs;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *SCHEMA =
    "CREATE TABLE IF NOT EXISTS signals ("
    " id INTEGER PRIMARY KEY,"
    " reference TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL,"
    " channel TEXT NOT NULL,"
    " reporter TEXT NOT NULL,"
    " site TEXT,"
    " category TEXT NOT NULL,"
    " district TEXT,"
    " address TEXT,"
    " lat REAL,"
    " lon REAL,"
    " description TEXT,"
    " experience_score INTEGER,"
    " status TEXT NOT NULL,"
    " route TEXT,"
    " nature TEXT,"
    " received_at TEXT NOT NULL,"
    " body TEXT NOT NULL"
    ");"
    "CREATE INDEX IF NOT EXISTS signals_received_at ON signals(received_at);";

static const char *INSERT_SQL =
    "INSERT INTO signals (reference, kind, channel, reporter, site, category,"
    " district, address, lat, lon, description, experience_score, status,"
    " route, nature, received_at, body)"
    " VALUES (?1, ?2, 'web', 'citizen', NULL, ?3, ?4, ?5, NULL, NULL, ?6,"
    " NULL, 'received', NULL, NULL, ?7, ?8)";

static const char *SELECT_SQL =
    "SELECT reference, kind, channel, reporter, site, category, district,"
    " address, description, status, route, nature, received_at"
    " FROM signals WHERE reference = ?1";

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("baseline: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static int exec_ok(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "baseline: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        return 0;
    }
    return 1;
}

/* Opens a connection with the service's settings. */
static sqlite3 *open_db(void) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(db_path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        fprintf(stderr, "baseline: open %s: %s\n", db_path,
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    if (!exec_ok(db, "PRAGMA journal_mode=WAL") ||
        !exec_ok(db, "PRAGMA synchronous=FULL")) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static struct tdb *thread_db(void) {
    if (tls_db) return tls_db;
    struct tdb *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->db = open_db();
    if (!t->db ||
        sqlite3_prepare_v3(t->db, INSERT_SQL, -1, SQLITE_PREPARE_PERSISTENT,
                           &t->insert, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(t->db, SELECT_SQL, -1, SQLITE_PREPARE_PERSISTENT,
                           &t->select, NULL) != SQLITE_OK) {
        if (t->db) fprintf(stderr, "baseline: prepare: %s\n", sqlite3_errmsg(t->db));
        sqlite3_finalize(t->insert);
        sqlite3_close(t->db);
        free(t);
        return NULL;
    }
    if (getrandom(&t->rng, sizeof t->rng, 0) != sizeof t->rng || t->rng == 0)
        t->rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)t ^ 0x9e3779b97f4a7c15ull;
    pthread_mutex_lock(&dbs_lock);
    if (n_dbs < MAX_THREADS) all_dbs[n_dbs++] = t;
    pthread_mutex_unlock(&dbs_lock);
    tls_db = t;
    return t;
}

/* ---- small helpers ---------------------------------------------------- */

struct buf {
    char *p;
    size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) return 0;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return 1;
}

static int buf_str(struct buf *b, const char *s) { return buf_add(b, s, strlen(s)); }

/* Appends s as a JSON string (with quotes), or null. */
static int buf_json(struct buf *b, const char *s) {
    if (!s) return buf_str(b, "null");
    if (!buf_add(b, "\"", 1)) return 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        char esc[8];
        if (*c == '"' || *c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*c;
            if (!buf_add(b, esc, 2)) return 0;
        } else if (*c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *c);
            if (!buf_add(b, esc, 6)) return 0;
        } else if (!buf_add(b, (const char *)c, 1)) {
            return 0;
        }
    }
    return buf_add(b, "\"", 1);
}

/*
 * Finds "key": "value" at any depth and returns the value, escapes decoded
 * and cut to outsz, in out; NULL if absent or not a string.
 */
static const char *json_str(const char *body, size_t len, const char *key,
                            char *out, size_t outsz) {
    size_t klen = strlen(key);
    const char *end = body + len;
    for (const char *p = body; p + klen + 2 < end; p++) {
        if (*p != '"' || memcmp(p + 1, key, klen) != 0 || p[klen + 1] != '"') continue;
        const char *q = p + klen + 2;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
        if (q >= end || *q != ':') continue;
        q++;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
        if (q >= end || *q != '"') return NULL;
        q++;
        size_t n = 0;
        while (q < end && *q != '"') {
            if (*q == '\\' && q + 1 < end) {
                char e = q[1], ch;
                q += 2;
                switch (e) {
                case 'n': ch = '\n'; break;
                case 't': ch = '\t'; break;
                case 'r': ch = '\r'; break;
                case 'b': ch = '\b'; break;
                case 'f': ch = '\f'; break;
                case 'u': {
                    /* \uXXXX to UTF-8 (surrogate pairs not joined: a baseline) */
                    unsigned v = 0;
                    int k = 0;
                    for (; k < 4 && q < end; k++, q++) {
                        char h = *q;
                        v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0'
                                              : (h | 32) >= 'a' && (h | 32) <= 'f' ? (h | 32) - 'a' + 10 : 0);
                    }
                    char u[3];
                    int m;
                    if (v < 0x80) { u[0] = (char)v; m = 1; }
                    else if (v < 0x800) { u[0] = (char)(0xC0 | v >> 6); u[1] = (char)(0x80 | (v & 63)); m = 2; }
                    else { u[0] = (char)(0xE0 | v >> 12); u[1] = (char)(0x80 | ((v >> 6) & 63)); u[2] = (char)(0x80 | (v & 63)); m = 3; }
                    if (v != 0 && n + (size_t)m < outsz) { memcpy(out + n, u, (size_t)m); n += (size_t)m; }
                    continue;
                }
                default: ch = e; break; /* \" \\ \/ */
                }
                if (n + 1 < outsz) out[n++] = ch;
                continue;
            }
            if (n + 1 < outsz) out[n++] = *q;
            q++;
        }
        if (q >= end) return NULL;
        out[n] = 0;
        return out;
    }
    return NULL;
}

/* 10 characters from an alphabet without look-alikes, after "B-": 12 in all. */
static void make_reference(struct tdb *t, char out[16]) {
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* 32 */
    uint64_t x = t->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    t->rng = x;
    out[0] = 'B';
    out[1] = '-';
    for (int i = 0; i < 10; i++) {
        out[2 + i] = alphabet[x & 31];
        x >>= 5;
    }
    out[12] = 0;
}

static void now_rfc3339(char out[32]) {
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* ---- HTTP ------------------------------------------------------------- */

struct req {
    struct buf body;
    int too_large;
};

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned int status,
                                 const char *ctype, const char *text, size_t len) {
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result problem(struct MHD_Connection *c, unsigned int status,
                               const char *title) {
    char text[256];
    int n = snprintf(text, sizeof text,
                     "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%u}",
                     title, status);
    return send_text(c, status, "application/problem+json", text, (size_t)n);
}

static enum MHD_Result create_signal(struct MHD_Connection *c, struct req *rq) {
    if (rq->too_large) return problem(c, MHD_HTTP_CONTENT_TOO_LARGE, "Body too large");
    const char *body = rq->body.p;
    size_t len = rq->body.len;
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) i++;
    size_t j = len;
    while (j > i && (body[j - 1] == ' ' || body[j - 1] == '\n' || body[j - 1] == '\r' || body[j - 1] == '\t')) j--;
    if (!body || i >= j || body[i] != '{' || body[j - 1] != '}')
        return problem(c, MHD_HTTP_BAD_REQUEST, "Body is not a JSON object");

    char kind[32], category[128], district[64], address[256], description[4096];
    if (!json_str(body, len, "kind", kind, sizeof kind) ||
        !json_str(body, len, "category", category, sizeof category))
        return problem(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "Invalid signal");
    const char *dist = json_str(body, len, "district", district, sizeof district);
    const char *addr = json_str(body, len, "address", address, sizeof address);
    const char *desc = json_str(body, len, "description", description, sizeof description);

    struct tdb *t = thread_db();
    if (!t) return problem(c, MHD_HTTP_SERVICE_UNAVAILABLE, "Database unavailable");

    char ref[16], received_at[32];
    now_rfc3339(received_at);
    int rc = SQLITE_ERROR;
    for (int attempt = 0; attempt < 5; attempt++) {
        make_reference(t, ref);
        sqlite3_stmt *s = t->insert;
        sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, category, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, dist, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, addr, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 6, desc, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 7, received_at, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 8, body, (int)len, SQLITE_STATIC);
        /* Autocommit: this step is the whole transaction, fsync of the WAL
         * included (synchronous=FULL), before we answer. */
        pthread_mutex_lock(&write_lock);
        rc = sqlite3_step(s);
        pthread_mutex_unlock(&write_lock);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc != SQLITE_CONSTRAINT) break; /* retry only a reference clash */
    }
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "baseline: insert: %s\n", sqlite3_errmsg(t->db));
        return problem(c, MHD_HTTP_SERVICE_UNAVAILABLE, "Could not store the signal");
    }

    struct buf out = {0};
    int ok = buf_str(&out, "{\"reference\":\"") && buf_str(&out, ref) &&
             buf_str(&out, "\",\"kind\":") && buf_json(&out, kind) &&
             buf_str(&out, ",\"channel\":\"web\",\"site\":null,\"reporter\":\"citizen\",\"category\":") &&
             buf_json(&out, category) && buf_str(&out, ",\"district\":") &&
             buf_json(&out, dist) &&
             buf_str(&out, ",\"status\":\"received\",\"route\":null,\"nature\":null,\"received_at\":\"") &&
             buf_str(&out, received_at) && buf_str(&out, "\"}");
    enum MHD_Result ret = ok ? send_text(c, MHD_HTTP_CREATED, "application/json", out.p, out.len)
                             : MHD_NO;
    free(out.p);
    return ret;
}

static enum MHD_Result read_signal(struct MHD_Connection *c, const char *ref) {
    struct tdb *t = thread_db();
    if (!t) return problem(c, MHD_HTTP_SERVICE_UNAVAILABLE, "Database unavailable");
    sqlite3_stmt *s = t->select;
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc == SQLITE_DONE) return problem(c, MHD_HTTP_NOT_FOUND, "Not found");
        fprintf(stderr, "baseline: select: %s\n", sqlite3_errmsg(t->db));
        return problem(c, MHD_HTTP_SERVICE_UNAVAILABLE, "Database unavailable");
    }
    static const char *names[] = {"reference", "kind",     "channel",     "reporter", "site",
                                  "category",  "district", "address",     "description",
                                  "status",    "route",    "nature",      "received_at"};
    struct buf out = {0};
    int ok = buf_str(&out, "{");
    for (int i = 0; ok && i < 13; i++) {
        ok = buf_str(&out, i ? ",\"" : "\"") && buf_str(&out, names[i]) &&
             buf_str(&out, "\":") && buf_json(&out, (const char *)sqlite3_column_text(s, i));
    }
    ok = ok && buf_str(&out, "}");
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    enum MHD_Result ret = ok ? send_text(c, MHD_HTTP_OK, "application/json", out.p, out.len)
                             : MHD_NO;
    free(out.p);
    return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version,
                               const char *upload_data, size_t *upload_data_size,
                               void **con_cls) {
    (void)cls;
    (void)version;
    struct req *rq = *con_cls;
    if (!rq) {
        /* First call: headers only. Do not answer here (keep-alive). */
        rq = calloc(1, sizeof *rq);
        if (!rq) return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!rq->too_large) {
            if (rq->body.len + *upload_data_size > BODY_LIMIT) {
                rq->too_large = 1;
                free(rq->body.p);
                rq->body = (struct buf){0};
            } else if (!buf_add(&rq->body, upload_data, *upload_data_size)) {
                return MHD_NO;
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }

    static const char prefix[] = "/api/v1/signals";
    if (strcmp(method, "POST") == 0 && strcmp(url, prefix) == 0)
        return create_signal(c, rq);
    if (strcmp(method, "GET") == 0) {
        if (strncmp(url, prefix, sizeof prefix - 1) == 0 && url[sizeof prefix - 1] == '/' &&
            url[sizeof prefix] != 0 && strchr(url + sizeof prefix, '/') == NULL)
            return read_signal(c, url + sizeof prefix);
        if (strcmp(url, "/healthz") == 0)
            return send_text(c, MHD_HTTP_OK, "application/json", "{\"status\":\"ok\"}", 15);
    }
    return problem(c, MHD_HTTP_NOT_FOUND, "Not found");
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)c;
    (void)toe;
    struct req *rq = *con_cls;
    if (rq) {
        free(rq->body.p);
        free(rq);
        *con_cls = NULL;
    }
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 0;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db_path = argv[++i];
        else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--host") == 0 && i + 1 < argc) host = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = atol(argv[++i]);
        else die("usage: %s --db FILE --port N [--host 127.0.0.1] [--threads N]", argv[0]);
    }
    if (!db_path || port <= 0 || port > 65535)
        die("usage: %s --db FILE --port N [--host 127.0.0.1] [--threads N]", argv[0]);
    /* A huge pool makes libmicrohttpd start thousands of threads and hang. */
    if (threads < 1) threads = 1;
    if (threads > 16) threads = 16;

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) die("--host must be an IPv4 address");

    /* Schema and WAL mode once, before any request. */
    sqlite3 *db = open_db();
    if (!db || !exec_ok(db, SCHEMA)) die("cannot prepare %s", db_path);
    sqlite3_close(db);

    /* SIGTERM/SIGINT are taken with sigwait in this thread only. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL,
        handler, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_END);
    if (!d) die("cannot listen on %s:%d", host, port);
    printf("baseline listening on http://%s:%d (%ld threads, db %s)\n", host, port, threads,
           db_path);
    fflush(stdout);

    int sig = 0;
    sigwait(&set, &sig);
    MHD_stop_daemon(d); /* joins the pool threads: requests in flight are done */
    for (int i = 0; i < n_dbs; i++) {
        sqlite3_finalize(all_dbs[i]->insert);
        sqlite3_finalize(all_dbs[i]->select);
        sqlite3_close(all_dbs[i]->db);
        free(all_dbs[i]);
    }
    printf("baseline stopped on signal %d\n", sig);
    return 0;
}
