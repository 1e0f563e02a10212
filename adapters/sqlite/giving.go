package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/strongertogether/community/adapters/internal/givingrec"
	"github.com/strongertogether/community/grants/giving"
)

// GivingStore is the SQLite giving.Store. Records are kept whole in their
// stored format (adapters/internal/givingrec) in giving_records, keyed by
// kind and id; Apply checks each record's version in the write
// transaction on the DB's one writer connection, so two writes built from
// the same reads (two payments of one match) cannot both commit. Income
// is an append-only ledger in giving_income.
type GivingStore struct {
	db *DB
}

var _ giving.Store = (*GivingStore)(nil)

// NewGivingStore returns a giving.Store backed by db. Several stores may
// share one DB.
func NewGivingStore(db *DB) *GivingStore { return &GivingStore{db: db} }

// Secret returns the database's secret for idempotency receipts.
func (s *GivingStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

// Apply writes b atomically: see giving.Store. After a batch that erases a
// donor it rewrites freed pages and truncates the WAL, so no old copy of
// their name remains in the files.
func (s *GivingStore) Apply(ctx context.Context, b *giving.Batch) error {
	if b == nil {
		return fmt.Errorf("apply batch: %w", &giving.FieldError{Field: "Batch", Reason: "is nil"})
	}
	rows, inc, err := givingrec.Rows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	err = s.db.write(ctx, func(tx *writeTx) error {
		if b.Key != "" {
			n, err := tx.count(`SELECT count(*) FROM giving_receipts WHERE key = ?`, b.Key)
			if err != nil {
				return err
			}
			if n > 0 {
				return giving.ErrDuplicateKey
			}
		}
		for _, r := range rows {
			if err := givingPut(tx, r); err != nil {
				return err
			}
		}
		for _, i := range inc {
			if _, err := tx.exec(`INSERT INTO giving_income (fund, year, body) VALUES (?, ?, ?)`, i.Fund, int64(i.Year), string(i.Body)); err != nil {
				return err
			}
		}
		return tx.putReceipt("giving_receipts", b.Key, b.Hash, b.Result, b.At, giving.ErrDuplicateKey)
	})
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	for _, d := range b.Donors {
		if d.Erased {
			if err := s.db.scrub(ctx); err != nil {
				return fmt.Errorf("apply batch: %w", err)
			}
			break
		}
	}
	return nil
}

func givingPut(tx *writeTx, r givingrec.Row) error {
	if r.Version == 1 {
		if _, err := tx.exec(`INSERT INTO giving_records (kind, id, campaign, donor, version, body) VALUES (?, ?, ?, ?, ?, ?)`,
			r.Kind, r.ID, r.Campaign, r.Donor, r.Version, string(r.Body)); err != nil {
			if isUnique(err) {
				return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, giving.ErrConflict)
			}
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
		}
		return nil
	}
	n, err := tx.exec(`UPDATE giving_records SET campaign = ?, donor = ?, version = ?, body = ? WHERE kind = ? AND id = ? AND version = ?`,
		r.Campaign, r.Donor, r.Version, string(r.Body), r.Kind, r.ID, r.Version-1)
	if err != nil {
		return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
	}
	if n == 0 {
		found, err := tx.count(`SELECT count(*) FROM giving_records WHERE kind = ? AND id = ?`, r.Kind, r.ID)
		if err != nil {
			return err
		}
		if found == 0 {
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, giving.ErrNotFound)
		}
		return fmt.Errorf("update %s %s to version %d: %w", r.Kind, r.ID, r.Version, giving.ErrConflict)
	}
	return nil
}

func givingOne[T any](ctx context.Context, s *GivingStore, kind, id string, dec func([]byte) (*T, error)) (*T, error) {
	var body []byte
	err := s.db.reader.QueryRowContext(ctx, `SELECT body FROM giving_records WHERE kind = ? AND id = ?`, kind, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s %s: %w", kind, id, giving.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return dec(body)
}

func givingMany[T any](ctx context.Context, s *GivingStore, dec func([]byte) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := s.db.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
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

// The reads by campaign and by donor name their index: without it
// SQLite's planner searches the primary key by kind alone and reads every
// record of the kind, so a campaign's writes (each gift reads its donor's
// declarations) would take time that grows with the square of its gifts.
const (
	givingByCampaign = `SELECT body FROM giving_records INDEXED BY giving_records_campaign WHERE kind = ? AND campaign = ? ORDER BY id`
	givingByDonor    = `SELECT body FROM giving_records INDEXED BY giving_records_donor WHERE kind = ? AND donor = ? ORDER BY id`
)

// Campaign implements giving.Store.
func (s *GivingStore) Campaign(ctx context.Context, id string) (*giving.Campaign, error) {
	return givingOne(ctx, s, givingrec.KindCampaign, id, givingrec.DecodeCampaign)
}

// Donor implements giving.Store.
func (s *GivingStore) Donor(ctx context.Context, id string) (*giving.Donor, error) {
	return givingOne(ctx, s, givingrec.KindDonor, id, givingrec.DecodeDonor)
}

// Donors implements giving.Store.
func (s *GivingStore) Donors(ctx context.Context, campaign string) ([]*giving.Donor, error) {
	return givingMany(ctx, s, givingrec.DecodeDonor, givingByCampaign, givingrec.KindDonor, campaign)
}

// Declaration implements giving.Store.
func (s *GivingStore) Declaration(ctx context.Context, id string) (*giving.Declaration, error) {
	return givingOne(ctx, s, givingrec.KindDeclaration, id, givingrec.DecodeDeclaration)
}

// Declarations implements giving.Store.
func (s *GivingStore) Declarations(ctx context.Context, donor string) ([]*giving.Declaration, error) {
	return givingMany(ctx, s, givingrec.DecodeDeclaration, givingByDonor, givingrec.KindDeclaration, donor)
}

// Gift implements giving.Store.
func (s *GivingStore) Gift(ctx context.Context, id string) (*giving.Gift, error) {
	return givingOne(ctx, s, givingrec.KindGift, id, givingrec.DecodeGift)
}

// Gifts implements giving.Store.
func (s *GivingStore) Gifts(ctx context.Context, campaign, donor string) ([]*giving.Gift, error) {
	if donor != "" {
		return givingMany(ctx, s, givingrec.DecodeGift, `SELECT body FROM giving_records INDEXED BY giving_records_donor WHERE kind = ? AND donor = ? AND campaign = ? ORDER BY id`,
			givingrec.KindGift, donor, campaign)
	}
	return givingMany(ctx, s, givingrec.DecodeGift, givingByCampaign, givingrec.KindGift, campaign)
}

// Match implements giving.Store.
func (s *GivingStore) Match(ctx context.Context, id string) (*giving.Match, error) {
	return givingOne(ctx, s, givingrec.KindMatch, id, givingrec.DecodeMatch)
}

// Matches implements giving.Store.
func (s *GivingStore) Matches(ctx context.Context, campaign string) ([]*giving.Match, error) {
	return givingMany(ctx, s, givingrec.DecodeMatch, givingByCampaign, givingrec.KindMatch, campaign)
}

// Claim implements giving.Store.
func (s *GivingStore) Claim(ctx context.Context, id string) (*giving.Claim, error) {
	return givingOne(ctx, s, givingrec.KindClaim, id, givingrec.DecodeClaim)
}

// Claims implements giving.Store.
func (s *GivingStore) Claims(ctx context.Context, campaign string) ([]*giving.Claim, error) {
	return givingMany(ctx, s, givingrec.DecodeClaim, givingByCampaign, givingrec.KindClaim, campaign)
}

// Staff implements giving.Store.
func (s *GivingStore) Staff(ctx context.Context, id string) (*giving.Staff, error) {
	return givingOne(ctx, s, givingrec.KindStaff, id, givingrec.DecodeStaff)
}

// AnyStaff implements giving.Store.
func (s *GivingStore) AnyStaff(ctx context.Context) (bool, error) {
	var n int64
	if err := s.db.reader.QueryRowContext(ctx, `SELECT count(*) FROM giving_records WHERE kind = ?`, givingrec.KindStaff).Scan(&n); err != nil {
		return false, fmt.Errorf("any staff: %w", err)
	}
	return n > 0, nil
}

// Income implements giving.Store.
func (s *GivingStore) Income(ctx context.Context, fund string, year int) ([]giving.Income, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT body FROM giving_income WHERE fund = ? AND year = ? ORDER BY seq`, fund, int64(year))
	if err != nil {
		return nil, fmt.Errorf("income: %w", err)
	}
	defer rows.Close()
	var out []giving.Income
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		i, err := givingrec.DecodeIncome(body)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// Receipt implements giving.Store.
func (s *GivingStore) Receipt(ctx context.Context, key string) (*giving.Receipt, error) {
	var r giving.Receipt
	var at int64
	err := s.db.reader.QueryRowContext(ctx, `SELECT key, hash, result, at FROM giving_receipts WHERE key = ?`, key).Scan(&r.Key, &r.Hash, &r.Result, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("receipt: %w", giving.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	r.At = fromMicros(at)
	return &r, nil
}
