// Command actionbot is the Slack bot of the working groups that carry the
// Tours Métropole Val de Loire attractiveness strategy: /action and /copil
// in Slack, weekly digests and COPIL reminders, and the plan kept in SQLite.
//
// Run "actionbot help" for its commands; "actionbot demo" tries it with no
// Slack workspace at all.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	var usage *usageError
	switch {
	case err == nil:
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "actionbot:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "actionbot:", err)
		os.Exit(1)
	}
}
