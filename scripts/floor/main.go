// Command floor is the floor of the load test in scripts/load.sh: a bare
// net/http server that answers every request with the same bytes, read
// once from a file. Measured beside "actionbot serve" answering those
// bytes for real, it shows what the machine, the loopback and Go's HTTP
// server allow, so that the bot's throughput is read as a share of it.
// The load test also points the bot's Slack API URL at one, to count the
// calls that nothing should make.
//
//	floor -body reply.json -addr-file floor.addr
//
// It listens on -addr (a free loopback port by default), writes the
// address it got to -addr-file, and on SIGINT or SIGTERM prints how many
// requests it answered and exits.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "where to listen")
	addrFile := flag.String("addr-file", "", "write the address listened on to this file")
	bodyFile := flag.String("body", "", "the file whose bytes every answer carries (default: {\"ok\":true})")
	contentType := flag.String("type", "application/json; charset=utf-8", "the answers' Content-Type")
	flag.Parse()
	body := []byte(`{"ok":true}`)
	if *bodyFile != "" {
		var err error
		if body, err = os.ReadFile(*bodyFile); err != nil {
			log.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	var served atomic.Int64
	length := strconv.Itoa(len(body))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", *contentType)
		w.Header().Set("Content-Length", length)
		w.Write(body)
		served.Add(1)
	})}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "floor: %d requests answered\n", served.Load())
}
