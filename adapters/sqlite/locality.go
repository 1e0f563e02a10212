package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/strongertogether/community/adapters/internal/localityrec"
	"github.com/strongertogether/community/hubs/locality"
)

// localityRaw keeps the locality records whole in their stored format
// (adapters/internal/localityrec) in locality_records, keyed by kind and
// id, with the columns reads select by; Apply checks each record's version
// in the write transaction, on the DB's one writer connection.
type localityRaw struct {
	db *DB
}

// NewLocalityStore returns a locality.Store backed by db. Several stores
// may share one DB. After a batch that erases personal data it truncates
// the WAL, so no old copy remains.
func NewLocalityStore(db *DB) locality.Store { return localityrec.Store{Raw: &localityRaw{db: db}} }

func (s *localityRaw) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

func (s *localityRaw) ApplyRows(ctx context.Context, rows []localityrec.Row, b *locality.Batch) error {
	err := s.db.write(ctx, func(tx *writeTx) error {
		if b.Key != "" {
			n, err := tx.count(`SELECT count(*) FROM locality_receipts WHERE key = ?`, b.Key)
			if err != nil {
				return err
			}
			if n > 0 {
				return locality.ErrDuplicateKey
			}
		}
		for _, r := range rows {
			if err := localityPut(tx, r); err != nil {
				return err
			}
		}
		return tx.putReceipt("locality_receipts", b.Key, b.Hash, b.Result, b.At, locality.ErrDuplicateKey)
	})
	if err != nil {
		return err
	}
	if b.Erase {
		return s.db.scrub(ctx)
	}
	return nil
}

func localityPut(tx *writeTx, r localityrec.Row) error {
	if r.Version == 1 {
		if _, err := tx.exec(`INSERT INTO locality_records (kind, id, area, person, on_at, version, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.Kind, r.ID, r.Area, r.Person, r.On, r.Version, string(r.Body)); err != nil {
			if isUnique(err) {
				return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, locality.ErrConflict)
			}
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
		}
		return nil
	}
	n, err := tx.exec(`UPDATE locality_records SET area = ?, person = ?, on_at = ?, version = ?, body = ? WHERE kind = ? AND id = ? AND version = ?`,
		r.Area, r.Person, r.On, r.Version, string(r.Body), r.Kind, r.ID, r.Version-1)
	if err != nil {
		return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
	}
	if n == 0 {
		found, err := tx.count(`SELECT count(*) FROM locality_records WHERE kind = ? AND id = ?`, r.Kind, r.ID)
		if err != nil {
			return err
		}
		if found == 0 {
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, locality.ErrNotFound)
		}
		return fmt.Errorf("update %s %s to version %d: %w", r.Kind, r.ID, r.Version, locality.ErrConflict)
	}
	return nil
}

func (s *localityRaw) Receipt(ctx context.Context, key string) (*locality.Receipt, error) {
	var r locality.Receipt
	var at int64
	err := s.db.reader.QueryRowContext(ctx, `SELECT key, hash, result, at FROM locality_receipts WHERE key = ?`, key).Scan(&r.Key, &r.Hash, &r.Result, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("receipt: %w", locality.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	r.At = fromMicros(at)
	return &r, nil
}

func (s *localityRaw) One(ctx context.Context, kind, id string) ([]byte, error) {
	var body []byte
	err := s.db.reader.QueryRowContext(ctx, `SELECT body FROM locality_records WHERE kind = ? AND id = ?`, kind, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s %s: %w", kind, id, locality.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return body, nil
}

func (s *localityRaw) Many(ctx context.Context, kind string, q locality.Query) ([][]byte, error) {
	query := `SELECT body FROM locality_records WHERE kind = ?`
	args := []any{kind}
	if q.Area != "" {
		query += ` AND area = ?`
		args = append(args, q.Area)
	}
	if q.Person != "" {
		query += ` AND person = ?`
		args = append(args, q.Person)
	}
	if !q.From.IsZero() {
		query += ` AND on_at >= ?`
		args = append(args, localityrec.Micros(q.From))
	}
	if !q.To.IsZero() {
		query += ` AND on_at < ?`
		args = append(args, localityrec.Micros(q.To))
	}
	rows, err := s.db.reader.QueryContext(ctx, query+` ORDER BY on_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := [][]byte{}
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		out = append(out, body)
	}
	return out, rows.Err()
}
