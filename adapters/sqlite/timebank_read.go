package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/strongertogether/community/timebank"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// where accumulates the conditions and arguments of a list query.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// list runs query on the reader pool and scans each row with scan.
func list[T any](ctx context.Context, db *DB, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := db.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// one runs query, prepared once on the reader pool, and scans its single
// row, or returns ErrNotFound.
func one[T any](ctx context.Context, db *DB, query string, args []any, scan func(scanner) (T, error)) (T, error) {
	st, err := db.readStmt(ctx, query)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := scan(st.QueryRowContext(ctx, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, timebank.ErrNotFound
	}
	return v, err
}

const bankCols = `id, name, parent, organisation, rounding, min_balance, max_balance, confirmation,
	created_at, created_by, updated_at, updated_by, version`

func scanBank(r scanner) (*timebank.Bank, error) {
	var (
		b                timebank.Bank
		max              sql.NullInt64
		created, updated int64
		confirmation     string
	)
	if err := r.Scan(&b.ID, &b.Name, &b.Parent, &b.Organisation, &b.Rounding, &b.MinBalance, &max,
		&confirmation, &created, &b.CreatedBy, &updated, &b.UpdatedBy, &b.Version); err != nil {
		return nil, err
	}
	b.MaxBalance = fromNullInt(max)
	b.Confirmation = timebank.Confirmation(confirmation)
	b.CreatedAt, b.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &b, nil
}

// Bank returns the bank with the given id.
func (s *TimebankStore) Bank(ctx context.Context, id string) (*timebank.Bank, error) {
	b, err := one(ctx, s.db, `SELECT `+bankCols+` FROM timebank_banks WHERE id = ?`, []any{id}, scanBank)
	if err != nil {
		return nil, fmt.Errorf("bank %s: %w", id, err)
	}
	return b, nil
}

// Banks returns banks ordered by id.
func (s *TimebankStore) Banks(ctx context.Context, f timebank.BankFilter) ([]*timebank.Bank, error) {
	var w where
	if f.Parent != nil {
		w.add("parent = ?", *f.Parent)
	}
	bs, err := list(ctx, s.db, `SELECT `+bankCols+` FROM timebank_banks`+w.String()+` ORDER BY id`+limitOffset(f.Limit, f.Offset), w.args, scanBank)
	if err != nil {
		return nil, fmt.Errorf("banks: %w", err)
	}
	return bs, nil
}

const memberCols = `id, bank, kind, role, status, trusted, name, email, phone, ward, min_balance, max_balance,
	joined_at, left_at, erased_at, created_by, updated_at, updated_by, version`

func scanMember(r scanner) (*timebank.Member, error) {
	var (
		m                  timebank.Member
		kind, role, status string
		trusted            int64
		minB, maxB         sql.NullInt64
		joined, updated    int64
		left, erased       sql.NullInt64
	)
	if err := r.Scan(&m.ID, &m.Bank, &kind, &role, &status, &trusted, &m.Name, &m.Email, &m.Phone, &m.Ward,
		&minB, &maxB, &joined, &left, &erased, &m.CreatedBy, &updated, &m.UpdatedBy, &m.Version); err != nil {
		return nil, err
	}
	m.Kind, m.Role, m.Status = timebank.Kind(kind), timebank.Role(role), timebank.Status(status)
	m.Trusted = trusted != 0
	m.MinBalance, m.MaxBalance = fromNullInt(minB), fromNullInt(maxB)
	m.JoinedAt, m.UpdatedAt = fromMicros(joined), fromMicros(updated)
	m.LeftAt, m.ErasedAt = fromNullMicros(left), fromNullMicros(erased)
	return &m, nil
}

// Member returns the member with the given id.
func (s *TimebankStore) Member(ctx context.Context, id string) (*timebank.Member, error) {
	m, err := one(ctx, s.db, `SELECT `+memberCols+` FROM timebank_members WHERE id = ?`, []any{id}, scanMember)
	if err != nil {
		return nil, fmt.Errorf("member %s: %w", id, err)
	}
	return m, nil
}

// Members returns members ordered by id.
func (s *TimebankStore) Members(ctx context.Context, f timebank.MemberFilter) ([]*timebank.Member, error) {
	var w where
	if f.Bank != nil {
		w.add("bank = ?", *f.Bank)
	}
	if f.Kind != nil {
		w.add("kind = ?", string(*f.Kind))
	}
	if f.Status != nil {
		w.add("status = ?", string(*f.Status))
	}
	ms, err := list(ctx, s.db, `SELECT `+memberCols+` FROM timebank_members`+w.String()+` ORDER BY id`+limitOffset(f.Limit, f.Offset), w.args, scanMember)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	return ms, nil
}

const accountCols = `id, bank, kind, balance, last_at`

func scanAccount(r scanner) (*timebank.Account, error) {
	var (
		a    timebank.Account
		kind string
		last sql.NullInt64
	)
	if err := r.Scan(&a.ID, &a.Bank, &kind, &a.Balance, &last); err != nil {
		return nil, err
	}
	a.Kind = timebank.AccountKind(kind)
	if last.Valid {
		a.LastAt = fromMicros(last.Int64)
	}
	return &a, nil
}

// Account returns an account with its maintained balance.
func (s *TimebankStore) Account(ctx context.Context, id string) (*timebank.Account, error) {
	a, err := one(ctx, s.db, `SELECT `+accountCols+` FROM timebank_accounts WHERE id = ?`, []any{id}, scanAccount)
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", id, err)
	}
	return a, nil
}

// Accounts returns accounts ordered by id.
func (s *TimebankStore) Accounts(ctx context.Context, f timebank.AccountFilter) ([]*timebank.Account, error) {
	var w where
	if f.Bank != nil {
		w.add("bank = ?", *f.Bank)
	}
	as, err := list(ctx, s.db, `SELECT `+accountCols+` FROM timebank_accounts`+w.String()+` ORDER BY id`+limitOffset(f.Limit, f.Offset), w.args, scanAccount)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	return as, nil
}

// balanceAtQuery finds the account and, in the same statement, the
// balance left by its latest posting at or before the time: one descent
// of postings_account (account, at, seq).
const balanceAtQuery = `SELECT (SELECT p.balance_after FROM timebank_postings p
	WHERE p.account = a.ak AND p.at <= ? ORDER BY p.at DESC, p.seq DESC LIMIT 1)
	FROM timebank_accounts a WHERE a.id = ?`

// BalanceAt returns the account's balance after every transfer with
// At ≤ at.
func (s *TimebankStore) BalanceAt(ctx context.Context, account string, at time.Time) (int64, error) {
	st, err := s.db.readStmt(ctx, balanceAtQuery)
	if err != nil {
		return 0, fmt.Errorf("balance of %s: %w", account, err)
	}
	var bal sql.NullInt64
	if err := st.QueryRowContext(ctx, micros(at), account).Scan(&bal); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = timebank.ErrNotFound
		}
		return 0, fmt.Errorf("balance of %s: %w", account, err)
	}
	return bal.Int64, nil // NULL: no posting yet, zero
}

