// Command feedserver serves a generated Drishti form submission feed at
// GET /all-form-submissions?timestamp=T&batch-size=N, like dristhi's server,
// for decant's Drishti example:
//
//	go run ./examples/drishti/feedserver -addr 127.0.0.1:8089 -n 5000
//
// With -grow N -every D it adds N new submissions every D, so that
// `decant migrate --follow` has something to pick up. With -samples DIR
// it serves the sample submissions in DIR (examples/drishti/samples: one
// of each of the 32 real forms) instead of generated ones.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/decanthq/decant/examples/drishti/drishtifeed"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "feedserver:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8089", "address to listen on")
	n := flag.Int("n", 5000, "number of submissions to start with")
	seed := flag.Uint64("seed", 1, "generator seed: the same seed serves the same submissions")
	user := flag.String("user", "", "require HTTP basic auth with this user (password from DRISHTI_FEED_PASSWORD)")
	delay := flag.Duration("delay", 0, "wait this long before answering each request")
	failEvery := flag.Int("fail-every", 0, "answer every Nth request with 503 (0: never)")
	grow := flag.Int("grow", 0, "add this many new submissions every -every")
	every := flag.Duration("every", time.Minute, "how often -grow adds submissions")
	quiet := flag.Bool("quiet", false, "do not log each request")
	samples := flag.String("samples", "", "serve the sample submissions in this directory (one *.json file each) instead of -n generated ones")
	flag.Parse()
	if *n < 0 || *grow < 0 || *failEvery < 0 || *every <= 0 {
		return errors.New("-n, -grow and -fail-every must not be negative, -every must be positive")
	}

	gen := drishtifeed.NewGenerator(drishtifeed.Config{Seed: *seed})
	subs := gen.Next(*n)
	if *samples != "" {
		var err error
		if subs, err = drishtifeed.LoadSamples(*samples); err != nil {
			return err
		}
	}
	srv := drishtifeed.NewServer(subs)
	if *user != "" {
		pw := os.Getenv("DRISHTI_FEED_PASSWORD")
		if pw == "" {
			return errors.New("-user needs the password in DRISHTI_FEED_PASSWORD")
		}
		srv.SetBasicAuth(*user, pw)
	}
	srv.SetDelay(*delay)
	if *failEvery > 0 {
		k := int64(*failEvery)
		srv.SetFaults(func(n int64) drishtifeed.Fault {
			if n%k == 0 {
				return drishtifeed.Unavailable
			}
			return drishtifeed.NoFault
		})
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *grow > 0 {
		go func() {
			t := time.NewTicker(*every)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					srv.Add(gen.Next(*grow)...)
					log.Printf("added %d submissions; the feed holds %d", *grow, srv.Len())
				}
			}
		}()
	}

	var h http.Handler = srv
	if !*quiet {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			srv.ServeHTTP(w, r)
			log.Printf("%s %s (%v)", r.Method, r.URL.RequestURI(), time.Since(start).Round(time.Millisecond))
		})
	}
	hs := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Printf("serving %d Drishti form submissions at http://%s%s", srv.Len(), *addr, drishtifeed.Path)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}
