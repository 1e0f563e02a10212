package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/strongertogether/community/adapters/internal/hubsrec"
	"github.com/strongertogether/community/hubs"
)

// HubsStore is the SQLite hubs.Store. Records are kept whole in their
// stored format (adapters/internal/hubsrec) in hubs_records, keyed by kind
// and id, with the columns reads select by; Apply checks each record's
// version in the write transaction, on the DB's one writer connection, so
// two writes built from the same reads (two bookings of a slot, two
// surgeries in a room) cannot both commit. Listings are indexed for text
// search with FTS5 and by taxonomy term.
type HubsStore struct {
	db *DB
}

var _ hubs.Store = (*HubsStore)(nil)

// NewHubsStore returns a hubs.Store backed by db. Several stores may share
// one DB.
func NewHubsStore(db *DB) *HubsStore { return &HubsStore{db: db} }

// Secret returns the database's secret for idempotency receipts.
func (s *HubsStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

// Apply writes b atomically: see hubs.Store. After a batch that erases
// personal data it truncates the WAL, so no old copy remains.
func (s *HubsStore) Apply(ctx context.Context, b *hubs.Batch) error {
	if b == nil {
		return fmt.Errorf("apply batch: %w", &hubs.FieldError{Field: "Batch", Reason: "is nil"})
	}
	rows, err := hubsrec.Rows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	err = s.db.write(ctx, func(tx *writeTx) error {
		if b.Key != "" {
			n, err := tx.count(`SELECT count(*) FROM hubs_receipts WHERE key = ?`, b.Key)
			if err != nil {
				return err
			}
			if n > 0 {
				return hubs.ErrDuplicateKey
			}
		}
		for i := 0; i < len(rows); {
			// A run of new records other than listings is written many to
			// a statement; the rest one at a time, in order.
			j := i
			for j < len(rows) && rows[j].Version == 1 && rows[j].Kind != hubsrec.KindListing {
				j++
			}
			if j-i > 1 {
				if err := hubCreate(tx, rows[i:j]); err != nil {
					return err
				}
				i = j
				continue
			}
			if err := hubPut(tx, rows[i]); err != nil {
				return err
			}
			i++
		}
		if err := tx.putReceipt("hubs_receipts", b.Key, b.Hash, b.Result, b.At, hubs.ErrDuplicateKey); err != nil {
			return err
		}
		return hubReceipts(tx, b.Receipts)
	})
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	if b.Erase {
		if err := s.db.scrub(ctx); err != nil {
			return fmt.Errorf("apply batch: %w", err)
		}
	}
	return nil
}

// receiptChunk is the most receipts one INSERT writes.
const receiptChunk = 64

// hubReceipts records rs, many to a statement, in key order (the keys
// are random: in order, each insert lands after the last instead of at a
// random place in the index); a key recorded already, or twice in rs, is
// ErrDuplicateKey.
func hubReceipts(tx *writeTx, rs []hubs.Receipt) error {
	for _, r := range rs {
		if r.Key == "" {
			return &hubs.FieldError{Field: "Receipts", Reason: "a receipt has no key"}
		}
	}
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(a, b hubs.Receipt) int { return strings.Compare(a.Key, b.Key) })
	i := 0
	for _, n := range rowChunks(len(rs), receiptChunk) {
		st, err := tx.stmt(`INSERT INTO hubs_receipts (key, hash, result, at) VALUES ` + valuesRows(n, 4))
		if err != nil {
			return err
		}
		for j, r := range rs[i : i+n] {
			st.text(4*j+1, r.Key)
			st.text(4*j+2, r.Hash)
			st.text(4*j+3, r.Result)
			st.int64(4*j+4, micros(r.At))
		}
		if err := st.exec(); err != nil {
			if isUnique(err) {
				return fmt.Errorf("receipts: %w", hubs.ErrDuplicateKey)
			}
			return err
		}
		i += n
	}
	return nil
}

// recordChunk is the most records one INSERT writes.
const recordChunk = 64