// Entries returns an account's statement lines in ledger order.
func (s *TimebankStore) Entries(ctx context.Context, f timebank.EntryFilter) ([]timebank.Entry, error) {
	ak, err := one(ctx, s.db, `SELECT ak FROM timebank_accounts WHERE id = ?`, []any{f.Account}, func(r scanner) (int64, error) {
		var ak int64
		err := r.Scan(&ak)
		return ak, err
	})
	if err != nil {
		return nil, fmt.Errorf("entries of %s: %w", f.Account, err)
	}
	w := where{conds: []string{"p.account = ?"}, args: []any{ak}}
	if f.From != nil {
		w.add("p.at >= ?", micros(*f.From))
	}
	if f.To != nil {
		w.add("p.at < ?", micros(*f.To))
	}
	q := `SELECT t.id, t.kind, p.amount, p.balance_after, p.at, t.memo
		FROM timebank_postings p JOIN timebank_transfers t ON t.tk = p.seq` + w.String() +
		` ORDER BY p.at, p.seq` + limitOffset(f.Limit, f.Offset)
	es, err := list(ctx, s.db, q, w.args, func(r scanner) (timebank.Entry, error) {
		e := timebank.Entry{Account: f.Account}
		var kind string
		var at int64
		err := r.Scan(&e.Transfer, &kind, &e.Amount, &e.Balance, &at, &e.Memo)
		e.Kind, e.At = timebank.TransferKind(kind), fromMicros(at)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("entries of %s: %w", f.Account, err)
	}
	return es, nil
}

// Transfer returns the transfer with the given id, postings in the order
// they were given.
func (s *TimebankStore) Transfer(ctx context.Context, id string) (*timebank.Transfer, error) {
	var (
		t              timebank.Transfer
		tk, at         int64
		kind, accounts string
	)
	_, err := one(ctx, s.db,
		`SELECT tk, id, bank, kind, at, actor, exchange, reverses, memo, accounts FROM timebank_transfers WHERE id = ?`, []any{id},
		func(r scanner) (struct{}, error) {
			return struct{}{}, r.Scan(&tk, &t.ID, &t.Bank, &kind, &at, &t.Actor, &t.Exchange, &t.Reverses, &t.Memo, &accounts)
		})
	if err != nil {
		return nil, fmt.Errorf("transfer %s: %w", id, err)
	}
	t.Kind, t.At = timebank.TransferKind(kind), fromMicros(at)
	t.Postings, err = list(ctx, s.db, `SELECT a.id, p.amount
		FROM json_each(?) j
		JOIN timebank_postings p ON p.account = j.value AND p.at = ? AND p.seq = ?
		JOIN timebank_accounts a ON a.ak = j.value
		ORDER BY j.key`,
		[]any{accounts, at, tk}, func(r scanner) (timebank.Posting, error) {
			var p timebank.Posting
			err := r.Scan(&p.Account, &p.Amount)
			return p, err
		})
	if err != nil {
		return nil, fmt.Errorf("transfer %s: %w", id, err)
	}
	return &t, nil
}

const exchangeCols = `id, bank, giver, receiver, minutes, date, category, description, listing, status,
	giver_by, giver_at, receiver_by, receiver_at, approved_by, approved_at, transfer, reversal, reason,
	created_at, created_by, updated_at, updated_by, version`

func scanExchange(r scanner) (*timebank.Exchange, error) {
	var (
		x                timebank.Exchange
		date             int64
		status           string
		gBy, rBy, aBy    string
		gAt, rAt, aAt    sql.NullInt64
		created, updated int64
	)
	if err := r.Scan(&x.ID, &x.Bank, &x.Giver, &x.Receiver, &x.Minutes, &date, &x.Category, &x.Description,
		&x.Listing, &status, &gBy, &gAt, &rBy, &rAt, &aBy, &aAt, &x.Transfer, &x.Reversal, &x.Reason,
		&created, &x.CreatedBy, &updated, &x.UpdatedBy, &x.Version); err != nil {
		return nil, err
	}
	x.Date, x.Status = fromMicros(date), timebank.ExchangeStatus(status)
	x.GiverConfirmed, x.ReceiverConfirmed, x.Approved = stamp(gBy, gAt), stamp(rBy, rAt), stamp(aBy, aAt)
	x.CreatedAt, x.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &x, nil
}

func stamp(by string, at sql.NullInt64) *timebank.Stamp {
	if !at.Valid {
		return nil
	}
	return &timebank.Stamp{By: by, At: fromMicros(at.Int64)}
}

// Exchange returns the exchange with the given id.
func (s *TimebankStore) Exchange(ctx context.Context, id string) (*timebank.Exchange, error) {
	x, err := one(ctx, s.db, `SELECT `+exchangeCols+` FROM timebank_exchanges WHERE id = ?`, []any{id}, scanExchange)
	if err != nil {
		return nil, fmt.Errorf("exchange %s: %w", id, err)
	}
	return x, nil
}

// Exchanges returns exchanges ordered by Date, then id.
func (s *TimebankStore) Exchanges(ctx context.Context, f timebank.ExchangeFilter) ([]*timebank.Exchange, error) {
	var w where
	if len(f.Banks) > 0 {
		w.add("bank IN ("+placeholders(len(f.Banks))+")", stringArgs(f.Banks)...)
	}
	if f.Member != nil {
		w.add("(giver = ? OR receiver = ?)", *f.Member, *f.Member)
	}
	if f.Category != nil {
		w.add("category = ?", *f.Category)
	}
	if f.Status != nil {
		w.add("status = ?", string(*f.Status))
	}
	if f.From != nil {
		w.add("date >= ?", micros(*f.From))
	}
	if f.To != nil {
		w.add("date < ?", micros(*f.To))
	}
	xs, err := list(ctx, s.db, `SELECT `+exchangeCols+` FROM timebank_exchanges`+w.String()+` ORDER BY date, id`+limitOffset(f.Limit, f.Offset), w.args, scanExchange)
	if err != nil {
		return nil, fmt.Errorf("exchanges: %w", err)
	}
	return xs, nil
}

func stringArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

const listingCols = `id, bank, member, kind, category, title, description, open, created_at, updated_at, updated_by, version`

func scanListing(r scanner) (*timebank.Listing, error) {
	var (
		l                timebank.Listing
		kind             string
		open             int64
		created, updated int64
	)
	if err := r.Scan(&l.ID, &l.Bank, &l.Member, &kind, &l.Category, &l.Title, &l.Description, &open,
		&created, &updated, &l.UpdatedBy, &l.Version); err != nil {
		return nil, err
	}
	l.Kind, l.Open = timebank.ListingKind(kind), open != 0
	l.CreatedAt, l.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &l, nil
}

// Listing returns the offer or request with the given id.
func (s *TimebankStore) Listing(ctx context.Context, id string) (*timebank.Listing, error) {
	l, err := one(ctx, s.db, `SELECT `+listingCols+` FROM timebank_listings WHERE id = ?`, []any{id}, scanListing)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", id, err)
	}
	return l, nil
}

