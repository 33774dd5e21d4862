/*
 * Test-only oracle: whole requests through libmodsecurity3 (Debian's libmodsecurity.so.3) with a rule file, for
 * ModsecDifferentialTest. Usage: modsec_oracle RULES.conf < corpus > verdicts
 * Input, one request per line, tab-separated: id, then hex of method, uri, protocol ("HTTP/1.1"), body ("-" for
 * none), then hex name/value pairs of the request headers. Every request is answered by the same small HTML
 * response (phases 3-5), unless a request phase intervened: then only phase 5 (logging) follows, as the nginx
 * connector does. Output, one line per request: "id status rule-id rule-id ...", the ids of the rules that logged
 * (read from the server log callback's [id "..."]), in the order they logged; status is the intervention's or 200.
 * With MODSEC_ORACLE_VERBOSE set, every log line also goes to stderr. Exit 2 on malformed input, 3 when the rules do not load.
 * Build: gcc -O1 -o modsec_oracle modsec_oracle.c -lmodsecurity
 */
#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 512
static const char RESPONSE_BODY[] = "<html><head><title>ok</title></head><body><p>Hello, world.</p></body></html>\n";

/** The rule ids one transaction logged, space-separated, in order. */
struct logged {
  char ids[65536];
  size_t len;
};

static int verbose; /* MODSEC_ORACLE_VERBOSE set: every log line to stderr too */

static void on_log(void *data, const void *message) {
  struct logged *out = data;
  if (verbose && message != NULL) fprintf(stderr, "%s\n", (const char *) message);
  const char *id = message == NULL ? NULL : strstr(message, "[id \"");
  if (out == NULL || id == NULL) return;
  id += 5;
  size_t n = strcspn(id, "\"");
  if (out->len + n + 2 >= sizeof out->ids) return;
  out->ids[out->len++] = ' ';
  memcpy(out->ids + out->len, id, n);
  out->len += n;
  out->ids[out->len] = '\0';
}

static int hex(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/** Decodes a hex field in place (NUL-terminated); returns its length, or -1 when it is not hex. */
static long unhex(char *field) {
  size_t len = strlen(field);
  if (len % 2 != 0) return -1;
  for (size_t i = 0; i < len / 2; i++) {
    int hi = hex(field[2 * i]), lo = hex(field[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    field[i] = (char) (hi * 16 + lo);
  }
  field[len / 2] = '\0';
  return (long) (len / 2);
}

/**
 * True (and the status in *status) when the transaction asks to interrupt now. The disruptive rule's line goes to
 * the intervention's log, not the log callback (a connector logs it), so its id is taken from there.
 */
static int intervened(Transaction *t, struct logged *out, int *status) {
  ModSecurityIntervention it = {200, 0, NULL, NULL, 0};
  int disruptive = msc_intervention(t, &it) && it.disruptive;
  if (disruptive) *status = it.status;
  if (it.log != NULL) on_log(out, it.log);
  free(it.url);
  free(it.log);
  return disruptive;
}

static void respond(Transaction *t, struct logged *out, int *status) {
  char length[16];
  snprintf(length, sizeof length, "%zu", sizeof RESPONSE_BODY - 1);
  msc_add_response_header(t, (const unsigned char *) "Content-Type", (const unsigned char *) "text/html; charset=utf-8");
  msc_add_response_header(t, (const unsigned char *) "Content-Length", (const unsigned char *) length);
  msc_process_response_headers(t, 200, "HTTP/1.1");
  if (intervened(t, out, status)) return;
  msc_append_response_body(t, (const unsigned char *) RESPONSE_BODY, sizeof RESPONSE_BODY - 1);
  msc_process_response_body(t);
  intervened(t, out, status);
}

/** One request: fields as read (hex decoded here); prints its line. */
static int inspect(ModSecurity *ms, RulesSet *rules, char **f, int n) {
  long lens[MAX_FIELDS];
  for (int i = 1; i < n; i++) {
    if (i == 4 && strcmp(f[i], "-") == 0) lens[i] = -1;
    else if ((lens[i] = unhex(f[i])) < 0) return 2;
  }
  const char *protocol = strncmp(f[3], "HTTP/", 5) == 0 ? f[3] + 5 : f[3];
  struct logged out = {{0}, 0};
  int status = 200;
  Transaction *t = msc_new_transaction_with_id(ms, rules, f[0], &out);
  msc_process_connection(t, "127.0.0.1", 40000, "127.0.0.1", 80);
  msc_process_uri(t, f[2], f[1], protocol);
  for (int i = 5; i + 1 < n; i += 2) {
    msc_add_n_request_header(t, (unsigned char *) f[i], lens[i], (unsigned char *) f[i + 1], lens[i + 1]);
  }
  msc_process_request_headers(t);
  if (!intervened(t, &out, &status)) {
    if (lens[4] > 0) msc_append_request_body(t, (unsigned char *) f[4], lens[4]);
    msc_process_request_body(t);
    if (!intervened(t, &out, &status)) respond(t, &out, &status);
  }
  msc_process_logging(t);
  msc_transaction_cleanup(t);
  printf("%s %d%s\n", f[0], status, out.ids);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: modsec_oracle RULES.conf < corpus\n");
    return 2;
  }
  verbose = getenv("MODSEC_ORACLE_VERBOSE") != NULL;
  ModSecurity *ms = msc_init();
  msc_set_connector_info(ms, "tpp-modsec-oracle");
  msc_set_log_cb(ms, on_log);
  RulesSet *rules = msc_create_rules_set();
  const char *error = NULL;
  if (msc_rules_add_file(rules, argv[1], &error) < 0) {
    fprintf(stderr, "cannot load %s: %s\n", argv[1], error);
    return 3;
  }
  size_t cap = 1 << 16, len = 0;
  char *line = malloc(cap);
  int c;
  while ((c = getchar()) != EOF) {
    if (len + 1 >= cap) line = realloc(line, cap *= 2);
    if (c != '\n') {
      line[len++] = (char) c;
      continue;
    }
    line[len] = '\0';
    len = 0;
    char *fields[MAX_FIELDS];
    int n = 0;
    for (char *rest = line; rest != NULL && n < MAX_FIELDS;) fields[n++] = strsep(&rest, "\t");
    if (n < 5 || inspect(ms, rules, fields, n) != 0) return 2;
  }
  msc_rules_cleanup(rules);
  msc_cleanup(ms);
  return 0;
}
