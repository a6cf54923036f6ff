package main

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	rpprof "runtime/pprof"
	"strconv"
	"strings"
	"time"
)

type serverOptions struct {
	prefix    string
	token     string
	basicAuth string // "user:pass"
}

// newHandler mounts net/http/pprof under prefix (behind the auth check) plus the order API
// and the misbehaving endpoints used by client tests.
func newHandler(s *service, opts serverOptions, mode string) http.Handler {
	pp := http.NewServeMux()
	pp.HandleFunc("/debug/pprof/", pprof.Index)
	pp.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	pp.HandleFunc("/debug/pprof/profile", holdable(pprof.Profile))
	pp.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	pp.HandleFunc("/debug/pprof/trace", pprof.Trace)

	mux := http.NewServeMux()
	mux.Handle(opts.prefix+"/", requireAuth(opts, rewritePrefix(opts.prefix, withFailingProfiles(pp))))
	mux.HandleFunc("/orders", func(w http.ResponseWriter, r *http.Request) { serveOrders(s, w, r) })
	mux.HandleFunc("/info", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"mode":             mode,
			"pid":              os.Getpid(),
			"goVersion":        runtime.Version(),
			"prefix":           opts.prefix,
			"workers":          orderWorkers,
			"leakedGoroutines": s.notifier.leaked.Load(),
			"leakFunction":     "main.(*notifier).awaitAck",
		})
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/slow/", serveSlow)
	mux.HandleFunc("/hold/profile", serveProfileHold)
	mux.HandleFunc("/html/", serveHTML)
	mux.HandleFunc("/truncated/", serveTruncated)
	return mux
}

// rewritePrefix lets net/http/pprof, which only knows /debug/pprof/, serve under any prefix.
func rewritePrefix(prefix string, h http.Handler) http.Handler {
	if prefix == "/debug/pprof" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/debug/pprof/" + strings.TrimPrefix(r.URL.Path, prefix+"/")
		r2.URL.RawPath = ""
		h.ServeHTTP(w, r2)
	})
}

func requireAuth(opts serverOptions, h http.Handler) http.Handler {
	if opts.token == "" && opts.basicAuth == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("Authorization")
		if opts.token != "" && constantTimeEq(got, "Bearer "+opts.token) {
			h.ServeHTTP(w, r)
			return
		}
		if opts.basicAuth != "" {
			if u, p, ok := r.BasicAuth(); ok && constantTimeEq(u+":"+p, opts.basicAuth) {
				h.ServeHTTP(w, r)
				return
			}
		}
		if opts.token != "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="orders"`)
		} else {
			w.Header().Set("WWW-Authenticate", `Basic realm="orders"`)
		}
		http.Error(w, "unauthorized: missing or wrong credentials", http.StatusUnauthorized)
	})
}

func constantTimeEq(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// serveOrders: GET returns counters; POST processes one order synchronously.
func serveOrders(s *service, w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, s.stats())
	case http.MethodPost:
		o, total, err := s.processOne(r.Context(), r.URL.Query().Get("tenant"))
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": o.id, "tenant": o.tenant, "lines": len(o.lines), "totalCents": total})
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serveSlow trickles a real heap profile at ?bps= bytes per second (default 1), for client
// timeout tests. It stops after ?max= seconds (default 120, at most 600) or when the client
// goes away.
func serveSlow(w http.ResponseWriter, r *http.Request) {
	bps := queryInt(r, "bps", 1, 1, 1<<20)
	maxSec := queryInt(r, "max", 120, 1, 600)
	body := profileBytes("heap")
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	deadline := time.Now().Add(time.Duration(maxSec) * time.Second)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for len(body) > 0 && time.Now().Before(deadline) {
		n := min(bps, len(body))
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		body = body[n:]
		if flusher != nil {
			flusher.Flush()
		}
		select {
		case <-tick.C:
		case <-r.Context().Done():
			return
		}
	}
}

// serveHTML answers like a login proxy in front of the service would: 200 with an HTML page.
func serveHTML(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!DOCTYPE html>
<html><head><title>Sign in - Corporate SSO</title></head>
<body><h1>Sign in</h1><form method="post" action="/login"><input name="user"><input name="password" type="password"><button>Sign in</button></form>
<script>document.title = "Sign in";</script></body></html>
`)
}

// serveTruncated serves the first half of a real profile (/truncated/NAME, default heap).
// With ?cut=1 it declares the full Content-Length and closes the connection early instead.
func serveTruncated(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/truncated/")
	if rpprof.Lookup(name) == nil {
		name = "heap"
	}
	body := profileBytes(name)
	half := body[:len(body)/2]
	w.Header().Set("Content-Type", "application/octet-stream")
	if r.URL.Query().Get("cut") == "1" {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	} else {
		w.Header().Set("Content-Length", strconv.Itoa(len(half)))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(half)
}

func profileBytes(name string) []byte {
	var b bytes.Buffer
	if p := rpprof.Lookup(name); p != nil {
		_ = p.WriteTo(&b, 0)
	}
	return b.Bytes()
}

func queryInt(r *http.Request, key string, def, lo, hi int) int {
	v, err := strconv.Atoi(r.URL.Query().Get(key))
	if err != nil {
		return def
	}
	return max(lo, min(hi, v))
}

// serveHTTP runs the server until ctx ends.
func serveHTTP(ctx context.Context, srv *http.Server, ln net.Listener, tlsCert, tlsKey string) error {
	errc := make(chan error, 1)
	go func() {
		if tlsCert != "" {
			errc <- srv.ServeTLS(ln, tlsCert, tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		_ = srv.Close()
		return nil
	}
}
