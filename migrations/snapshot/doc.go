// Package snapshot saves the whole state of a target database into a
// directory and loads it back: the schema, the data of every table, and
// what the migrations had done. It backs "decant snapshot save|load|list"
// (docs/snapshots.md).
//
// A snapshot is a directory NAME under [Options.Dir]:
//
//	NAME/info.json         what the snapshot is: release, versions, ledger, tables, checksums ([Info])
//	NAME/info.json.sha256  sha256 of info.json, in the format of sha256sum
//	NAME/schema_init.sql   the schema as it was, runnable on its own on an empty database
//	NAME/data/NNNN-T.copy  PostgreSQL: the rows of table T in COPY text format
//	NAME/data/NNNN-T.jsonl SQLite: the rows of table T, one JSON array a line
//
// [Save] writes a snapshot into a temporary directory beside the others and
// renames it into place, so a snapshot either exists whole or not at all.
// [Load] reads it back: it refuses a snapshot from a newer release than the
// application, of another dialect or format, or whose files do not match
// their checksums, all before it changes anything; then it saves a backup
// snapshot of the current database, drops and recreates the schema, loads
// the data, checks every table's row count and checksum, adds foreign keys,
// indexes, views and triggers, and commits. All of that is one transaction:
// a load that fails leaves the database as it was.
// Last, [Options.Migrate] applies the migrations the snapshot predates.
//
// The database is a [database/sql.DB] opened with the driver "pgx"
// (github.com/jackc/pgx/v5/stdlib) for PostgreSQL or "sqlite"
// (modernc.org/sqlite) for SQLite; the package tells them apart by
// [database/sql.DB.Driver]. It needs neither pg_dump nor any other program:
// PostgreSQL's schema (PostgreSQL 12 or later) is generated from its
// catalogs and its data moves through COPY on the pgx connection.
//
// What a PostgreSQL snapshot carries, for each schema in [Options.Schemas]
// (only "public" by default): enum, domain and composite types; sequences
// and their values; functions and procedures; tables with their columns,
// defaults, identity and generated columns, NOT NULL, primary key, unique,
// check, exclusion and foreign key constraints; indexes; views and
// materialized views; triggers (and whether they are enabled); row-level
// security and its policies (the roles they name must exist); and a
// CREATE EXTENSION statement for each extension installed into one of those
// schemas (its objects come from the extension, not from the snapshot).
// decant's own decant_ tables are carried like any other table: they are part
// of the state.
//
// What it does not carry: roles, ownership and grants (loaded objects belong
// to the loading role), comments, other schemas and whatever lives in them,
// tablespaces, large objects, publications and subscriptions, event
// triggers, database settings, statistics. Save refuses, rather than
// silently dropping, objects of a carried schema it cannot recreate:
// partitioned, inheriting, typed and foreign tables, rules, range and base
// types, aggregates, operators, collations, text search objects and the
// like. See docs/snapshots.md.
//
// A SQLite snapshot carries every table, index, view and trigger of the main
// database with the SQL they were created with, every value with its storage
// class, the rowids of tables that have them, AUTOINCREMENT counters
// (sqlite_sequence), and PRAGMA user_version and application_id. It does not
// carry attached databases, virtual tables (Save refuses them) or
// sqlite_stat tables (run ANALYZE after a load).
package snapshot
