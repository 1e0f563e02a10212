package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// docOne reads one record stored whole as JSON (text or jsonb): the
// single column the query selects. No row is notFound (the domain's
// ErrNotFound); what names the record in errors.
func docOne[T any](ctx context.Context, db *DB, what string, notFound error, query string, args ...any) (*T, error) {
	var doc []byte
	err := db.pool.QueryRow(ctx, query, args...).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", what, notFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	v := new(T)
	if err := json.Unmarshal(doc, v); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}

// docMany reads the records, stored whole as JSON, that a list query
// selects; what names the list in errors.
func docMany[T any](ctx context.Context, db *DB, what, query string, args ...any) ([]*T, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		v := new(T)
		if err := json.Unmarshal(doc, v); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
