package testenv

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

const pgPrefix = "decant-testenv-pg-"

var (
	pgOnce  sync.Once
	pgAdmin string // URL of the server's postgres database
	pgErr   error
)

// Postgres returns the URL of a new, empty PostgreSQL database for this test,
// in the form postgres://user@host:port/name?sslmode=disable. The database is
// dropped when the test ends, even if connections to it are still open.
func Postgres(tb testing.TB) string {
	tb.Helper()
	pgOnce.Do(func() { pgAdmin, pgErr = postgresServer() })
	if pgErr != nil {
		unavailable(tb, "PostgreSQL", pgErr)
	}
	name := dbName(tb)
	if err := pgExec(pgAdmin, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("testenv: create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if err := pgExec(pgAdmin, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			tb.Errorf("testenv: drop database %s: %v", name, err)
		}
	})
	return withPath(pgAdmin, name)
}

// postgresServer finds or starts the server that tests create databases in.
func postgresServer() (string, error) {
	if u := os.Getenv("DECANT_TEST_POSTGRES"); u != "" {
		if err := pgExec(u, "SELECT 1"); err != nil {
			return "", fmt.Errorf("DECANT_TEST_POSTGRES=%s: %w", decant.RedactURL(u), err)
		}
		return u, nil
	}
	addr := cmp.Or(os.Getenv("DECANT_TEST_PG_LOCAL"), "127.0.0.1:5432")
	local := "postgres://postgres@" + addr + "/postgres?sslmode=disable&connect_timeout=5"
	localErr := fmt.Errorf("nothing answers at %s", addr)
	if answers(addr) {
		if localErr = pgExec(local, "SELECT 1"); localErr == nil {
			return local, nil
		}
	}
	u, err := startPostgres()
	if err != nil {
		return "", fmt.Errorf("DECANT_TEST_POSTGRES is unset; local server: %v; throwaway server: %w", localErr, err)
	}
	return u, nil
}

// pgExec runs one statement on a new connection to u.
func pgExec(u, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withPath returns u with its path set to the database name.
func withPath(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Path = "/" + name
	return p.String()
}

// startPostgres starts a throwaway cluster with durability off, as the
// postgres account when running as root (initdb and postgres refuse root),
// and registers its stop with Main.
func startPostgres() (string, error) {
	u, stop, err := startPostgresCluster()
	if err != nil {
		return "", err
	}
	registerStop(stop)
	return u, nil
}

func startPostgresCluster() (u string, stop func() error, err error) {
	if !mainRunning.Load() {
		return "", nil, errors.New("a throwaway server needs the package's TestMain to call testenv.Main, which stops it")
	}
	bin, err := pgBinDir()
	if err != nil {
		return "", nil, err
	}
	reapStale(pgPrefix, func(dir string) { pgStop(bin, dir) })
	dir, err := serverDir(pgPrefix, "postgres")
	if err != nil {
		return "", nil, err
	}
	stop = func() error {
		err := pgStop(bin, dir)
		return errors.Join(err, os.RemoveAll(dir))
	}
	data := filepath.Join(dir, "data")
	err = run(command("postgres", filepath.Join(bin, "initdb"),
		"-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "-N"))
	if err != nil {
		return "", nil, errors.Join(err, stop())
	}
	port, err := freePort()
	if err != nil {
		return "", nil, errors.Join(err, stop())
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", port, dir)
	err = run(command("postgres", filepath.Join(bin, "pg_ctl"),
		"-D", data, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "-o", opts, "start"))
	if err != nil {
		return "", nil, errors.Join(err, stop())
	}
	return "postgres://postgres@127.0.0.1:" + strconv.Itoa(port) + "/postgres?sslmode=disable", stop, nil
}

func pgStop(bin, dir string) error {
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err != nil {
		return nil // never started, or already stopped
	}
	return run(command("postgres", filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"))
}

// pgBinDir finds the newest PostgreSQL installed under /usr/lib/postgresql,
// else the one on PATH.
func pgBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return cmp.Compare(pgMajor(a), pgMajor(b)) })
	for _, d := range slices.Backward(dirs) {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no initdb in /usr/lib/postgresql/*/bin or on PATH")
}

func pgMajor(binDir string) int {
	v := filepath.Base(filepath.Dir(binDir))
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n
}
