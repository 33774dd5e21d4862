package main

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// storm keeps o.conns new connections in flight until o.duration has passed: each one is dialled, does a full
// handshake, sends one request with "Connection: close" and reads the answer to the end.
func storm(o options) *Result {
	rec := &recorder{}
	config := tlsConfig(o.sni)
	request := []byte(fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", o.path, host(o)))
	start := time.Now()
	end := start.Add(o.duration)
	var wg sync.WaitGroup
	for i := 0; i < o.conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				began := time.Now()
				state, err := once(o, config, request)
				if err != nil {
					rec.fail(err)
					time.Sleep(10 * time.Millisecond) // a refused or failing server is not hammered in a tight loop
					continue
				}
				rec.ok(time.Since(began), state)
			}
		}()
	}
	wg.Wait()
	return rec.result("storm", o, time.Since(start))
}

// once is one connection: TCP, full handshake, one request, the whole response, close.
func once(o options, config *tls.Config, request []byte) (*tls.ConnectionState, error) {
	raw, err := net.DialTimeout("tcp", o.addr, o.timeout)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	defer raw.Close()
	_ = raw.SetDeadline(time.Now().Add(o.timeout))
	conn := tls.Client(raw, config)
	if err := conn.Handshake(); err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	state := conn.ConnectionState()
	if _, err := conn.Write(request); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	if err := readResponse(bufio.NewReader(conn)); err != nil {
		return nil, err
	}
	return &state, nil
}

// readResponse reads one response to its end; anything but 200 is an error.
func readResponse(r *bufio.Reader) error {
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func host(o options) string {
	if o.sni != "" {
		return o.sni
	}
	return o.addr
}
