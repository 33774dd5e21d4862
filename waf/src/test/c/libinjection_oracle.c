/*
 * Test-only oracle: libinjection as libmodsecurity3 exports it (Debian's libmodsecurity.so.3), for
 * LibinjectionDifferentialTest. Reads one input per line on stdin as hex (an empty line is the empty input) and
 * writes one line per input: "<sqli 0|1> <fingerprint or -> <xss 0|1>". Exit 3 when the library or its
 * symbols cannot be loaded (the test then skips), 2 on malformed input.
 * Build: gcc -O1 -o libinjection_oracle libinjection_oracle.c -ldl
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*sqli_fn)(const char *s, size_t slen, char fingerprint[]);
typedef int (*xss_fn)(const char *s, size_t slen);

static int hex(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int main(int argc, char **argv) {
  const char *lib = argc > 1 ? argv[1] : "libmodsecurity.so.3";
  void *handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    fprintf(stderr, "cannot load %s: %s\n", lib, dlerror());
    return 3;
  }
  sqli_fn sqli = (sqli_fn) dlsym(handle, "libinjection_sqli");
  xss_fn xss = (xss_fn) dlsym(handle, "libinjection_xss");
  if (sqli == NULL || xss == NULL) {
    fprintf(stderr, "%s does not export libinjection_sqli and libinjection_xss\n", lib);
    return 3;
  }
  size_t cap = 1 << 16;
  char *line = malloc(cap);
  char *input = malloc(cap);
  size_t len = 0;
  int c;
  while ((c = getchar()) != EOF) {
    if (c != '\n') {
      if (len + 1 >= cap) {
        cap *= 2;
        line = realloc(line, cap);
        input = realloc(input, cap);
      }
      line[len++] = (char) c;
      continue;
    }
    if (len % 2 != 0) return 2;
    size_t n = len / 2;
    for (size_t i = 0; i < n; i++) {
      int hi = hex(line[2 * i]), lo = hex(line[2 * i + 1]);
      if (hi < 0 || lo < 0) return 2;
      input[i] = (char) (hi * 16 + lo);
    }
    input[n] = '\0';
    char fingerprint[8] = {0};
    int is_sqli = sqli(input, n, fingerprint);
    int is_xss = xss(input, n);
    printf("%d %s %d\n", is_sqli ? 1 : 0, fingerprint[0] ? fingerprint : "-", is_xss ? 1 : 0);
    len = 0;
  }
  fflush(stdout);
  return 0;
}
