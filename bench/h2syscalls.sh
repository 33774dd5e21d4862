# shellcheck shell=bash
# h2_syscalls for bench/profile.sh (sourced, not run): the system calls and TLS records a server spends per
# 1,000 HTTP/2 requests, from strace attached to its serving process (tpp's JVM, all threads; nginx's worker)
# during one fixed h2load run (H2_SYSCALL_REQUESTS, -c 50 -m 10). strace slows the server many times over, so
# the run says nothing about speed; the counts are what it is for. TLS records are counted by walking the
# record headers of the bytes each traced write carried, per socket (h2syscalls.py). Expects lib.sh and h2.sh.

H2_SYSCALL_REQUESTS="${H2_SYSCALL_REQUESTS:-20000}"
H2_SYSCALLS="write,writev,sendmsg,sendto,read,readv,recvfrom,recvmsg,epoll_wait,epoll_pwait,epoll_pwait2"

# h2_syscalls NAME SERVER URL: counts for the started server SERVER (a PIDS name) into OUT/syscalls.txt.
h2_syscalls() {
  # one file per thread (-ff): no call split across lines; in a directory of its own, not beside tpp's config,
  # whose watcher would read an inotify event for every line strace writes
  local name="$1" pid="${PIDS[$2]}" url="$3" trace="$OUT/strace/$1" strace_pid attach=() p
  mkdir -p "$OUT/strace"
  # nginx: its worker (the master only accepts signals); tpp: the JVM itself
  for p in $(pgrep -P "$pid" || true) ; do attach+=(-p "$p"); done
  [ "${#attach[@]}" -gt 0 ] || attach=(-p "$pid")
  strace -ff -qq -xx -s 1048576 -e trace="$H2_SYSCALLS" -o "$trace" "${attach[@]}" &
  strace_pid=$!
  sleep 2 # strace attaches thread by thread; nothing it could miss runs before h2load starts
  timeout 300 taskset -c "$LOAD_CPU" h2load -c "$H2_CONNS" -m "$H2_STREAMS" -t 1 -n "$H2_SYSCALL_REQUESTS" \
    "$url" > "$OUT/$name-syscalls.h2load" 2>&1 || log "h2load under strace failed ($OUT/$name-syscalls.h2load)"
  kill -INT "$strace_pid" 2>/dev/null || true
  wait "$strace_pid" 2>/dev/null || true
  python3 "$BENCH/h2syscalls.py" "$name" "$trace" "$OUT/$name-syscalls.h2load" >> "$OUT/syscalls.txt"
}
