package v1

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	driver "github.com/go-sql-driver/mysql"

	"github.com/decanthq/decant/mysql"
)

// Schema is V1's tables, as MariaDB statements. The types are those a
// legacy replica has: DECIMAL money and rates, DATETIME without a zone
// (Europe/London wall clock), DATE, ENUM statuses, TINYINT(1) flags,
// nullable columns and the details XML in a LONGTEXT.
var Schema = []string{
	`CREATE TABLE users (
		id INT PRIMARY KEY,
		username VARCHAR(64) NOT NULL UNIQUE,
		email VARCHAR(254) NOT NULL,
		first_name VARCHAR(100) NOT NULL,
		last_name VARCHAR(100) NOT NULL,
		title VARCHAR(10) NULL,
		is_active TINYINT(1) NOT NULL,
		date_joined DATETIME NOT NULL,
		last_login DATETIME(3) NULL
	)`,
	`CREATE TABLE countries (
		id INT PRIMARY KEY,
		name VARCHAR(100) NOT NULL,
		iso_code CHAR(2) NOT NULL,
		type ENUM('SOVEREIGN_TERRITORY','SYSTEM') NOT NULL,
		is_active TINYINT(1) NOT NULL
	)`,
	`CREATE TABLE units (
		id INT PRIMARY KEY,
		code VARCHAR(10) NOT NULL,
		description VARCHAR(100) NOT NULL
	)`,
	`CREATE TABLE commodities (
		id INT PRIMARY KEY,
		code VARCHAR(10) NOT NULL,
		description VARCHAR(200) NOT NULL,
		duty_rate DECIMAL(7,4) NOT NULL,
		validity_start DATE NOT NULL,
		validity_end DATE NULL
	)`,
	`CREATE TABLE case_files (
		id INT PRIMARY KEY,
		reference VARCHAR(20) NOT NULL,
		owner_id INT NOT NULL,
		status ENUM('OPEN','CLOSED','ARCHIVED') NOT NULL,
		created_datetime DATETIME NOT NULL,
		closed_date DATE NULL,
		size_bytes BIGINT UNSIGNED NOT NULL
	)`,
	`CREATE TABLE import_applications (
		id INT PRIMARY KEY,
		reference VARCHAR(20) NOT NULL,
		applicant_id INT NOT NULL,
		case_reference VARCHAR(20) NULL,
		status ENUM('IN_PROGRESS','SUBMITTED','PROCESSING','COMPLETED','REVOKED','WITHDRAWN') NOT NULL,
		fee DECIMAL(12,2) NOT NULL,
		submit_datetime DATETIME NULL,
		licence_start_date DATE NOT NULL,
		licence_end_date DATE NOT NULL,
		is_urgent TINYINT(1) NOT NULL,
		origin_country_id INT NOT NULL,
		xml_data LONGTEXT NULL
	)`,
	`CREATE TABLE import_licences (
		id INT PRIMARY KEY,
		application_id INT NOT NULL,
		licence_ref VARCHAR(20) NOT NULL,
		issue_date DATE NOT NULL,
		document_ref VARCHAR(20) NULL
	)`,
}

// Open opens the MariaDB database of a mysql:// URL, as decant reads it.
func Open(url string) (*sql.DB, error) {
	cfg, err := mysql.Config(url)
	if err != nil {
		return nil, err
	}
	conn, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}

// Setup creates V1's tables in db, an empty MariaDB database, and fills
// them with Generate(n), which it returns.
func Setup(ctx context.Context, db *sql.DB, n int) (*Data, error) {
	d := Generate(n)
	for _, s := range Schema {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("create V1 table: %w", err)
		}
	}
	return d, d.Insert(ctx, db)
}

// Insert writes d into V1's tables, which must exist.
func (d *Data) Insert(ctx context.Context, db *sql.DB) error {
	var rows [][]any
	for _, u := range d.Users {
		rows = append(rows, []any{u.ID, u.Username, u.Email, u.FirstName, u.LastName, u.Title, u.Active, u.DateJoined, u.LastLogin})
	}
	if err := insert(ctx, db, "users", 9, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, c := range d.Countries {
		rows = append(rows, []any{c.ID, c.Name, c.ISO, c.Type, c.Active})
	}
	if err := insert(ctx, db, "countries", 5, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, u := range d.Units {
		rows = append(rows, []any{u.ID, u.Code, u.Description})
	}
	if err := insert(ctx, db, "units", 3, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, c := range d.Commodities {
		rows = append(rows, []any{c.ID, c.Code, c.Description, c.DutyRate, c.ValidityStart, c.ValidityEnd})
	}
	if err := insert(ctx, db, "commodities", 6, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, f := range d.Files {
		rows = append(rows, []any{f.ID, f.Reference, f.OwnerID, f.Status, f.Created, f.ClosedDate, f.SizeBytes})
	}
	if err := insert(ctx, db, "case_files", 7, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, a := range d.Applications {
		rows = append(rows, []any{a.ID, a.Reference, a.ApplicantID, a.CaseReference, a.Status, a.Fee, a.Submitted,
			a.LicenceStart, a.LicenceEnd, a.Urgent, a.OriginID, a.XML})
	}
	if err := insert(ctx, db, "import_applications", 12, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, l := range d.Licences {
		rows = append(rows, []any{l.ID, l.ApplicationID, l.Reference, l.IssueDate, l.DocumentRef})
	}
	return insert(ctx, db, "import_licences", 5, rows)
}

// insert writes rows into table, 200 rows a statement.
func insert(ctx context.Context, db *sql.DB, table string, cols int, rows [][]any) error {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	for len(rows) > 0 {
		n := min(len(rows), 200)
		var args []any
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(one+",", n), ",")
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("fill V1 table %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}
