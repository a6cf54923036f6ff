package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
)

// outboxUndeliverable is the number of messages in the start-up outbox addressed to a
// decommissioned endpoint. In "before" mode each leaks exactly one goroutine blocked
// forever in main.(*notifier).awaitAck.
const outboxUndeliverable = 37

// maxExtraLeaks bounds -leak-interval so a forgotten process stays small.
const maxExtraLeaks = 10000

var errEndpointGone = errors.New("endpoint legacy-v1 was decommissioned")

// notifier delivers order notifications to a webhook over loopback TCP.
type notifier struct {
	fixedAckPath bool
	webhookAddr  string
	leaked       atomic.Int64
}

type outboxMessage struct {
	id       int
	endpoint string
}

// replayOutbox re-sends the messages left in the outbox at start-up. Each delivery gets
// an ack channel and a goroutine waiting on it. The bug ("before"): when delivery fails
// the ack channel is neither sent on nor closed, so the waiter blocks forever.
func (n *notifier) replayOutbox(ctx context.Context, pending int) {
	var parked, finished sync.WaitGroup
	pprof.Do(ctx, pprof.Labels("component", "outbox"), func(context.Context) {
		for i := 0; i < pending; i++ {
			msg := outboxMessage{id: i, endpoint: "legacy-v1"}
			ack := make(chan bool)
			parked.Add(1)
			finished.Add(1)
			go n.awaitAck(msg, ack, &parked, &finished)
			if err := deliverOutbox(msg); err != nil {
				if n.fixedAckPath {
					close(ack)
				}
				continue
			}
			ack <- true
		}
	})
	parked.Wait()
	if n.fixedAckPath {
		finished.Wait()
	} else {
		n.leaked.Add(int64(pending))
	}
}

// leakOne leaks one more waiter the same way (for -leak-interval).
func (n *notifier) leakOne(ctx context.Context) {
	if n.fixedAckPath || n.leaked.Load() >= outboxUndeliverable+maxExtraLeaks {
		return
	}
	n.replayOutbox(ctx, 1)
}

// awaitAck waits for the delivery acknowledgement of one outbox message.
//
//go:noinline
func (n *notifier) awaitAck(msg outboxMessage, ack <-chan bool, parked, finished *sync.WaitGroup) {
	defer finished.Done()
	parked.Done()
	if ok := <-ack; !ok {
		return // delivery failed and the fixed path told us so
	}
	_ = msg
}

func deliverOutbox(msg outboxMessage) error {
	if msg.endpoint == "legacy-v1" {
		return fmt.Errorf("outbox message %d: %w", msg.id, errEndpointGone)
	}
	return nil
}

// webhookClient is one connection to the webhook, owned by one worker.
type webhookClient struct {
	conn net.Conn
	r    *bufio.Reader
}

func (n *notifier) dial() (*webhookClient, error) {
	c, err := net.Dial("tcp", n.webhookAddr)
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	return &webhookClient{conn: c, r: bufio.NewReader(c)}, nil
}

// notify sends one notification and waits for the webhook's reply.
//
//go:noinline
func (n *notifier) notify(w *webhookClient, o *order, total int64) error {
	line := "order " + strconv.FormatInt(o.id, 10) + " " + o.tenant + " " + strconv.FormatInt(total, 10) + "\n"
	if _, err := w.conn.Write([]byte(line)); err != nil {
		return fmt.Errorf("webhook write: %w", err)
	}
	if _, err := w.r.ReadString('\n'); err != nil {
		return fmt.Errorf("webhook read: %w", err)
	}
	return nil
}

// startWebhook runs the in-process webhook receiver on a loopback port.
func startWebhook() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("webhook listener: %w", err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveWebhookConn(c)
		}
	}()
	return ln.Addr().String(), nil
}

func serveWebhookConn(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		if _, err := r.ReadString('\n'); err != nil {
			return
		}
		if _, err := c.Write([]byte("ok\n")); err != nil {
			return
		}
	}
}
