package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/strongertogether/community/adapters/internal/timebankrec"
	"github.com/strongertogether/community/timebank"
)

// table describes a versioned record table: its name and columns, id first
// and version last, in the order of the record's args and scan targets.
type table struct {
	name   string
	what   string // what a row is, for error messages
	order  int    // where a batch writes it: banks, members, accounts, listings, exchanges
	cols   []string
	list   string // the column list, comma separated
	insert string // INSERT … ON CONFLICT (id) DO NOTHING
	update string // UPDATE … WHERE id = $1 AND version = $n+1
}

func newTable(name, what string, order int, cols ...string) *table {
	t := &table{name: name, what: what, order: order, cols: cols, list: strings.Join(cols, ", ")}
	ph := make([]string, len(cols))
	set := make([]string, 0, len(cols)-1)
	for i, c := range cols {
		ph[i] = "$" + strconv.Itoa(i+1)
		if i > 0 {
			set = append(set, c+" = $"+strconv.Itoa(i+1))
		}
	}
	t.insert = "INSERT INTO " + name + " (" + t.list + ") VALUES (" + strings.Join(ph, ", ") + ") ON CONFLICT (id) DO NOTHING"
	t.update = "UPDATE " + name + " SET " + strings.Join(set, ", ") +
		" WHERE id = $1 AND version = $" + strconv.Itoa(len(cols)+1)
	return t
}

var (
	bankTable = newTable("timebank_banks", "bank", 0,
		"id", "name", "parent", "organisation", "rounding", "min_balance", "max_balance",
		"confirmation", "created_at", "created_by", "updated_at", "updated_by", "version")
	memberTable = newTable("timebank_members", "member", 1,
		"id", "bank", "kind", "role", "status", "trusted", "name", "email", "phone", "email_key", "ward",
		"min_balance", "max_balance", "joined_at", "left_at", "erased_at",
		"created_by", "updated_at", "updated_by", "version")
	listingTable = newTable("timebank_listings", "listing", 3,
		"id", "bank", "member", "kind", "category", "title", "description", "open",
		"created_at", "updated_at", "updated_by", "version")
	exchangeTable = newTable("timebank_exchanges", "exchange", 4,
		"id", "bank", "giver", "receiver", "minutes", "date", "category", "description", "listing",
		"status", "giver_confirmed_by", "giver_confirmed_at", "receiver_confirmed_by",
		"receiver_confirmed_at", "approved_by", "approved_at", "transfer", "reversal", "reason",
		"created_at", "created_by", "updated_at", "updated_by", "version")
)

// The record tables are package-level values built once from constants;
// they are never changed, so they are not state.

func bankArgs(b *timebank.Bank) []any {
	return []any{b.ID, b.Name, b.Parent, b.Organisation, b.Rounding, b.MinBalance, b.MaxBalance,
		string(b.Confirmation), b.CreatedAt, b.CreatedBy, b.UpdatedAt, b.UpdatedBy, b.Version}
}

func scanBank(row pgx.Row) (*timebank.Bank, error) {
	var b timebank.Bank
	err := row.Scan(&b.ID, &b.Name, &b.Parent, &b.Organisation, &b.Rounding, &b.MinBalance, &b.MaxBalance,
		&b.Confirmation, &b.CreatedAt, &b.CreatedBy, &b.UpdatedAt, &b.UpdatedBy, &b.Version)
	return &b, err
}

func memberArgs(m *timebank.Member) []any {
	return []any{m.ID, m.Bank, string(m.Kind), string(m.Role), string(m.Status), m.Trusted,
		m.Name, m.Email, m.Phone, timebankrec.EmailKey(m.Email), m.Ward, m.MinBalance, m.MaxBalance, m.JoinedAt, m.LeftAt, m.ErasedAt,
		m.CreatedBy, m.UpdatedAt, m.UpdatedBy, m.Version}
}

// memberCols are the columns scanMember reads: memberTable's without
// email_key, which only the unique index uses.
var memberCols = strings.Replace(memberTable.list, ", email_key", "", 1)

func scanMember(row pgx.Row) (*timebank.Member, error) {
	var m timebank.Member
	err := row.Scan(&m.ID, &m.Bank, &m.Kind, &m.Role, &m.Status, &m.Trusted,
		&m.Name, &m.Email, &m.Phone, &m.Ward, &m.MinBalance, &m.MaxBalance, &m.JoinedAt, &m.LeftAt, &m.ErasedAt,
		&m.CreatedBy, &m.UpdatedAt, &m.UpdatedBy, &m.Version)
	return &m, err
}

func listingArgs(l *timebank.Listing) []any {
	return []any{l.ID, l.Bank, l.Member, string(l.Kind), l.Category, l.Title, l.Description, l.Open,
		l.CreatedAt, l.UpdatedAt, l.UpdatedBy, l.Version}
}

func scanListing(row pgx.Row) (*timebank.Listing, error) {
	var l timebank.Listing
	err := row.Scan(&l.ID, &l.Bank, &l.Member, &l.Kind, &l.Category, &l.Title, &l.Description, &l.Open,
		&l.CreatedAt, &l.UpdatedAt, &l.UpdatedBy, &l.Version)
	return &l, err
}

