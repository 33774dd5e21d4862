// Command tlsload is the HTTPS load generator of bench/run.sh's tls scenario (bench/README.md, scenario 4).
//
//	tlsload storm -addr HOST:PORT -sni NAME -conns N -duration 10s -path /hs -out FILE.json
//	tlsload rate  -addr HOST:PORT -sni NAME -conns N -rate R -duration 10s -delay 2s -path /hello -out FILE.json
//
// storm: N connections at a time, each one a new TCP connection and a full TLS handshake (no session cache, so
// nothing can be resumed), one GET with "Connection: close", then close. rate: N keepalive connections opened
// first, then, from -delay after the start, requests sent open-loop at R per second; a request's latency runs
// from the time it was scheduled to be sent to the end of its response, so a request that waits for a free
// connection counts its wait. Both offer only X25519 for the key exchange, so every server does the same work
// (Go would offer X25519MLKEM768 first, which BoringSSL accepts and OpenSSL 3.0 does not). Certificates are not
// verified (the bench makes them itself); the server's CertificateVerify signature is still checked.
package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"
)

type options struct {
	addr, sni, path, out string
	conns                int
	rate                 float64
	duration, timeout    time.Duration
	delay                time.Duration
	started              time.Time
}

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "storm" && os.Args[1] != "rate") {
		fmt.Fprintln(os.Stderr, "usage: tlsload storm|rate -addr HOST:PORT [-sni NAME] [-conns N] [-rate R] "+
			"[-duration D] [-path P] [-out FILE]")
		os.Exit(2)
	}
	mode := os.Args[1]
	o := options{started: time.Now()}
	fs := flag.NewFlagSet(mode, flag.ExitOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:28093", "server address")
	fs.StringVar(&o.sni, "sni", "", "TLS server name (SNI) and Host header")
	fs.StringVar(&o.path, "path", "/hello", "request path")
	fs.StringVar(&o.out, "out", "", "JSON result file (default: stdout)")
	fs.IntVar(&o.conns, "conns", 16, "connections at a time")
	fs.Float64Var(&o.rate, "rate", 1000, "requests per second (rate)")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to send")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "per connection (storm) or request (rate)")
	fs.DurationVar(&o.delay, "delay", 0, "rate: start sending this long after start (connections open at once)")
	_ = fs.Parse(os.Args[2:])
	if o.conns < 1 || o.rate <= 0 || o.duration <= 0 {
		fmt.Fprintln(os.Stderr, "tlsload: -conns, -rate and -duration must be positive")
		os.Exit(2)
	}
	var result *Result
	if mode == "storm" {
		result = storm(o)
	} else {
		result = rate(o)
	}
	if err := write(result, o.out); err != nil {
		fmt.Fprintln(os.Stderr, "tlsload:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "tlsload %s: %d requests in %.1fs, %d errors, %d resumed, p99 %.2fms\n", mode,
		result.Requests, result.Seconds, result.Errors, result.Resumed, result.LatencyMs["p99"])
}

func tlsConfig(sni string) *tls.Config {
	return &tls.Config{
		ServerName:         sni,
		InsecureSkipVerify: true, // a certificate made by the bench for the bench
		CurvePreferences:   []tls.CurveID{tls.X25519},
		ClientSessionCache: nil, // no cache: every handshake is a full one
		NextProtos:         []string{"http/1.1"},
	}
}

func write(r *Result, path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if path == "" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
