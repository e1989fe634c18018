package email_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/tours-metropole/actionbot/email"
)

// droppingServer is an SMTP server that accepts a message (250 after its
// DATA) and then drops the connection at the next command — a server that
// fails its RSET or QUIT, or a network that cuts just then. It counts the
// messages it accepted.
type droppingServer struct {
	addr     string
	mu       sync.Mutex
	accepted int
}

func newDroppingServer(t *testing.T) *droppingServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ds := &droppingServer{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go ds.serve(c)
		}
	}()
	return ds
}

func (ds *droppingServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { c.Write([]byte(s + "\r\n")) }
	say("220 test ESMTP")
	accepted := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.Fields(line + " x")[0])
		switch {
		case accepted:
			return // whatever comes after the message: dropped
		case verb == "EHLO":
			say("250-test")
			say("250 8BITMIME")
		case verb == "DATA":
			say("354 go on")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			ds.mu.Lock()
			ds.accepted++
			ds.mu.Unlock()
			say("250 queued")
			accepted = true
		default: // HELO, NOOP, MAIL, RCPT
			say("250 ok")
		}
	}
}

// TestDeliveredThenDropped: once the server has accepted the message, a
// failure of what follows (RSET, QUIT) is no failure of the delivery: the
// outbox must not send it again, or the guest gets it twice.
func TestDeliveredThenDropped(t *testing.T) {
	f := newFixture(t, newSMTPServer(t))
	d, _ := f.reminder(t)
	ds := newDroppingServer(t)
	m, err := email.NewMailer(email.Config{URL: "smtp://" + ds.addr, From: "Plan attractivité <actionbot@tours-metropole.example>", BaseURL: base}, f.s)
	if err != nil {
		t.Fatal(err)
	}
	id, err := m.Send(context.Background(), d)
	ds.mu.Lock()
	accepted := ds.accepted
	ds.mu.Unlock()
	if accepted != 1 {
		t.Fatalf("the server accepted %d messages", accepted)
	}
	if err != nil || id != m.MessageID(d.Key) {
		t.Errorf("Send = %q, %v; want the message's ID and no error: the server accepted it", id, err)
	}
}
