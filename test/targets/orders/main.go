// Command orders is a small order service used as a real profiling target. -mode before
// has known performance bugs (schema re-parsed per order, allocation churn, an unbounded
// receipt cache, a goroutine leak, a global lock, an unbuffered audit channel, a naive
// pricing loop); -mode after has the fixes. See ../README.md for the facts tests rely on.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
)

type config struct {
	mode              string
	addr              string
	prefix            string
	token             string
	basicAuth         string
	tlsCert, tlsKey   string
	writeDir          string
	genCerts          string
	forwardListen     string
	forwardTo         string
	duration          time.Duration
	traceFor          time.Duration
	maxLifetime       time.Duration
	writeTimeout      time.Duration
	leakInterval      time.Duration
	rate              float64
	duty              float64
	memProfileRate    int
	noContentionRates bool
	watchStdin        bool
	hostileLabels     bool
}

const (
	mutexProfileFraction = 5
	blockProfileRateNs   = 10_000
)

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "orders:", err)
		os.Exit(2)
	}
	if cfg.memProfileRate > 0 {
		runtime.MemProfileRate = cfg.memProfileRate
	}
	if !cfg.noContentionRates {
		runtime.SetMutexProfileFraction(mutexProfileFraction)
		runtime.SetBlockProfileRate(blockProfileRateNs)
	}
	addHostileLabel = cfg.hostileLabels
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "orders:", err)
		os.Exit(1)
	}
	printMemStatsAtExit()
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("orders", flag.ContinueOnError)
	fs.StringVar(&c.mode, "mode", "before", "before (slow, buggy) or after (fixed)")
	fs.StringVar(&c.addr, "addr", "", "serve mode: listen address, e.g. 127.0.0.1:0")
	fs.StringVar(&c.prefix, "prefix", "/debug/pprof", "serve mode: path prefix of the pprof handlers")
	fs.StringVar(&c.token, "token", "", "serve mode: require Authorization: Bearer TOKEN on the pprof endpoints")
	fs.StringVar(&c.basicAuth, "basic-auth", "", "serve mode: require HTTP basic auth USER:PASS on the pprof endpoints")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve mode: PEM certificate file (serves HTTPS)")
	fs.StringVar(&c.tlsKey, "tls-key", "", "serve mode: PEM key file")
	fs.DurationVar(&c.writeTimeout, "write-timeout", 0, "serve mode: http.Server WriteTimeout (0 = none)")
	fs.DurationVar(&c.leakInterval, "leak-interval", 0, "serve mode, before: leak one more awaitAck goroutine this often (0 = never)")
	fs.DurationVar(&c.maxLifetime, "max-lifetime", 10*time.Minute, "serve and forward modes: exit after this long")
	fs.BoolVar(&c.watchStdin, "watch-stdin", false, "exit when stdin reaches EOF (the parent went away)")
	fs.StringVar(&c.writeDir, "write", "", "write mode: run the workload, then write every profile and a trace into DIR")
	fs.DurationVar(&c.duration, "duration", 3*time.Second, "write mode: how long to run the workload")
	fs.DurationVar(&c.traceFor, "trace-for", 0, "write mode: stop the execution tracer after this long (default: the whole -duration)")
	fs.StringVar(&c.genCerts, "gen-certs", "", "write ca.pem, cert.pem and key.pem for 127.0.0.1/::1/localhost into DIR")
	fs.StringVar(&c.forwardListen, "forward", "", "forward mode: listen on this address and forward every connection to -to")
	fs.StringVar(&c.forwardTo, "to", "", "forward mode: address to forward to")
	fs.Float64Var(&c.rate, "rate", 10, "orders per second")
	fs.Float64Var(&c.duty, "duty", 0, "cap on CPU use as a fraction of one core (default 0.4 serving, 1 writing)")
	fs.IntVar(&c.memProfileRate, "memprofilerate", -1, "runtime.MemProfileRate (default: Go's 524288 serving, 65536 writing)")
	fs.BoolVar(&c.hostileLabels, "hostile-labels", false, "add the label note=<img ...></script>... to order work and workers")
	fs.BoolVar(&c.noContentionRates, "no-contention-rates", false, "never set the mutex and block profile rates")
	addMemStatsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.mode != "before" && c.mode != "after" {
		return c, fmt.Errorf("-mode must be before or after, not %q", c.mode)
	}
	modes := 0
	for _, set := range []bool{c.addr != "", c.writeDir != "", c.genCerts != "", c.forwardListen != ""} {
		if set {
			modes++
		}
	}
	if modes != 1 {
		return c, errors.New("give exactly one of -addr ADDR, -write DIR, -gen-certs DIR or -forward ADDR")
	}
	if (c.forwardListen == "") != (c.forwardTo == "") {
		return c, errors.New("-forward and -to go together")
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return c, errors.New("-tls-cert and -tls-key go together")
	}
	c.prefix = "/" + strings.Trim(c.prefix, "/")
	if c.prefix == "/" {
		return c, errors.New("-prefix must not be empty or /")
	}
	if c.rate <= 0 || c.rate > 1000 {
		return c, errors.New("-rate must be in (0, 1000]")
	}
	if c.duty == 0 {
		c.duty = 0.4
		if c.writeDir != "" {
			c.duty = 1
		}
	}
	if c.duty < 0.05 || c.duty > 4 {
		return c, errors.New("-duty must be in [0.05, 4]")
	}
	if c.memProfileRate < 0 {
		c.memProfileRate = 0
		if c.writeDir != "" {
			c.memProfileRate = 64 << 10
		}
	}
	if c.duration <= 0 || c.duration > 10*time.Minute {
		return c, errors.New("-duration must be in (0, 10m]")
	}
	if c.traceFor <= 0 || c.traceFor > c.duration {
		c.traceFor = c.duration
	}
	return c, nil
}

func run(cfg config) error {
	if cfg.genCerts != "" {
		return generateCerts(cfg.genCerts)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.watchStdin {
		ctx = exitOnStdinEOF(ctx)
	}
	if cfg.forwardListen != "" {
		ctx, cancel := context.WithTimeout(ctx, cfg.maxLifetime)
		defer cancel()
		return forward(ctx, cfg.forwardListen, cfg.forwardTo)
	}
	before := cfg.mode == "before"
	if cfg.writeDir != "" {
		return writeProfiles(ctx, cfg, before)
	}
	return serve(ctx, cfg, before)
}

func serve(ctx context.Context, cfg config, before bool) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.maxLifetime)
	defer cancel()
	s, err := startService(ctx, before)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.addr, err)
	}
	scheme := "http"
	if cfg.tlsCert != "" {
		scheme = "https"
	}
	srv := &http.Server{
		Handler:           newHandler(s, serverOptions{prefix: cfg.prefix, token: cfg.token, basicAuth: cfg.basicAuth}, cfg.mode),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      cfg.writeTimeout,
	}
	// The one line clients wait for; it carries the real port.
	fmt.Printf("listening on %s://%s\n", scheme, ln.Addr().String())
	go s.run(ctx, cfg.rate, cfg.duty, cfg.leakInterval)
	return serveHTTP(ctx, srv, ln, cfg.tlsCert, cfg.tlsKey)
}

// exitOnStdinEOF ends ctx when stdin closes, so a child of a crashed test runner exits.
func exitOnStdinEOF(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	return ctx
}