// Listings returns listings ordered by id.
func (s *TimebankStore) Listings(ctx context.Context, f timebank.ListingFilter) ([]*timebank.Listing, error) {
	var w where
	if f.Bank != nil {
		w.add("bank = ?", *f.Bank)
	}
	if f.Member != nil {
		w.add("member = ?", *f.Member)
	}
	if f.Kind != nil {
		w.add("kind = ?", string(*f.Kind))
	}
	if f.Category != nil {
		w.add("category = ?", *f.Category)
	}
	if f.Open != nil {
		w.add("open = ?", boolInt(*f.Open))
	}
	ls, err := list(ctx, s.db, `SELECT `+listingCols+` FROM timebank_listings`+w.String()+` ORDER BY id`+limitOffset(f.Limit, f.Offset), w.args, scanListing)
	if err != nil {
		return nil, fmt.Errorf("listings: %w", err)
	}
	return ls, nil
}

// Receipt returns what was recorded under an idempotency key.
func (s *TimebankStore) Receipt(ctx context.Context, key string) (*timebank.Receipt, error) {
	r, err := one(ctx, s.db, `SELECT key, hash, result, at FROM timebank_receipts WHERE key = ?`, []any{key},
		func(r scanner) (*timebank.Receipt, error) {
			var (
				rc timebank.Receipt
				at int64
			)
			if err := r.Scan(&rc.Key, &rc.Hash, &rc.Result, &at); err != nil {
				return nil, err
			}
			rc.At = fromMicros(at)
			return &rc, nil
		})
	if err != nil {
		return nil, fmt.Errorf("receipt %q: %w", key, err)
	}
	return r, nil
}

