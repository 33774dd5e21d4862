package main

import (
	"crypto/tls"
	"sort"
	"sync"
	"time"
)

// Result is what one run writes as JSON; bench/tlsstats.py reads it.
type Result struct {
	Mode      string             `json:"mode"`
	Addr      string             `json:"addr"`
	SNI       string             `json:"sni"`
	Conns     int                `json:"conns"`
	Rate      float64            `json:"rate,omitempty"`
	Seconds   float64            `json:"seconds"`
	Requests  int                `json:"requests"`
	Errors    int                `json:"errors"`
	Resumed   int                `json:"resumed"`
	FirstErr  string             `json:"first_error,omitempty"`
	TLS       string             `json:"tls,omitempty"`
	LatencyMs map[string]float64 `json:"latency_ms"`
	// rate only: how late the sender woke for a scheduled request (the client's own delay, inside latency)
	SendLagMs map[string]float64 `json:"send_lag_ms,omitempty"`
}

// recorder collects latencies and outcomes from many goroutines.
type recorder struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
	resumed   int
	firstErr  string
	tls       string
}

func (r *recorder) ok(latency time.Duration, state *tls.ConnectionState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latencies = append(r.latencies, latency)
	if state != nil {
		if state.DidResume {
			r.resumed++
		}
		if r.tls == "" {
			r.tls = describe(state)
		}
	}
}

func (r *recorder) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors++
	if r.firstErr == "" {
		r.firstErr = err.Error()
	}
}

func (r *recorder) result(mode string, o options, elapsed time.Duration) *Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return &Result{Mode: mode, Addr: o.addr, SNI: o.sni, Conns: o.conns, Seconds: elapsed.Seconds(),
		Requests: len(r.latencies), Errors: r.errors, Resumed: r.resumed, FirstErr: r.firstErr, TLS: r.tls,
		LatencyMs: percentiles(r.latencies)}
}

func describe(s *tls.ConnectionState) string {
	return tls.VersionName(s.Version) + " " + tls.CipherSuiteName(s.CipherSuite) + " " + s.CurveID.String()
}

func percentiles(d []time.Duration) map[string]float64 {
	out := map[string]float64{}
	if len(d) == 0 {
		return out
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) float64 {
		i := int(q*float64(len(d)) + 0.5)
		if i >= len(d) {
			i = len(d) - 1
		}
		return float64(d[i]) / float64(time.Millisecond)
	}
	out["p50"], out["p90"], out["p99"], out["p999"] = at(0.50), at(0.90), at(0.99), at(0.999)
	out["max"] = float64(d[len(d)-1]) / float64(time.Millisecond)
	return out
}