// hubCreate creates new records (Version 1, no listings), many to a
// statement, in id order (as hubReceipts does keys); an id taken already in
// its kind is ErrConflict.
func hubCreate(tx *writeTx, rows []hubsrec.Row) error {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b hubsrec.Row) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	i := 0
	for _, n := range rowChunks(len(rows), recordChunk) {
		st, err := tx.stmt(`INSERT INTO hubs_records (kind, id, hub, parent, on_at, version, body) VALUES ` + valuesRows(n, 7))
		if err != nil {
			return err
		}
		for j, r := range rows[i : i+n] {
			st.text(7*j+1, r.Kind)
			st.text(7*j+2, r.ID)
			st.text(7*j+3, r.Hub)
			st.text(7*j+4, r.Parent)
			st.int64(7*j+5, r.On)
			st.int64(7*j+6, r.Version)
			st.text(7*j+7, string(r.Body))
		}
		if err := st.exec(); err != nil {
			if isUnique(err) {
				return fmt.Errorf("create %d %s records: %w", n, rows[i].Kind, hubs.ErrConflict)
			}
			return fmt.Errorf("create %d %s records: %w", n, rows[i].Kind, err)
		}
		i += n
	}
	return nil
}

// hubPut creates r (Version 1) or replaces the stored record of
// Version-1, and keeps a listing's indexes.
func hubPut(tx *writeTx, r hubsrec.Row) error {
	if r.Version == 1 {
		if _, err := tx.exec(`INSERT INTO hubs_records (kind, id, hub, parent, on_at, version, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.Kind, r.ID, r.Hub, r.Parent, r.On, r.Version, string(r.Body)); err != nil {
			if isUnique(err) {
				return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, hubs.ErrConflict)
			}
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
		}
	} else {
		n, err := tx.exec(`UPDATE hubs_records SET hub = ?, parent = ?, on_at = ?, version = ?, body = ? WHERE kind = ? AND id = ? AND version = ?`,
			r.Hub, r.Parent, r.On, r.Version, string(r.Body), r.Kind, r.ID, r.Version-1)
		if err != nil {
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
		}
		if n == 0 {
			found, err := tx.count(`SELECT count(*) FROM hubs_records WHERE kind = ? AND id = ?`, r.Kind, r.ID)
			if err != nil {
				return err
			}
			if found == 0 {
				return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, hubs.ErrNotFound)
			}
			return fmt.Errorf("update %s %s to version %d: %w", r.Kind, r.ID, r.Version, hubs.ErrConflict)
		}
	}
	if r.Kind != hubsrec.KindListing {
		return nil
	}
	rowid, err := tx.count(`SELECT rowid FROM hubs_records WHERE kind = ? AND id = ?`, r.Kind, r.ID)
	if err != nil {
		return err
	}
	if r.Version > 1 {
		if _, err := tx.exec(`DELETE FROM hubs_listing_text WHERE rowid = ?`, rowid); err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM hubs_listing_terms WHERE listing = ?`, r.ID); err != nil {
			return err
		}
	}
	if _, err := tx.exec(`INSERT INTO hubs_listing_text (rowid, words) VALUES (?, ?)`, rowid, strings.Join(hubsrec.Words(r.Text), " ")); err != nil {
		return err
	}
	for _, t := range r.Terms {
		if _, err := tx.exec(`INSERT OR IGNORE INTO hubs_listing_terms (term, listing) VALUES (?, ?)`, t, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// Receipt returns what was recorded under a receipt key.
func (s *HubsStore) Receipt(ctx context.Context, key string) (*hubs.Receipt, error) {
	var r hubs.Receipt
	var at int64
	err := s.db.reader.QueryRowContext(ctx, `SELECT key, hash, result, at FROM hubs_receipts WHERE key = ?`, key).Scan(&r.Key, &r.Hash, &r.Result, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("receipt: %w", hubs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	r.At = fromMicros(at)
	return &r, nil
}

// Receipts returns the receipts recorded under any of keys.
func (s *HubsStore) Receipts(ctx context.Context, keys []string) ([]*hubs.Receipt, error) {
	out := []*hubs.Receipt{}
	seen := make(map[string]bool, len(keys))
	var uniq []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	i := 0
	for _, n := range rowChunks(len(uniq), receiptChunk) {
		args := make([]any, n)
		for j, k := range uniq[i : i+n] {
			args[j] = k
		}
		i += n
		st, err := s.db.readStmt(ctx, `SELECT key, hash, result, at FROM hubs_receipts WHERE key IN (`+placeholders(n)+`)`)
		if err != nil {
			return nil, fmt.Errorf("receipts: %w", err)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("receipts: %w", err)
		}
		for rows.Next() {
			var r hubs.Receipt
			var at int64
			if err := rows.Scan(&r.Key, &r.Hash, &r.Result, &at); err != nil {
				rows.Close()
				return nil, fmt.Errorf("receipts: %w", err)
			}
			r.At = fromMicros(at)
			out = append(out, &r)
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("receipts: %w", err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("receipts: %w", err)
		}
	}
	return out, nil
}

func hubOne[T any](ctx context.Context, s *HubsStore, kind, id string, dec func([]byte) (*T, error)) (*T, error) {
	var body []byte
	err := s.db.reader.QueryRowContext(ctx, `SELECT body FROM hubs_records WHERE kind = ? AND id = ?`, kind, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s %s: %w", kind, id, hubs.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return dec(body)
}

func hubMany[T any](ctx context.Context, s *HubsStore, dec func([]byte) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := s.db.reader.QueryContext(ctx, query, args...)
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

const hubOrder = ` ORDER BY on_at, id`

func hubAll[T any](ctx context.Context, s *HubsStore, kind string, dec func([]byte) (*T, error)) ([]*T, error) {
	return hubMany(ctx, s, dec, `SELECT body FROM hubs_records WHERE kind = ?`+hubOrder, kind)
}

func hubOfHub[T any](ctx context.Context, s *HubsStore, kind, hub string, dec func([]byte) (*T, error)) ([]*T, error) {
	if hub == "" {
		return hubAll(ctx, s, kind, dec)
	}
	return hubMany(ctx, s, dec, `SELECT body FROM hubs_records WHERE kind = ? AND hub = ?`+hubOrder, kind, hub)
}

func hubOfParent[T any](ctx context.Context, s *HubsStore, kind, parent string, dec func([]byte) (*T, error)) ([]*T, error) {
	return hubMany(ctx, s, dec, `SELECT body FROM hubs_records WHERE kind = ? AND parent = ?`+hubOrder, kind, parent)
}

func hubInSpan[T any](ctx context.Context, s *HubsStore, kind string, sp hubs.Span, dec func([]byte) (*T, error)) ([]*T, error) {
	q := `SELECT body FROM hubs_records WHERE kind = ?`
	args := []any{kind}
	if sp.Hub != "" {
		q += ` AND hub = ?`
		args = append(args, sp.Hub)
	}
	if !sp.From.IsZero() {
		q += ` AND on_at >= ?`
		args = append(args, hubsrec.Micros(sp.From))
	}
	if !sp.To.IsZero() {
		q += ` AND on_at < ?`
		args = append(args, hubsrec.Micros(sp.To))
	}
	return hubMany(ctx, s, dec, q+hubOrder, args...)
}

// Listings returns the listings f selects: text through the FTS5 index,
// terms through hubs_listing_terms. The most selective index drives the
// query: the text's, else the term's.
func (s *HubsStore) Listings(ctx context.Context, f hubs.ListingFilter) ([]*hubs.Listing, error) {
	var q string
	var args []any
	switch {
	case f.Text != "":
		words := hubsrec.Words(f.Text)
		if len(words) == 0 {
			return []*hubs.Listing{}, nil
		}
		q = `SELECT r.body FROM hubs_listing_text t CROSS JOIN hubs_records r ON r.rowid = t.rowid
			WHERE hubs_listing_text MATCH ? AND r.kind = 'listing'`
		args = append(args, `"`+strings.Join(words, `" "`)+`"`)
		if f.TermID != "" {
			q += ` AND EXISTS (SELECT 1 FROM hubs_listing_terms lt WHERE lt.term = ? AND lt.listing = r.id)`
			args = append(args, f.TermID)
		}
	case f.TermID != "":
		q = `SELECT r.body FROM hubs_listing_terms lt CROSS JOIN hubs_records r ON r.kind = 'listing' AND r.id = lt.listing WHERE lt.term = ?`
		args = append(args, f.TermID)
	default:
		q = `SELECT r.body FROM hubs_records r WHERE r.kind = 'listing'`
	}
	if f.OrganizationID != "" {
		q += ` AND r.parent = ?`
		args = append(args, f.OrganizationID)
	}
	q += ` ORDER BY r.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	out, err := hubMany(ctx, s, hubsrec.DecodeListing, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listings: %w", err)
	}
	return out, nil
}
