package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/strongertogether/community/adapters/internal/dementiarec"
	"github.com/strongertogether/community/dementia"
)

// DementiaStore is the PostgreSQL dementia.Store. Records are kept whole
// in their stored format (adapters/internal/dementiarec) in
// dementia_records, keyed by kind and id, with the columns reads select
// by. Apply updates each record only from the version it was read at, in
// one transaction, and creates with ON CONFLICT DO NOTHING: of two joins
// of one organisation the second finds the row once the first commits,
// and is refused.
type DementiaStore struct {
	db *DB
}

var _ dementia.Store = (*DementiaStore)(nil)

// NewDementiaStore returns a dementia.Store backed by db. Several stores
// may share one DB.
func NewDementiaStore(db *DB) *DementiaStore { return &DementiaStore{db: db} }

// Secret returns the database's secret for idempotency receipts.
func (s *DementiaStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

// Apply writes b atomically: see dementia.Store. (PostgreSQL keeps dead
// row versions of an erased record until VACUUM reclaims them.)
func (s *DementiaStore) Apply(ctx context.Context, b *dementia.Batch) error {
	if b == nil {
		return fmt.Errorf("apply batch: %w", &dementia.FieldError{Field: "Batch", Reason: "is nil"})
	}
	rows, err := dementiarec.Rows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	err = pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if b.Key != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO dementia_receipts (key, hash, result, at) VALUES ($1, $2, $3, $4)`, b.Key, b.Hash, b.Result, b.At); err != nil {
				if code, _ := pgCode(err); code == uniqueViolation {
					return dementia.ErrDuplicateKey
				}
				return err
			}
		}
		for _, r := range rows {
			if err := demPut(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if code, _ := pgCode(err); code == deadlockDetected || code == serializationFailure {
			err = fmt.Errorf("%w: %w", dementia.ErrConflict, err)
		}
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

func demPut(ctx context.Context, tx pgx.Tx, r dementiarec.Row) error {
	if r.Version == 1 {
		tag, err := tx.Exec(ctx, `INSERT INTO dementia_records (kind, id, parent, on_at, version, body) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (kind, id) DO NOTHING`, r.Kind, r.ID, r.Parent, r.On, r.Version, string(r.Body))
		if err != nil {
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, dementia.ErrConflict)
		}
		return nil
	}
	tag, err := tx.Exec(ctx, `UPDATE dementia_records SET parent = $1, on_at = $2, version = $3, body = $4
		WHERE kind = $5 AND id = $6 AND version = $7`, r.Parent, r.On, r.Version, string(r.Body), r.Kind, r.ID, r.Version-1)
	if err != nil {
		return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
	}
	if tag.RowsAffected() == 0 {
		var found bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM dementia_records WHERE kind = $1 AND id = $2)`, r.Kind, r.ID).Scan(&found); err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, dementia.ErrNotFound)
		}
		return fmt.Errorf("update %s %s to version %d: %w", r.Kind, r.ID, r.Version, dementia.ErrConflict)
	}
	return nil
}