// Events returns the audit trail ordered by Seq.
func (s *TimebankStore) Events(ctx context.Context, f timebank.EventFilter) ([]timebank.Event, error) {
	var w where
	if f.Bank != "" {
		w.add("bank = ?", f.Bank)
	}
	if f.Subject != "" {
		w.add("subject = ?", f.Subject)
	}
	es, err := list(ctx, s.db, `SELECT seq, bank, at, actor, action, subject, note FROM timebank_events`+w.String()+
		` ORDER BY seq`+limitOffset(f.Limit, f.Offset), w.args, func(r scanner) (timebank.Event, error) {
		var (
			e  timebank.Event
			at int64
		)
		err := r.Scan(&e.Seq, &e.Bank, &at, &e.Actor, &e.Action, &e.Subject, &e.Note)
		e.At = fromMicros(at)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return es, nil
}

// Tally counts activity for reports over f.Banks (every bank when empty)
// and the period f.From ≤ t < f.To.
func (s *TimebankStore) Tally(ctx context.Context, f timebank.TallyFilter) (timebank.Tally, error) {
	var t timebank.Tally
	from, to := micros(f.From), micros(f.To)
	inBanks, bankArgs := "1", []any(nil)
	if len(f.Banks) > 0 {
		inBanks, bankArgs = "bank IN ("+placeholders(len(f.Banks))+")", stringArgs(f.Banks)
	}
	// One read transaction, so the figures agree with each other.
	rtx, err := s.db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return t, fmt.Errorf("tally: %w", err)
	}
	defer func() { _ = rtx.Rollback() }()

	counted := `FROM timebank_exchanges WHERE ` + inBanks + ` AND status = 'confirmed' AND date >= ? AND date < ?`
	args := append(append([]any{}, bankArgs...), from, to)
	if err := rtx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(minutes), 0) `+counted, args...).
		Scan(&t.Exchanges, &t.ExchangeMinutes); err != nil {
		return t, fmt.Errorf("tally exchanges: %w", err)
	}
	if err := rtx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT giver AS m `+counted+
		` UNION SELECT receiver `+counted+`)`, append(append([]any{}, args...), args...)...).
		Scan(&t.ActiveMembers); err != nil {
		return t, fmt.Errorf("tally active members: %w", err)
	}
	rows, err := rtx.QueryContext(ctx, `SELECT category, sum(minutes) `+counted+` GROUP BY category`, args...)
	if err != nil {
		return t, fmt.Errorf("tally categories: %w", err)
	}
	t.Categories = map[string]int64{}
	for rows.Next() {
		var c string
		var m int64
		if err := rows.Scan(&c, &m); err != nil {
			rows.Close()
			return t, fmt.Errorf("tally categories: %w", err)
		}
		t.Categories[c] = m
	}
	if err := rows.Close(); err != nil {
		return t, fmt.Errorf("tally categories: %w", err)
	}

	if err := rtx.QueryRowContext(ctx, `SELECT
		coalesce(sum(kind = 'individual'), 0), coalesce(sum(kind = 'organisation'), 0)
		FROM timebank_members WHERE `+inBanks+` AND joined_at < ? AND (left_at IS NULL OR left_at >= ?)`,
		append(append([]any{}, bankArgs...), to, from)...).Scan(&t.Individuals, &t.Organisations); err != nil {
		return t, fmt.Errorf("tally members: %w", err)
	}

	if err := rtx.QueryRowContext(ctx, `SELECT
		coalesce(sum(CASE WHEN kind = 'issue' THEN size END), 0),
		coalesce(sum(CASE WHEN kind = 'donation' THEN size END), 0),
		coalesce(sum(CASE WHEN kind = 'grant' THEN size END), 0)
		FROM timebank_transfers WHERE kind IN ('issue', 'donation', 'grant') AND at >= ? AND at < ? AND `+inBanks,
		append([]any{from, to}, bankArgs...)...).Scan(&t.IssuedMinutes, &t.DonatedMinutes, &t.GrantedMinutes); err != nil {
		return t, fmt.Errorf("tally transfers: %w", err)
	}
	return t, nil
}

func scanAdmin(r scanner) (*timebank.Admin, error) {
	var (
		a  timebank.Admin
		at int64
	)
	if err := r.Scan(&a.ID, &at, &a.GrantedBy); err != nil {
		return nil, err
	}
	a.GrantedAt = fromMicros(at)
	return &a, nil
}

// Admin returns the administrator with the given id.
func (s *TimebankStore) Admin(ctx context.Context, id string) (*timebank.Admin, error) {
	a, err := one(ctx, s.db, `SELECT id, granted_at, granted_by FROM timebank_admins WHERE id = ?`, []any{id}, scanAdmin)
	if err != nil {
		return nil, fmt.Errorf("admin %s: %w", id, err)
	}
	return a, nil
}

// Admins returns every administrator, ordered by id.
func (s *TimebankStore) Admins(ctx context.Context) ([]*timebank.Admin, error) {
	as, err := list(ctx, s.db, `SELECT id, granted_at, granted_by FROM timebank_admins ORDER BY id`, nil, scanAdmin)
	if err != nil {
		return nil, fmt.Errorf("admins: %w", err)
	}
	return as, nil
}

// Secret returns the database's secret for idempotency receipts.
func (s *TimebankStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }
