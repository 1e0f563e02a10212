package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/strongertogether/community/adapters/internal/localityrec"
	"github.com/strongertogether/community/hubs/locality"
)

// localityRaw keeps the locality records whole in their stored format
// (adapters/internal/localityrec) in locality_records, keyed by kind and
// id, with the columns reads select by. Apply updates each record only
// from the version it was read at, in one transaction.
type localityRaw struct {
	db *DB
}

// NewLocalityStore returns a locality.Store backed by db. Several stores
// may share one DB. (PostgreSQL keeps dead row versions of an erased
// record until VACUUM reclaims them.)
func NewLocalityStore(db *DB) locality.Store { return localityrec.Store{Raw: &localityRaw{db: db}} }

func (s *localityRaw) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

func (s *localityRaw) ApplyRows(ctx context.Context, rows []localityrec.Row, b *locality.Batch) error {
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if b.Key != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO locality_receipts (key, hash, result, at) VALUES ($1, $2, $3, $4)`, b.Key, b.Hash, b.Result, b.At); err != nil {
				if code, _ := pgCode(err); code == uniqueViolation {
					return locality.ErrDuplicateKey
				}
				return err
			}
		}
		for _, r := range rows {
			if err := localityPut(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if code, _ := pgCode(err); code == deadlockDetected || code == serializationFailure {
			err = fmt.Errorf("%w: %w", locality.ErrConflict, err)
		}
		return err
	}
	return nil
}

func localityPut(ctx context.Context, tx pgx.Tx, r localityrec.Row) error {
	if r.Version == 1 {
		tag, err := tx.Exec(ctx, `INSERT INTO locality_records (kind, id, area, person, on_at, version, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (kind, id) DO NOTHING`, r.Kind, r.ID, r.Area, r.Person, r.On, r.Version, string(r.Body))
		if err != nil {
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, locality.ErrConflict)
		}
		return nil
	}
	tag, err := tx.Exec(ctx, `UPDATE locality_records SET area = $1, person = $2, on_at = $3, version = $4, body = $5
		WHERE kind = $6 AND id = $7 AND version = $8`, r.Area, r.Person, r.On, r.Version, string(r.Body), r.Kind, r.ID, r.Version-1)
	if err != nil {
		return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
	}
	if tag.RowsAffected() == 0 {
		var found bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM locality_records WHERE kind = $1 AND id = $2)`, r.Kind, r.ID).Scan(&found); err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, locality.ErrNotFound)
		}
		return fmt.Errorf("update %s %s to version %d: %w", r.Kind, r.ID, r.Version, locality.ErrConflict)
	}
	return nil
}

func (s *localityRaw) Receipt(ctx context.Context, key string) (*locality.Receipt, error) {
	var r locality.Receipt
	err := s.db.pool.QueryRow(ctx, `SELECT key, hash, result, at FROM locality_receipts WHERE key = $1`, key).Scan(&r.Key, &r.Hash, &r.Result, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("receipt: %w", locality.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	r.At = r.At.UTC()
	return &r, nil
}

func (s *localityRaw) One(ctx context.Context, kind, id string) ([]byte, error) {
	var body []byte
	err := s.db.pool.QueryRow(ctx, `SELECT body::text FROM locality_records WHERE kind = $1 AND id = $2`, kind, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%s %s: %w", kind, id, locality.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return body, nil
}

func (s *localityRaw) Many(ctx context.Context, kind string, q locality.Query) ([][]byte, error) {
	query := `SELECT body::text FROM locality_records WHERE kind = $1`
	args := []any{kind}
	add := func(cond string, v any) {
		args = append(args, v)
		query += fmt.Sprintf(" AND %s $%d", cond, len(args))
	}
	if q.Area != "" {
		add("area =", q.Area)
	}
	if q.Person != "" {
		add("person =", q.Person)
	}
	if !q.From.IsZero() {
		add("on_at >=", localityrec.Micros(q.From))
	}
	if !q.To.IsZero() {
		add("on_at <", localityrec.Micros(q.To))
	}
	rows, err := s.db.pool.Query(ctx, query+` ORDER BY on_at, id COLLATE "C"`, args...)
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