// Receipt returns what was recorded under a receipt key.
func (s *DementiaStore) Receipt(ctx context.Context, key string) (*dementia.Receipt, error) {
	var r dementia.Receipt
	err := s.db.pool.QueryRow(ctx, `SELECT key, hash, result, at FROM dementia_receipts WHERE key = $1`, key).Scan(&r.Key, &r.Hash, &r.Result, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("receipt: %w", dementia.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt: %w", err)
	}
	r.At = r.At.UTC()
	return &r, nil
}

func demOne[T any](ctx context.Context, s *DementiaStore, kind, id string, dec func([]byte) (*T, error)) (*T, error) {
	var body []byte
	err := s.db.pool.QueryRow(ctx, `SELECT body::text FROM dementia_records WHERE kind = $1 AND id = $2`, kind, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%s %s: %w", kind, id, dementia.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return dec(body)
}

// demArg returns the placeholder of the n-th argument.
func demArg(n int) string { return "$" + strconv.Itoa(n) }

// demWhere decodes the records of kind matching the extra condition cond
// on arg (cond "" for every record), by date then id.
func demWhere[T any](ctx context.Context, s *DementiaStore, kind, cond string, arg any, dec func([]byte) (*T, error)) ([]*T, error) {
	args := []any{kind}
	if cond != "" {
		args = append(args, arg)
	}
	rows, err := s.db.pool.Query(ctx, `SELECT body::text FROM dementia_records WHERE kind = $1`+cond+` ORDER BY on_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
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

// Staff returns a member of staff.
func (s *DementiaStore) Staff(ctx context.Context, id string) (*dementia.Staff, error) {
	return demOne(ctx, s, dementiarec.KindStaff, id, dementiarec.DecodeStaff)
}

// StaffList returns every member of staff.
func (s *DementiaStore) StaffList(ctx context.Context) ([]*dementia.Staff, error) {
	return demWhere(ctx, s, dementiarec.KindStaff, "", nil, dementiarec.DecodeStaff)
}

// Member returns an alliance member.
func (s *DementiaStore) Member(ctx context.Context, id string) (*dementia.Member, error) {
	return demOne(ctx, s, dementiarec.KindMember, id, dementiarec.DecodeMember)
}

// Members returns every member, by Joined.
func (s *DementiaStore) Members(ctx context.Context) ([]*dementia.Member, error) {
	return demWhere(ctx, s, dementiarec.KindMember, "", nil, dementiarec.DecodeMember)
}

// Action returns an action.
func (s *DementiaStore) Action(ctx context.Context, id string) (*dementia.Action, error) {
	return demOne(ctx, s, dementiarec.KindAction, id, dementiarec.DecodeAction)
}

// Actions returns a member's actions ("" for every member's), by Due.
func (s *DementiaStore) Actions(ctx context.Context, member string) ([]*dementia.Action, error) {
	if member == "" {
		return demWhere(ctx, s, dementiarec.KindAction, "", nil, dementiarec.DecodeAction)
	}
	return demWhere(ctx, s, dementiarec.KindAction, " AND parent = "+demArg(2), member, dementiarec.DecodeAction)
}

// Meetings returns every meeting, by On.
func (s *DementiaStore) Meetings(ctx context.Context) ([]*dementia.Meeting, error) {
	return demWhere(ctx, s, dementiarec.KindMeeting, "", nil, dementiarec.DecodeMeeting)
}

// Community returns a community.
func (s *DementiaStore) Community(ctx context.Context, id string) (*dementia.Community, error) {
	return demOne(ctx, s, dementiarec.KindCommunity, id, dementiarec.DecodeCommunity)
}

// Communities returns every community, by Registered.
func (s *DementiaStore) Communities(ctx context.Context) ([]*dementia.Community, error) {
	return demWhere(ctx, s, dementiarec.KindCommunity, "", nil, dementiarec.DecodeCommunity)
}

// Champion returns a Dementia Friends Champion.
func (s *DementiaStore) Champion(ctx context.Context, id string) (*dementia.Champion, error) {
	return demOne(ctx, s, dementiarec.KindChampion, id, dementiarec.DecodeChampion)
}

// Champions returns every Champion, by Trained.
func (s *DementiaStore) Champions(ctx context.Context) ([]*dementia.Champion, error) {
	return demWhere(ctx, s, dementiarec.KindChampion, "", nil, dementiarec.DecodeChampion)
}

// Friends returns the counts dated before the end, by On.
func (s *DementiaStore) Friends(ctx context.Context, before time.Time) ([]*dementia.Friends, error) {
	if before.IsZero() {
		return demWhere(ctx, s, dementiarec.KindFriends, "", nil, dementiarec.DecodeFriends)
	}
	return demWhere(ctx, s, dementiarec.KindFriends, " AND on_at < "+demArg(2), dementiarec.Micros(before), dementiarec.DecodeFriends)
}

// Prevalence returns a prevalence table.
func (s *DementiaStore) Prevalence(ctx context.Context, id string) (*dementia.Prevalence, error) {
	return demOne(ctx, s, dementiarec.KindPrevalence, id, dementiarec.DecodePrevalence)
}

// Registers returns the registers dated on the day (zero: every one).
func (s *DementiaStore) Registers(ctx context.Context, on time.Time) ([]*dementia.Register, error) {
	if on.IsZero() {
		return demWhere(ctx, s, dementiarec.KindRegister, "", nil, dementiarec.DecodeRegister)
	}
	return demWhere(ctx, s, dementiarec.KindRegister, " AND on_at = "+demArg(2), dementiarec.Micros(on), dementiarec.DecodeRegister)
}

// Reviews returns the care-plan review counts of a year ("" for every
// year), by id.
func (s *DementiaStore) Reviews(ctx context.Context, year string) ([]*dementia.Review, error) {
	if year == "" {
		return demWhere(ctx, s, dementiarec.KindReview, "", nil, dementiarec.DecodeReview)
	}
	return demWhere(ctx, s, dementiarec.KindReview, " AND parent = "+demArg(2), year, dementiarec.DecodeReview)
}
