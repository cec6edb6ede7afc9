// wsbench: a WebSocket echo server and a load client for bench/websocket.sh, outside the JVM so
// that neither shares a runtime with the proxy under test.
//
//	wsbench echo -listen 127.0.0.1:18380
//	wsbench load -url ws://127.0.0.1:18393/ -connections 16 -window 8 -size 128 \
//	    -warmup 20000 -messages 200000
//
// The load client keeps -window binary messages of -size bytes in flight on each of -connections
// connections and sends one more per echo. Once -warmup echoes have come back it times the next
// -messages echoes (a fixed amount of work, bounded by -timeout) and prints one line:
// messages/s, MiB/s one way, and the p50/p99 round trip of the timed echoes.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: wsbench echo|load [flags]")
	}
	switch os.Args[1] {
	case "echo":
		echo(os.Args[2:])
	case "load":
		load(os.Args[2:])
	default:
		log.Fatalf("unknown command %q (expected: echo or load)", os.Args[1])
	}
}

func echo(args []string) {
	flags := flag.NewFlagSet("echo", flag.ExitOnError)
	listen := flags.String("listen", "127.0.0.1:18380", "address to listen on")
	flags.Parse(args)
	upgrader := websocket.Upgrader{ReadBufferSize: 64 << 10, WriteBufferSize: 64 << 10}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetReadLimit(64 << 20)
		for {
			kind, message, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if err := conn.WriteMessage(kind, message); err != nil {
				return
			}
		}
	})
	log.Fatal(http.ListenAndServe(*listen, nil))
}

func load(args []string) {
	flags := flag.NewFlagSet("load", flag.ExitOnError)
	url := flags.String("url", "ws://127.0.0.1:18380/", "WebSocket URL")
	connections := flags.Int("connections", 16, "connections")
	window := flags.Int("window", 8, "messages in flight per connection")
	size := flags.Int("size", 128, "message size in bytes")
	warmup := flags.Int64("warmup", 20000, "echoes before timing starts")
	messages := flags.Int64("messages", 200000, "echoes timed")
	timeout := flags.Duration("timeout", 2*time.Minute, "give up after this long")
	flags.Parse(args)

	var echoed atomic.Int64
	var readers sync.WaitGroup
	var mu sync.Mutex
	var rtts []time.Duration
	timedFrom, timedTo := *warmup, *warmup+*messages
	done := make(chan time.Time, 1)
	started := make(chan time.Time, 1)
	payload := make([]byte, *size)
	dialer := websocket.Dialer{ReadBufferSize: 64 << 10, WriteBufferSize: 64 << 10}

	for i := 0; i < *connections; i++ {
		conn, _, err := dialer.Dial(*url, nil)
		if err != nil {
			log.Fatalf("connection %d: %v", i, err)
		}
		conn.SetReadLimit(64 << 20)
		// Send times of the messages in flight, oldest first: echoes come back in order.
		sent := make(chan time.Time, *window)
		go func() {
			for {
				sent <- time.Now() // blocks while the window is full
				if err := conn.WriteMessage(websocket.BinaryMessage, payload); err != nil {
					return
				}
			}
		}()
		readers.Add(1)
		go func() {
			local := make([]time.Duration, 0, 1024)
			defer func() {
				mu.Lock()
				rtts = append(rtts, local...)
				mu.Unlock()
				readers.Done()
			}()
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
				}
				at := <-sent
				n := echoed.Add(1)
				switch {
				case n == timedFrom:
					started <- time.Now()
				case n == timedTo:
					done <- time.Now()
				}
				if n > timedFrom && n <= timedTo {
					local = append(local, time.Since(at))
				}
				if n >= timedTo {
					conn.Close()
					return
				}
			}
		}()
	}
	var begin, end time.Time
	select {
	case begin = <-started:
	case <-time.After(*timeout):
		log.Fatalf("warm-up not done after %v: %d echoes", *timeout, echoed.Load())
	}
	select {
	case end = <-done:
	case <-time.After(*timeout):
		log.Fatalf("not done after %v: %d echoes", *timeout, echoed.Load())
	}
	// Every reader ends with its next echo (its window is full) and hands in its round trips.
	readers.Wait()
	mu.Lock()
	sort.Slice(rtts, func(a, b int) bool { return rtts[a] < rtts[b] })
	p := func(q float64) float64 {
		if len(rtts) == 0 {
			return 0
		}
		return float64(rtts[int(q*float64(len(rtts)-1))].Microseconds()) / 1000
	}
	seconds := end.Sub(begin).Seconds()
	rate := float64(*messages) / seconds
	fmt.Printf("messages/s=%.0f MiB/s=%.1f p50_ms=%.2f p99_ms=%.2f seconds=%.2f\n",
		rate, rate*float64(*size)/(1<<20), p(0.50), p(0.99), seconds)
	mu.Unlock()
}
