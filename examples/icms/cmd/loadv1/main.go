// Command loadv1 creates and fills the V1 replica of decant's ICMS
// example in an empty MariaDB (or MySQL) database:
//
//	go run ./examples/icms/cmd/loadv1 -db 'mysql://root@127.0.0.1:3306/icms_v1' -n 3000
//
// It creates the tables users, countries, units, commodities, case_files,
// import_applications (the details in an XML column, a few of them
// malformed on purpose) and import_licences, and fills them with the same
// rows for the same -n.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	v1 "github.com/decanthq/decant/examples/icms/v1"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadv1:", err)
		os.Exit(1)
	}
}

func run() error {
	url := flag.String("db", os.Getenv("ICMS_V1_URL"), "the V1 database, mysql://user:password@host:port/name (default $ICMS_V1_URL)")
	n := flag.Int("n", 3000, "import applications to make (with about n/6 case files and n/3 licences)")
	flag.Parse()
	if *url == "" || *n < 1 || flag.NArg() > 0 {
		return errors.New("usage: loadv1 -db mysql://user:password@host:port/name [-n 3000]")
	}
	db, err := v1.Open(*url)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := v1.Setup(context.Background(), db, *n)
	if err != nil {
		return err
	}
	fmt.Printf("V1 replica: %d users, %d countries, %d units, %d commodities, %d case files, %d import applications (%d with malformed XML: ids %v), %d licences\n",
		len(d.Users), len(d.Countries), len(d.Units), len(d.Commodities), len(d.Files), len(d.Applications),
		len(v1.MalformedIDs(*n)), v1.MalformedIDs(*n), len(d.Licences))
	return nil
}
