package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// service runs an HTTP service on loopback and `workers` clients calling it: request
// goroutines, netpoll waits, read/write syscalls, JSON encoding, a mutex-protected cache,
// allocation-driven GC and short sleeps.
func service(wg *sync.WaitGroup, stop chan struct{}, workers int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	var mu sync.Mutex
	cache := map[int][]byte{}
	type item struct {
		ID    int       `json:"id"`
		Name  string    `json:"name"`
		Tags  []string  `json:"tags"`
		Score []float64 `json:"score"`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/item", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(r.URL.Query().Get("id"))
		mu.Lock()
		b, ok := cache[id%512]
		mu.Unlock()
		if !ok {
			it := item{ID: id, Name: fmt.Sprint("item-", id), Tags: []string{"a", "b", "c"}}
			for k := 0; k < 32; k++ {
				it.Score = append(it.Score, float64(k*id%97))
			}
			b, _ = json.Marshal(it)
			mu.Lock()
			cache[id%512] = b
			if len(cache) > 256 {
				for k := range cache {
					delete(cache, k)
					break
				}
			}
			mu.Unlock()
		}
		if id%16 == 0 {
			time.Sleep(100 * time.Microsecond)
		}
		spin(2000)
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	srv := &http.Server{Handler: mux}
	wg.Add(1)
	go func() {
		defer wg.Done()
		srv.Serve(ln)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-stop
		srv.Close()
	}()
	url := "http://" + ln.Addr().String() + "/item?id="
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			for n := 0; !stopped(stop); n++ {
				resp, err := client.Get(url + strconv.Itoa(id*100000+n))
				if err != nil {
					continue
				}
				var it item
				json.NewDecoder(resp.Body).Decode(&it)
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}(i)
	}
}
