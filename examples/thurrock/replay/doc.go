// Package replay is the Thurrock example's engine: it builds the
// programmes' synthetic history in one database (SQLite or PostgreSQL),
// through each domain's Service, prints the officer's report and writes
// the files the council publishes. Command thurrock prints it; the
// dashboard example (examples/dashboard) serves the same Summary as web
// pages. Every figure is computed from the data.
package replay
