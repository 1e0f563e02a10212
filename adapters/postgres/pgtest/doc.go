// Package pgtest gives each test its own empty PostgreSQL schema, so tests
// of adapters/postgres and of the stores built on it run in parallel and
// leave nothing behind.
//
// The server is the one STRONGER_PG_URL names, by default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. When it cannot
// be reached a test fails if CI=true and is skipped otherwise, with a
// message saying how to start it.
package pgtest
