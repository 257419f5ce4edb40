package testenv

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/decanthq/decant"
)

const myPrefix = "decant-testenv-mysql-"

var (
	myOnce  sync.Once
	myAdmin string // URL of the server, mysql://user[:password]@host:port/
	myErr   error
)

// MySQL returns the URL of a new, empty MariaDB (or MySQL) database for this
// test, in the form mysql://user[:password]@host:port/name; the driver's DSN
// for it is user:password@tcp(host:port)/name. The database (utf8mb4) is
// dropped when the test ends.
//
// DECANT_TEST_MYSQL names a server in the same URL form (its path is ignored).
func MySQL(tb testing.TB) string {
	tb.Helper()
	myOnce.Do(func() { myAdmin, myErr = mysqlServer() })
	if myErr != nil {
		unavailable(tb, "MariaDB", myErr)
	}
	name := dbName(tb)
	if err := myExec(myAdmin, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		tb.Fatalf("testenv: create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if err := myExec(myAdmin, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
			tb.Errorf("testenv: drop database %s: %v", name, err)
		}
	})
	return withPath(myAdmin, name)
}

// mysqlServer finds or starts the server that tests create databases in.
func mysqlServer() (string, error) {
	if u := os.Getenv("DECANT_TEST_MYSQL"); u != "" {
		if err := myExec(u, "SELECT 1"); err != nil {
			return "", fmt.Errorf("DECANT_TEST_MYSQL=%s: %w", decant.RedactURL(u), err)
		}
		return u, nil
	}
	addr := cmp.Or(os.Getenv("DECANT_TEST_MYSQL_LOCAL"), "127.0.0.1:3306")
	local := "mysql://root@" + addr + "/"
	localErr := fmt.Errorf("nothing answers at %s", addr)
	if answers(addr) {
		if localErr = myExec(local, "SELECT 1"); localErr == nil {
			return local, nil
		}
	}
	u, err := startMariaDB()
	if err != nil {
		return "", fmt.Errorf("DECANT_TEST_MYSQL is unset; local server: %v; throwaway server: %w", localErr, err)
	}
	return u, nil
}

// dsn turns a mysql:// URL into the driver's DSN.
func dsn(u string) (string, error) {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "mysql" {
		return "", fmt.Errorf("not a mysql://user@host:port/ URL: %s", decant.RedactURL(u))
	}
	c := mysql.NewConfig()
	c.User = p.User.Username()
	c.Passwd, _ = p.User.Password()
	c.Net = "tcp"
	c.Addr = p.Host
	c.DBName = p.Path[min(1, len(p.Path)):]
	c.Timeout = 5 * time.Second
	return c.FormatDSN(), nil
}

// myExec runs one statement on a new connection to u.
func myExec(u, query string) error {
	d, err := dsn(u)
	if err != nil {
		return err
	}
	db, err := sql.Open("mysql", d)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, query)
	return err
}

// startMariaDB starts a throwaway server (mariadbd drops root for the mysql
// account itself) and registers its stop with Main.
func startMariaDB() (string, error) {
	u, stop, err := startMariaDBServer()
	if err != nil {
		return "", err
	}
	registerStop(stop)
	return u, nil
}

func startMariaDBServer() (u string, stop func() error, err error) {
	if !mainRunning.Load() {
		return "", nil, errors.New("a throwaway server needs the package's TestMain to call testenv.Main, which stops it")
	}
	install, err1 := lookPath("mariadb-install-db")
	server, err2 := lookPath("mariadbd")
	if err := errors.Join(err1, err2); err != nil {
		return "", nil, err
	}
	reapStale(myPrefix, mariaStop)
	dir, err := serverDir(myPrefix, "mysql")
	if err != nil {
		return "", nil, err
	}
	stop = func() error { mariaStop(dir); return os.RemoveAll(dir) }
	data := filepath.Join(dir, "data")
	err = run(exec.Command(install, append(asMySQL("--no-defaults"), "--datadir="+data,
		"--auth-root-authentication-method=normal", "--skip-test-db")...))
	if err != nil {
		return "", nil, errors.Join(err, stop())
	}
	port, err := freePort()
	if err != nil {
		return "", nil, errors.Join(err, stop())
	}
	u = "mysql://root@127.0.0.1:" + strconv.Itoa(port) + "/"
	if err := mariaStart(server, dir, port); err != nil {
		return "", nil, errors.Join(err, stop())
	}
	return u, stop, waitMySQL(u, dir)
}

func mariaStart(server, dir string, port int) error {
	out, err := os.Create(filepath.Join(dir, "mariadbd.out"))
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(server, append(asMySQL("--no-defaults"),
		"--datadir="+filepath.Join(dir, "data"), "--socket="+filepath.Join(dir, "mysqld.sock"),
		"--port="+strconv.Itoa(port), "--bind-address=127.0.0.1",
		"--pid-file="+filepath.Join(dir, "mysqld.pid"), "--log-error="+filepath.Join(dir, "error.log"),
		"--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin")...)
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so a Ctrl-C meant for the tests does not kill
	// it before Main has stopped it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; stops go through its pid file
	return nil
}

// waitMySQL waits until the server started in dir answers at u.
func waitMySQL(u, dir string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := myExec(u, "SELECT 1")
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			return fmt.Errorf("mariadbd did not answer within 60s: %w\n%s", err, tail(log))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mariaStop stops the server of dir through its pid file and waits for it.
func mariaStop(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "mysqld.pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return
	}
	syscall.Kill(pid, syscall.SIGTERM)
	for deadline := time.Now().Add(30 * time.Second); alive(pid) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if alive(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// asMySQL prepends the options that make the server run as the mysql account
// when this process is root.
func asMySQL(args ...string) []string {
	if os.Geteuid() == 0 {
		return append(args, "--user=mysql")
	}
	return args
}

// lookPath finds a server binary on PATH or in the sbin directories, which a
// non-root PATH often lacks.
func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range []string{"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"} {
		if p := filepath.Join(d, name); isFile(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found (apt-get install mariadb-server)", name)
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