// stamp splits a *Stamp into nullable columns: a nil stamp is two NULLs.
func stamp(s *timebank.Stamp) (by *string, at *time.Time) {
	if s == nil {
		return nil, nil
	}
	return &s.By, &s.At
}

// unstamp joins nullable columns back into a *Stamp.
func unstamp(by *string, at *time.Time) *timebank.Stamp {
	if by == nil {
		return nil
	}
	s := &timebank.Stamp{By: *by}
	if at != nil {
		s.At = *at
	}
	return s
}

func exchangeArgs(e *timebank.Exchange) []any {
	gb, ga := stamp(e.GiverConfirmed)
	rb, ra := stamp(e.ReceiverConfirmed)
	ab, aa := stamp(e.Approved)
	return []any{e.ID, e.Bank, e.Giver, e.Receiver, e.Minutes, e.Date, e.Category, e.Description, e.Listing,
		string(e.Status), gb, ga, rb, ra, ab, aa, e.Transfer, e.Reversal, e.Reason,
		e.CreatedAt, e.CreatedBy, e.UpdatedAt, e.UpdatedBy, e.Version}
}

func scanExchange(row pgx.Row) (*timebank.Exchange, error) {
	var (
		e          timebank.Exchange
		gb, rb, ab *string
		ga, ra, aa *time.Time
	)
	err := row.Scan(&e.ID, &e.Bank, &e.Giver, &e.Receiver, &e.Minutes, &e.Date, &e.Category, &e.Description, &e.Listing,
		&e.Status, &gb, &ga, &rb, &ra, &ab, &aa, &e.Transfer, &e.Reversal, &e.Reason,
		&e.CreatedAt, &e.CreatedBy, &e.UpdatedAt, &e.UpdatedBy, &e.Version)
	e.GiverConfirmed = unstamp(gb, ga)
	e.ReceiverConfirmed = unstamp(rb, ra)
	e.Approved = unstamp(ab, aa)
	return &e, err
}

const accountCols = "id, bank, kind, balance, last_at"

func scanAccount(row pgx.Row) (*timebank.Account, error) {
	var (
		a    timebank.Account
		last *time.Time
	)
	err := row.Scan(&a.ID, &a.Bank, &a.Kind, &a.Balance, &last)
	if last != nil {
		a.LastAt = *last
	}
	return &a, err
}

const eventCols = "seq, bank, at, actor, action, subject, note"

func scanEvent(row pgx.Row) (timebank.Event, error) {
	var e timebank.Event
	err := row.Scan(&e.Seq, &e.Bank, &e.At, &e.Actor, &e.Action, &e.Subject, &e.Note)
	return e, err
}

// query builds a SELECT with optional conditions and paging.
type query struct {
	where []string
	args  []any
}

// arg adds a parameter and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// and adds a condition; build it with q.arg.
func (q *query) and(cond string) { q.where = append(q.where, cond) }

// sql returns "base WHERE … ORDER BY order LIMIT … OFFSET …".
func (q *query) sql(base, order string, offset, limit int) string {
	var s strings.Builder
	s.WriteString(base)
	if len(q.where) > 0 {
		s.WriteString(" WHERE ")
		s.WriteString(strings.Join(q.where, " AND "))
	}
	s.WriteString(" ORDER BY ")
	s.WriteString(order)
	if limit > 0 {
		s.WriteString(" LIMIT " + q.arg(int64(limit)))
	}
	if offset > 0 {
		s.WriteString(" OFFSET " + q.arg(int64(offset)))
	}
	return s.String()
}

// foldEmailKeys gives every member whose email holds a character outside
// ASCII the key timebankrec.EmailKey folds in Go: migration 0019 folded
// with SQL's lower(), which under the "C" collation folds only ASCII. It
// reads only such rows; a row already right is left alone. A row whose
// folded key another member of its network holds (two addresses that
// differed only in case before 0019) keeps its old key, and the Service's
// own check still treats the two as one address.
func (db *DB) foldEmailKeys(ctx context.Context) error {
	rows, err := db.pool.Query(ctx, `SELECT id, email, email_key FROM timebank_members
		WHERE email_key <> '' AND email ~ '[^[:ascii:]]'`)
	if err != nil {
		return fmt.Errorf("postgres: fold email keys: %w", err)
	}
	type fix struct{ id, email, key string }
	var fixes []fix
	for rows.Next() {
		var id, email, key string
		if err := rows.Scan(&id, &email, &key); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: fold email keys: %w", err)
		}
		if k := timebankrec.EmailKey(email); k != key {
			fixes = append(fixes, fix{id, email, k})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: fold email keys: %w", err)
	}
	for _, f := range fixes {
		_, err := db.pool.Exec(ctx, `UPDATE timebank_members SET email_key = $1 WHERE id = $2 AND email = $3`, f.key, f.id, f.email)
		if code, _ := pgCode(err); err != nil && code != "23505" {
			return fmt.Errorf("postgres: fold email key of member %s: %w", f.id, err)
		}
	}
	return nil
}
