package main

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"runtime"
	"sort"
	"sync"
	"syscall"
	"time"
)

// rate opens o.conns keepalive connections (one request each to finish their handshakes and warm them), then
// schedules requests at o.rate per second for o.duration. Requests queue for the first free connection; each
// latency is measured from the request's scheduled send time, so neither a busy connection nor a late sender
// hides a slow server (no coordinated omission).
func rate(o options) *Result {
	rec := &recorder{}
	if runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2) // one P sleeps in send, the other serves the connections (both on the load cpu)
	}
	request := []byte(fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", o.path, host(o)))
	conns := make([]*keepalive, 0, o.conns)
	for i := 0; i < o.conns; i++ {
		c, err := dialKeepalive(o, request)
		if err != nil {
			rec.fail(err)
			return rec.result("rate", o, 0)
		}
		defer c.conn.Close()
		conns = append(conns, c)
	}
	total := int(o.rate * o.duration.Seconds())
	interval := time.Duration(float64(time.Second) / o.rate)
	queue := make(chan time.Time, total)
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func(c *keepalive) {
			defer wg.Done()
			for scheduled := range queue {
				if err := c.do(request, o.timeout); err != nil {
					rec.fail(err)
					return // a broken connection stays out; its queued share goes to the others
				}
				rec.ok(time.Since(scheduled), nil)
			}
		}(c)
	}
	time.Sleep(time.Until(o.started.Add(o.delay)))
	start := time.Now()
	lags := send(queue, start, interval, total)
	close(queue)
	wg.Wait()
	result := rec.result("rate", o, time.Since(start))
	result.Rate = o.rate
	result.TLS = conns[0].tls
	result.SendLagMs = percentiles(lags)
	return result
}

// send puts request i on the queue at start + i*interval and returns how late each one was put there. It waits
// with nanosleep on a thread of its own: Go's timers wake through epoll_wait, in whole milliseconds, which would
// add up to 1 ms to every latency at 1000 requests a second. main gives the runtime a second P for the
// connections meanwhile.
func send(queue chan<- time.Time, start time.Time, interval time.Duration, total int) []time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	lags := make([]time.Duration, 0, total)
	for i := 0; i < total; i++ {
		scheduled := start.Add(time.Duration(i) * interval)
		if wait := time.Until(scheduled); wait > 0 {
			ts := syscall.NsecToTimespec(int64(wait))
			_ = syscall.Nanosleep(&ts, nil)
		}
		lags = append(lags, time.Since(scheduled))
		queue <- scheduled
	}
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	return lags
}

type keepalive struct {
	conn   *tls.Conn
	reader *bufio.Reader
	tls    string
}

func dialKeepalive(o options, request []byte) (*keepalive, error) {
	raw, err := net.DialTimeout("tcp", o.addr, o.timeout)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	conn := tls.Client(raw, tlsConfig(o.sni))
	_ = conn.SetDeadline(time.Now().Add(o.timeout))
	if err := conn.Handshake(); err != nil {
		raw.Close()
		return nil, fmt.Errorf("handshake: %w", err)
	}
	state := conn.ConnectionState()
	c := &keepalive{conn: conn, reader: bufio.NewReader(conn), tls: describe(&state)}
	if err := c.do(request, o.timeout); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

func (c *keepalive) do(request []byte, timeout time.Duration) error {
	_ = c.conn.SetDeadline(time.Now().Add(timeout))
	if _, err := c.conn.Write(request); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return readResponse(c.reader)
}
