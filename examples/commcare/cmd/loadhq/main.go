// Command loadhq fills a CouchDB (or pouchdb-server) database with
// generated CommCare domains for decant's CommCare example, and can then
// play the phones that keep submitting forms while a domain is migrated:
//
//	go run ./examples/commcare/cmd/loadhq -db http://127.0.0.1:5984/commcarehq -cases 500 alpha bravo charlie
//	go run ./examples/commcare/cmd/loadhq -db http://127.0.0.1:5984/commcarehq -submit 20 -every 10s -hooks 127.0.0.1:8090 alpha
//
// The first form creates the database when it does not exist and loads
// each domain's forms and cases, a design document and, per domain, one
// mobile worker document (a doc_type the example's plan routes nowhere).
// The second submits -submit follow-up forms to random cases of the
// domains every -every, until interrupted, and answers decant's hooks at
// http://ADDR/hooks (-hooks ADDR; the plan's COMMCARE_HOOK_URL): on_finish
// fences a domain, whose submissions are then refused, on_unfinish lifts
// the fence.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/decanthq/decant/examples/commcare/hq"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadhq:", err)
		os.Exit(1)
	}
}

func run() error {
	db := flag.String("db", "http://127.0.0.1:5984/commcarehq", "the database's URL, http://host:port/name")
	cases := flag.Int("cases", 500, "cases per domain (each with one to four forms)")
	submit := flag.Int("submit", 0, "submit this many follow-up forms every -every instead of loading (0: load)")
	every := flag.Duration("every", 10*time.Second, "how often -submit submits")
	hooks := flag.String("hooks", "127.0.0.1:8090", "with -submit, answer decant's hooks at http://ADDR/hooks")
	flag.Parse()
	domains := flag.Args()
	if len(domains) == 0 || *cases < 1 || *submit < 0 || *every <= 0 {
		return errors.New("usage: loadhq [-db URL] [-cases N | -submit N -every D] DOMAIN...")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	couch := &hq.Couch{DB: strings.TrimSuffix(*db, "/")}
	if *submit > 0 {
		app := hq.NewApp(couch)
		srv := &http.Server{Addr: *hooks, Handler: app, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
				fmt.Fprintln(os.Stderr, "loadhq: hooks:", err)
				stop()
			}
		}()
		defer srv.Close()
		fmt.Printf("answering decant's hooks at http://%s/hooks\n", *hooks)
		return phones(ctx, app, domains, *cases, *submit, *every)
	}
	if err := couch.Create(ctx); err != nil && !strings.Contains(err.Error(), "412") {
		return err
	}
	var gen []hq.Domain
	var workers []any
	n := 0
	for _, name := range domains {
		d := hq.Generate(name, *cases)
		gen = append(gen, d)
		n += len(d.Forms) + len(d.Cases)
		workers = append(workers, map[string]any{"_id": name + "-user-doc", "doc_type": "CommCareUser", "domain": name,
			"username": "worker@" + name, "server_modified_on": hq.Epoch.Format(time.RFC3339)})
	}
	if _, err := couch.Load(ctx, gen...); err != nil {
		return err
	}
	if _, err := couch.Put(ctx, workers); err != nil {
		return err
	}
	fmt.Printf("loaded %d forms and cases of %d domains, a design document and %d mobile workers into %s\n", n, len(domains), len(workers), couch.DB)
	return nil
}

// phones submits n follow-ups to random cases of the domains every tick,
// as phones do while a domain is live; a fenced domain's forms wait on
// the phone (they are skipped here).
func phones(ctx context.Context, app *hq.App, domains []string, cases, n int, every time.Duration) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		sent, fenced := 0, 0
		for range n {
			d := domains[rand.IntN(len(domains))]
			id := fmt.Sprintf("%s-case-%05d", d, rand.IntN(cases))
			_, err := app.Submit(ctx, d, id, time.Now())
			switch {
			case errors.Is(err, hq.ErrFenced):
				fenced++
			case err != nil:
				return err
			default:
				sent++
			}
		}
		fmt.Printf("%s submitted %d forms (%d refused: fenced)\n", time.Now().Format(time.TimeOnly), sent, fenced)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
