package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"
)

// forward is a loopback TCP forwarder standing in for `kubectl port-forward` or `ssh -L`
// in tunnel tests. Like kubectl it prints one line once it accepts connections.
func forward(ctx context.Context, listen, to string) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", listen, err)
	}
	fmt.Printf("Forwarding from %s -> %s\n", ln.Addr().String(), to)
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accept: %w", err)
		}
		go pipeConn(c, to)
	}
}

func pipeConn(c net.Conn, to string) {
	defer c.Close()
	u, err := net.DialTimeout("tcp", to, 5*time.Second)
	if err != nil {
		return // the client sees the connection close, as with a real tunnel
	}
	defer u.Close()
	go func() {
		_, err := io.Copy(u, c)
		if tc, ok := u.(*net.TCPConn); ok && err == nil {
			_ = tc.CloseWrite() // the client finished sending: pass the half-close on
			return
		}
		u.Close()
	}()
	_, _ = io.Copy(c, u)
}
