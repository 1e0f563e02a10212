package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/strongertogether/community/adapters/postgres"
)

// DefaultURL is the server tests use when STRONGER_PG_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// URL returns STRONGER_PG_URL, or DefaultURL when it is empty.
func URL() string {
	if u := os.Getenv("STRONGER_PG_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// Open returns a DB, migrated, in a new schema of its own. When tb ends the
// DB is closed and the schema dropped.
func Open(tb testing.TB) *postgres.DB {
	tb.Helper()
	u, _ := Schema(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := postgres.Open(ctx, u)
	if err != nil {
		tb.Fatalf("pgtest: open: %v", err)
	}
	tb.Cleanup(func() { // runs before the schema is dropped
		if err := db.Close(); err != nil {
			tb.Errorf("pgtest: close: %v", err)
		}
	})
	return db
}

// Schema creates a new, empty, uniquely named schema and returns a URL
// whose connections use it (search_path) and its name. When tb ends the
// schema is dropped with everything in it; close what uses it first, in a
// Cleanup registered after Schema returns.
func Schema(tb testing.TB) (dbURL, name string) {
	tb.Helper()
	base := URL()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		unreachable(tb, base, err)
	}
	defer conn.Close(context.Background())

	name = schemaName(tb.Name())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("pgtest: create schema %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("pgtest: drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			tb.Errorf("pgtest: drop schema %s: %v", name, err)
		}
	})
	dbURL, err = withSearchPath(base, name)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return dbURL, name
}

// unreachable fails or skips tb because the server cannot be reached.
func unreachable(tb testing.TB, base string, err error) {
	tb.Helper()
	msg := "pgtest: PostgreSQL is not reachable at " + redact(base) + ": " + err.Error() +
		"\nstart it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start" +
		"\nor point STRONGER_PG_URL at a server"
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// redact hides a password in a URL.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return u.String()
}

// schemaName makes a schema name from a test's name and 8 random bytes,
// within PostgreSQL's 63-byte limit.
func schemaName(test string) string {
	var r [8]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails on supported platforms.
	var b strings.Builder
	b.WriteString("pgtest_")
	under := true
	for _, c := range strings.ToLower(test) {
		if b.Len() >= 7+39 {
			break
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			under = false
		} else if !under {
			b.WriteByte('_')
			under = true
		}
	}
	if !under {
		b.WriteByte('_')
	}
	b.WriteString(hex.EncodeToString(r[:]))
	return b.String()
}

// withSearchPath adds search_path=schema to a postgres:// URL or a
// keyword=value connection string.
func withSearchPath(base, schema string) (string, error) {
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		if err != nil {
			return "", err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return base + " search_path=" + schema, nil
}
