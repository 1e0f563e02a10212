package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migration/*.sql
var migrations embed.FS

// migrationLock namespaces the advisory lock Open takes while it migrates;
// the second key is a hash of the schema, so opening different schemas of
// one database does not serialise.
const migrationLock = 0x5374_546f // "StTo"

// DB is a pool of connections to a PostgreSQL database whose schema Open
// has brought up to date. The stores of each domain (NewTimebankStore, …)
// share one DB. It is safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool

	smu    sync.Mutex
	secret []byte // the receipt secret, once read (receiptSecret)
}

// Open connects to the database at url (a postgres:// URL or a keyword=value
// string, as pgx accepts, including pool_max_conns and runtime parameters
// such as search_path) and creates or upgrades the schema by running the
// embedded migration/*.sql files not yet recorded in the migrations table,
// in name order, each in its own transaction. Tables are created in the
// first existing schema of the connection's search_path. If none of the
// schemas it names exists, Open creates the first ("$user" being the
// role's own schema), or, if the role may not create schemas, returns an
// error saying which schema to create. Several processes may Open the
// same database at once: an advisory lock makes them take turns.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		// Return every timestamptz in UTC, whatever the session's TimeZone.
		c.TypeMap().RegisterType(&pgtype.Type{
			Name:  "timestamptz",
			OID:   pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
		})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	db := &DB{pool: pool}
	if err := db.ensureSchema(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := db.foldEmailKeys(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes every connection of the pool, waiting for those in use to be
// released. Stores made from db must not be used afterwards. It returns an
// error, as sqlite.DB.Close does, so that both close the same way (both
// are io.Closers); closing a pool reports none, so it returns nil, and a
// second Close does nothing.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// ensureSchema makes sure the tables have a schema to go in: if no schema
// the search_path names exists, it creates the first one, under the
// migrations' advisory lock, or says in plain words what to do if the
// role may not.
func (db *DB) ensureSchema(ctx context.Context) error {
	var (
		current    *string
		path, role string
	)
	err := db.pool.QueryRow(ctx, `SELECT current_schema(), current_setting('search_path'), current_user`).Scan(&current, &path, &role)
	if err != nil {
		return fmt.Errorf("postgres: read the search_path: %w", err)
	}
	if current != nil {
		return nil
	}
	name := firstSchema(path, role)
	if name == "" {
		return fmt.Errorf("postgres: the search_path (%s) names no schema for the tables: add search_path=<schema> to the URL", path)
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(migrationLock), name); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		_, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{name}.Sanitize())
		return err
	})
	if code, _ := pgCode(err); code == insufficientPrivilege {
		return fmt.Errorf("postgres: schema %q, the first the search_path names, does not exist and role %q may not create it: "+
			"have an administrator run CREATE SCHEMA %s AUTHORIZATION %s, or put an existing schema in search_path: %w",
			name, role, pgx.Identifier{name}.Sanitize(), pgx.Identifier{role}.Sanitize(), err)
	}
	if err != nil {
		return fmt.Errorf("postgres: create schema %q, the first the search_path names: %w", name, err)
	}
	return nil
}

// firstSchema returns the first schema a search_path setting names, as
// PostgreSQL reads it: names separated by commas, double-quoted names
// taken as written ("" standing for a quote), others in lower case, and
// $user standing for role.
func firstSchema(path, role string) string {
	path = strings.TrimSpace(path)
	if path == "" {
		return ""
	}
	var name string
	if path[0] == '"' {
		var b strings.Builder
		for i := 1; i < len(path); i++ {
			if path[i] != '"' {
				b.WriteByte(path[i])
				continue
			}
			if i+1 < len(path) && path[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			break
		}
		name = b.String()
	} else {
		name, _, _ = strings.Cut(path, ",")
		name = strings.ToLower(strings.TrimSpace(name))
	}
	if name == "$user" {
		return role
	}
	return name
}

// migrate runs the migration files not yet applied.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migration/*.sql")
	if err != nil {
		return fmt.Errorf("postgres: list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateOne(ctx, name); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

// migrateOne applies one migration file in its own transaction, unless it
// is recorded already. The advisory lock is held until the transaction ends
// so that concurrent Opens see each other's work.
func (db *DB) migrateOne(ctx context.Context, name string) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))`, int32(migrationLock)); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (
			name       text PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
			return fmt.Errorf("create the migrations table: %w", err)
		}
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM migrations WHERE name = $1)`, path.Base(name)).Scan(&done); err != nil {
			return fmt.Errorf("read the migrations table: %w", err)
		}
		if done {
			return nil
		}
		sql, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(sql)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO migrations (name) VALUES ($1)`, path.Base(name)); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		return nil
	})
}

// pgCode returns the SQLSTATE of err, or "" if it is not a server error.
func pgCode(err error) (code, constraint string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code, pe.ConstraintName
	}
	return "", ""
}

// SQLSTATE codes the stores translate.
const (
	uniqueViolation       = "23505"
	foreignKeyViolation   = "23503"
	serializationFailure  = "40001"
	deadlockDetected      = "40P01"
	insufficientPrivilege = "42501"
)
