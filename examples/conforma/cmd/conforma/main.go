// Command conforma runs the Conforma example: a web application that
// upgrades its own database when it starts.
//
//	DATABASE_URL=sqlite:conforma.db APP_RELEASE=1.0.0 go run ./examples/conforma/cmd/conforma
//	go run ./examples/conforma/cmd/conforma -database postgres://localhost/conforma -addr :8080
//	go run ./examples/conforma/cmd/conforma -database sqlite:conforma.db -status
//
// SIGINT or SIGTERM shuts it down; a backfill in progress stops between
// batches and resumes at the next start.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/decanthq/decant/examples/conforma/app"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "conforma:", err)
		os.Exit(1)
	}
}

func run() error {
	var cfg app.Config
	flag.StringVar(&cfg.DatabaseURL, "database", os.Getenv("DATABASE_URL"), "database URL, postgres://... or sqlite:PATH (default $DATABASE_URL)")
	flag.StringVar(&cfg.Release, "release", cmp.Or(os.Getenv("APP_RELEASE"), app.Newest),
		"release to act as: "+strings.Join(app.Releases, ", ")+" (default $APP_RELEASE, else the newest)")
	flag.StringVar(&cfg.Addr, "addr", cmp.Or(os.Getenv("ADDR"), ":8080"), "HTTP address (default $ADDR, else :8080)")
	status := flag.Bool("status", false, "print the state of every migration, Go ones included, and exit")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *status {
		return printStatus(ctx, cfg)
	}
	return app.Run(ctx, cfg)
}

func printStatus(ctx context.Context, cfg app.Config) error {
	st, err := app.Status(ctx, cfg)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tRELEASE\tSTATE")
	for _, s := range st {
		state := string(s.State)
		if s.Cursor != "" {
			state += fmt.Sprintf(" (%d rows, cursor %s)", s.Rows, s.Cursor)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Name, s.Kind, s.Release, state)
	}
	return tw.Flush()
}
