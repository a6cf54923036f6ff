package main

// A test hook: GET /hold/profile?on=1 makes every CPU profile request wait, before it starts
// profiling, until GET /hold/profile?on=0 (or the client goes away). Browser tests use it to
// keep a capture running for as long as they look at its progress or click its Cancel button.

import (
	"fmt"
	"net/http"
	"sync"
)

var profileHold struct {
	sync.Mutex
	gate chan struct{} // nil: not held; closed when released
}

func serveProfileHold(w http.ResponseWriter, r *http.Request) {
	profileHold.Lock()
	switch r.URL.Query().Get("on") {
	case "1":
		if profileHold.gate == nil {
			profileHold.gate = make(chan struct{})
		}
	case "0":
		if profileHold.gate != nil {
			close(profileHold.gate)
			profileHold.gate = nil
		}
	default:
		profileHold.Unlock()
		http.Error(w, "on must be 0 or 1", http.StatusBadRequest)
		return
	}
	held := profileHold.gate != nil
	profileHold.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "held=%v\n", held)
}

// holdable waits while the profile hold is on, then serves h.
func holdable(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		profileHold.Lock()
		gate := profileHold.gate
		profileHold.Unlock()
		if gate != nil {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		h(w, r)
	}
}
