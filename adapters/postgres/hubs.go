package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/strongertogether/community/adapters/internal/hubsrec"
	"github.com/strongertogether/community/hubs"
)

// HubsStore is the PostgreSQL hubs.Store. Records are kept whole in their
// stored format (adapters/internal/hubsrec) in hubs_records, keyed by kind
// and id, with the columns reads select by. Apply updates each record only
// from the version it was read at, in one transaction: of two writes built
// from the same reads (two bookings of a slot, two surgeries in a room)
// the second finds the row changed once the first commits, and is refused
// as stale. Listings are indexed for full-text search (tsvector, GIN) and
// by taxonomy term.
type HubsStore struct {
	db *DB
}

var _ hubs.Store = (*HubsStore)(nil)

// NewHubsStore returns a hubs.Store backed by db. Several stores may share
// one DB.
func NewHubsStore(db *DB) *HubsStore { return &HubsStore{db: db} }

// Secret returns the database's secret for idempotency receipts.
func (s *HubsStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

// Apply writes b atomically: see hubs.Store. (PostgreSQL keeps dead row
// versions of an erased record until VACUUM reclaims them.)
func (s *HubsStore) Apply(ctx context.Context, b *hubs.Batch) error {
	if b == nil {
		return fmt.Errorf("apply batch: %w", &hubs.FieldError{Field: "Batch", Reason: "is nil"})
	}
	rows, err := hubsrec.Rows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	err = pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if b.Key != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO hubs_receipts (key, hash, result, at) VALUES ($1, $2, $3, $4)`, b.Key, b.Hash, b.Result, b.At); err != nil {
				if code, _ := pgCode(err); code == uniqueViolation {
					return hubs.ErrDuplicateKey
				}
				return err
			}
		}
		if err := hubReceipts(ctx, tx, b.Receipts); err != nil {
			return err
		}
		for i := 0; i < len(rows); {
			// A run of new records other than listings is written in one
			// statement; the rest one at a time, in order.
			j := i
			for j < len(rows) && rows[j].Version == 1 && rows[j].Kind != hubsrec.KindListing {
				j++
			}
			if j-i > 1 {
				if err := hubCreate(ctx, tx, rows[i:j]); err != nil {
					return err
				}
				i = j
				continue
			}
			if err := hubPut(ctx, tx, rows[i]); err != nil {
				return err
			}
			i++
		}
		return nil
	})
	if err != nil {
		if code, _ := pgCode(err); code == deadlockDetected || code == serializationFailure {
			err = fmt.Errorf("%w: %w", hubs.ErrConflict, err)
		}
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

// hubReceipts records rs in one statement; a key recorded already, or
// twice in rs, is ErrDuplicateKey.
func hubReceipts(ctx context.Context, tx pgx.Tx, rs []hubs.Receipt) error {
	if len(rs) == 0 {
		return nil
	}
	keys, hashes, results, ats := make([]string, len(rs)), make([]string, len(rs)), make([]string, len(rs)), make([]time.Time, len(rs))
	for i, r := range rs {
		if r.Key == "" {
			return &hubs.FieldError{Field: "Receipts", Reason: "a receipt has no key"}
		}
		keys[i], hashes[i], results[i], ats[i] = r.Key, r.Hash, r.Result, r.At
	}
	_, err := tx.Exec(ctx, `INSERT INTO hubs_receipts (key, hash, result, at)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])`, keys, hashes, results, ats)
	if code, _ := pgCode(err); code == uniqueViolation {
		return fmt.Errorf("receipts: %w", hubs.ErrDuplicateKey)
	}
	return err
}

// hubCreate creates new records (Version 1, no listings) in one
// statement; an id taken already in its kind, or given twice, is
// ErrConflict.
func hubCreate(ctx context.Context, tx pgx.Tx, rows []hubsrec.Row) error {
	n := len(rows)
	kinds, ids, hubIDs, parents, bodies := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ons, versions := make([]int64, n), make([]int64, n)
	for i, r := range rows {
		kinds[i], ids[i], hubIDs[i], parents[i], bodies[i] = r.Kind, r.ID, r.Hub, r.Parent, string(r.Body)
		ons[i], versions[i] = r.On, r.Version
	}
	tag, err := tx.Exec(ctx, `INSERT INTO hubs_records (kind, id, hub, parent, on_at, version, body)
		SELECT k, i, h, p, o, v, b::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[])
			AS t (k, i, h, p, o, v, b)
		ON CONFLICT (kind, id) DO NOTHING`, kinds, ids, hubIDs, parents, ons, versions, bodies)
	if err != nil {
		return fmt.Errorf("create %d %s records: %w", n, rows[0].Kind, err)
	}
	if tag.RowsAffected() != int64(n) {
		return fmt.Errorf("create %d %s records: %d ids taken: %w", n, rows[0].Kind, int64(n)-tag.RowsAffected(), hubs.ErrConflict)
	}
	return nil
}

func hubPut(ctx context.Context, tx pgx.Tx, r hubsrec.Row) error {
	if r.Version == 1 {
		tag, err := tx.Exec(ctx, `INSERT INTO hubs_records (kind, id, hub, parent, on_at, version, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (kind, id) DO NOTHING`, r.Kind, r.ID, r.Hub, r.Parent, r.On, r.Version, string(r.Body))
		if err != nil {
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, hubs.ErrConflict)
		}
	} else {
		tag, err := tx.Exec(ctx, `UPDATE hubs_records SET hub = $1, parent = $2, on_at = $3, version = $4, body = $5
			WHERE kind = $6 AND id = $7 AND version = $8`, r.Hub, r.Parent, r.On, r.Version, string(r.Body), r.Kind, r.ID, r.Version-1)
		if err != nil {
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
		}
		if tag.RowsAffected() == 0 {
			var found bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hubs_records WHERE kind = $1 AND id = $2)`, r.Kind, r.ID).Scan(&found); err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, hubs.ErrNotFound)
			}
			return fmt.Errorf("update %s %s to version %d: %w", r.Kind, r.ID, r.Version, hubs.ErrConflict)
		}
	}
	if r.Kind != hubsrec.KindListing {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO hubs_listing_text (id, tsv) VALUES ($1, to_tsvector('simple', $2))
		ON CONFLICT (id) DO UPDATE SET tsv = excluded.tsv`, r.ID, strings.Join(hubsrec.Words(r.Text), " ")); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM hubs_listing_terms WHERE listing = $1`, r.ID); err != nil {
		return err
	}
	for _, t := range r.Terms {
		if _, err := tx.Exec(ctx, `INSERT INTO hubs_listing_terms (term, listing) VALUES ($1, $2) ON CONFLICT DO NOTHING`, t, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// Receipt returns what was recorded under a receipt key.
func (s *HubsStore) Receipt(ctx context.Context, key string) (*hubs.Receipt, error) {
	var r hubs.Receipt
	err := s.db.pool.QueryRow(ctx, `SELECT key, hash, result, at FROM hubs_receipts WHERE key = $1`, key).Scan(&r.Key, &r.Hash, &r.Result, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("receipt: %w", hubs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	r.At = r.At.UTC()
	return &r, nil
}

// Receipts returns the receipts recorded under any of keys.
func (s *HubsStore) Receipts(ctx context.Context, keys []string) ([]*hubs.Receipt, error) {
	out := []*hubs.Receipt{}
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := s.db.pool.Query(ctx, `SELECT key, hash, result, at FROM hubs_receipts WHERE key = ANY($1::text[])`, keys)
	if err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r hubs.Receipt
		if err := rows.Scan(&r.Key, &r.Hash, &r.Result, &r.At); err != nil {
			return nil, fmt.Errorf("receipts: %w", err)
		}
		r.At = r.At.UTC()
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	return out, nil
}

func hubOne[T any](ctx context.Context, s *HubsStore, kind, id string, dec func([]byte) (*T, error)) (*T, error) {
	var body []byte
	err := s.db.pool.QueryRow(ctx, `SELECT body::text FROM hubs_records WHERE kind = $1 AND id = $2`, kind, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%s %s: %w", kind, id, hubs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return dec(body)
}

func hubMany[T any](ctx context.Context, s *HubsStore, dec func([]byte) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := s.db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*T{}
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		x, err := dec(body)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

const hubOrder = ` ORDER BY on_at, id COLLATE "C"`

func hubAll[T any](ctx context.Context, s *HubsStore, kind string, dec func([]byte) (*T, error)) ([]*T, error) {
	return hubMany(ctx, s, dec, `SELECT body::text FROM hubs_records WHERE kind = $1`+hubOrder, kind)
}

func hubOfHub[T any](ctx context.Context, s *HubsStore, kind, hub string, dec func([]byte) (*T, error)) ([]*T, error) {
	if hub == "" {
		return hubAll(ctx, s, kind, dec)
	}
	return hubMany(ctx, s, dec, `SELECT body::text FROM hubs_records WHERE kind = $1 AND hub = $2`+hubOrder, kind, hub)
}

func hubOfParent[T any](ctx context.Context, s *HubsStore, kind, parent string, dec func([]byte) (*T, error)) ([]*T, error) {
	return hubMany(ctx, s, dec, `SELECT body::text FROM hubs_records WHERE kind = $1 AND parent = $2`+hubOrder, kind, parent)
}

func hubInSpan[T any](ctx context.Context, s *HubsStore, kind string, sp hubs.Span, dec func([]byte) (*T, error)) ([]*T, error) {
	q := `SELECT body::text FROM hubs_records WHERE kind = $1`
	args := []any{kind}
	if sp.Hub != "" {
		args = append(args, sp.Hub)
		q += fmt.Sprintf(` AND hub = $%d`, len(args))
	}
	if !sp.From.IsZero() {
		args = append(args, hubsrec.Micros(sp.From))
		q += fmt.Sprintf(` AND on_at >= $%d`, len(args))
	}
	if !sp.To.IsZero() {
		args = append(args, hubsrec.Micros(sp.To))
		q += fmt.Sprintf(` AND on_at < $%d`, len(args))
	}
	return hubMany(ctx, s, dec, q+hubOrder, args...)
}

// Listings returns the listings f selects: text through the tsvector
// index, terms through hubs_listing_terms.
func (s *HubsStore) Listings(ctx context.Context, f hubs.ListingFilter) ([]*hubs.Listing, error) {
	q := `SELECT body::text FROM hubs_records WHERE kind = 'listing'`
	var args []any
	if f.Text != "" {
		words := hubsrec.Words(f.Text)
		if len(words) == 0 {
			return []*hubs.Listing{}, nil
		}
		args = append(args, strings.Join(words, " "))
		q += fmt.Sprintf(` AND id IN (SELECT id FROM hubs_listing_text WHERE tsv @@ plainto_tsquery('simple', $%d))`, len(args))
	}
	if f.TermID != "" {
		args = append(args, f.TermID)
		q += fmt.Sprintf(` AND id IN (SELECT listing FROM hubs_listing_terms WHERE term = $%d)`, len(args))
	}
	if f.OrganizationID != "" {
		args = append(args, f.OrganizationID)
		q += fmt.Sprintf(` AND parent = $%d`, len(args))
	}
	q += ` ORDER BY id COLLATE "C"`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	out, err := hubMany(ctx, s, hubsrec.DecodeListing, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listings: %w", err)
	}
	return out, nil
}
