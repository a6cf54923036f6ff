package main

import (
	"net/http"
	"os"
	"strings"
)

// failProfiles holds the profile names given with -fail-profile NAME (repeatable): their
// endpoints answer 500 the way net/http/pprof reports its own errors, so clients can be
// tested on a capture in which one part fails. The flag is taken out of os.Args here, before
// parseFlags sees the command line, to keep this test-only switch in one file.
var failProfiles = map[string]bool{}

func init() {
	kept := os.Args[:1]
	for i := 1; i < len(os.Args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(os.Args[i], "-"), "=")
		if name != "fail-profile" || !strings.HasPrefix(os.Args[i], "-") {
			kept = append(kept, os.Args[i])
			continue
		}
		if !hasValue && i+1 < len(os.Args) {
			i++
			value = os.Args[i]
		}
		failProfiles[value] = true
	}
	os.Args = kept
}

// withFailingProfiles answers 500 for /debug/pprof/NAME when NAME was given to -fail-profile.
func withFailingProfiles(h http.Handler) http.Handler {
	if len(failProfiles) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failProfiles[strings.TrimPrefix(r.URL.Path, "/debug/pprof/")] {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("X-Go-Pprof", "1")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("profile failed on purpose (-fail-profile)\n"))
			return
		}
		h.ServeHTTP(w, r)
	})
}
