package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/internal/grantsrec"
	"github.com/strongertogether/community/grants"
)

// GrantsStore is the SQLite grants.Store. Records are kept whole as JSON
// of adapters/internal/grantsrec's record types (tagged, with a format
// version) with the columns the lists filter on, in the grants_ tables;
// each fund's yearly totals (budget, income, committed, paid), its income
// lines (one per reference of the fund) and each
// application's commitment are kept in ledger tables that Apply checks and
// updates in the same write transaction as the records, so a budget can
// never be overcommitted however many approvals and budget changes arrive
// at once, nor an idea funded twice (writes are serialised on the DB's one
// writer connection).
type GrantsStore struct {
	db *DB
}

var _ grants.Store = (*GrantsStore)(nil)

// NewGrantsStore returns a grants.Store backed by db. Several stores may
// share one DB.
func NewGrantsStore(db *DB) *GrantsStore { return &GrantsStore{db: db} }

// grantRow is one versioned record as Apply writes it.
type grantRow struct {
	table   string
	what    string
	id      string
	version int64
	cols    []string // besides id, version and body
	vals    []any
	body    any
}

// Apply writes b atomically: see grants.Store.
func (s *GrantsStore) Apply(ctx context.Context, b *grants.Batch) error {
	if err := grantsrec.CheckBatch(b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	rows, err := grantRows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	err = s.db.write(ctx, func(tx *writeTx) error {
		if b.Key != "" {
			n, err := tx.count(`SELECT count(*) FROM grants_receipts WHERE key = ?`, b.Key)
			if err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("key %q: %w", b.Key, grants.ErrDuplicateKey)
			}
		}
		for _, r := range rows {
			if err := grantPut(tx, r); err != nil {
				return err
			}
		}
		for _, x := range b.Budgets {
			if err := grantBudgetSet(tx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Income {
			if err := grantIncome(tx, x); err != nil {
				return err
			}
		}
		for _, c := range b.Commits {
			if err := grantCommit(tx, c); err != nil {
				return err
			}
		}
		for _, p := range b.Pays {
			if err := grantPay(tx, p); err != nil {
				return err
			}
		}
		for _, e := range b.Events {
			if _, err := tx.exec(`INSERT INTO grants_events (fund, at, actor, action, subject, from_status, to_status, note, amount)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Fund, micros(e.At), e.Actor, e.Action, e.Subject, string(e.From), string(e.To), e.Note,
				grantsrec.EventAmount(e.Amount)); err != nil {
				return err
			}
		}
		for _, e := range b.Erasures {
			if _, err := tx.exec(`UPDATE grants_events SET note = '' WHERE subject = ?`, e.Application); err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE grants_ideas SET idea = ? WHERE application = ?`, e.Idea, e.Application); err != nil {
				return err
			}
		}
		if err := tx.putReceipt("grants_receipts", b.Key, b.Hash, b.Result, b.At, grants.ErrDuplicateKey); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	if len(b.Erasures) > 0 {
		// Leave no copy of what was erased in freed pages or the WAL.
		if err := s.db.scrub(ctx); err != nil {
			return fmt.Errorf("apply batch: %w", err)
		}
	}
	return nil
}

// Secret returns the database's secret for idempotency receipts: see
// grants.Store.
func (s *GrantsStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

// grantRows lists b's versioned records in the order they are written.
func grantRows(b *grants.Batch) ([]grantRow, error) {
	var rows []grantRow
	add := func(r grantRow) error {
		if r.id == "" {
			return &grants.FieldError{Field: "ID", Reason: r.what + " id is required"}
		}
		if r.version < 1 {
			return &grants.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s: version must be at least 1, got %d", r.what, r.id, r.version)}
		}
		rows = append(rows, r)
		return nil
	}
	for _, x := range b.Funds {
		if x == nil {
			return nil, &grants.FieldError{Field: "Funds", Reason: "nil fund"}
		}
		if err := add(grantRow{table: "grants_funds", what: "fund", id: x.ID, version: x.Version, body: x}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Rounds {
		if x == nil {
			return nil, &grants.FieldError{Field: "Rounds", Reason: "nil round"}
		}
		if err := add(grantRow{table: "grants_rounds", what: "round", id: x.ID, version: x.Version, body: x,
			cols: []string{"fund", "year", "opens"}, vals: []any{x.Fund, x.Year, micros(x.Opens)}}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Staff {
		if x == nil {
			return nil, &grants.FieldError{Field: "Staff", Reason: "nil staff"}
		}
		if err := add(grantRow{table: "grants_staff", what: "staff", id: x.ID, version: x.Version, body: x}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Applications {
		if x == nil {
			return nil, &grants.FieldError{Field: "Applications", Reason: "nil application"}
		}
		if err := add(grantRow{table: "grants_applications", what: "application", id: x.ID, version: x.Version, body: x,
			cols: []string{"fund", "round", "year", "owner", "idea", "status", "created_at"},
			vals: []any{x.Fund, x.Round, x.Year, x.Owner, x.Idea, string(x.Status), micros(x.CreatedAt)}}); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// grantPut creates r (Version 1) or replaces the stored record of
// Version-1.
func grantPut(tx *writeTx, r grantRow) error {
	body, err := grantsrec.Encode(r.body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.what, r.id, err)
	}
	cols := append([]string{"version", "body"}, r.cols...)
	vals := append([]any{r.version, string(body)}, r.vals...)
	if r.version == 1 {
		q := "INSERT INTO " + r.table + " (id, " + strings.Join(cols, ", ") + ") VALUES (?, " + placeholders(len(cols)) + ")"
		if _, err := tx.exec(q, append([]any{r.id}, vals...)...); err != nil {
			if isUnique(err) {
				return fmt.Errorf("create %s %s: %w", r.what, r.id, grants.ErrConflict)
			}
			return fmt.Errorf("create %s %s: %w", r.what, r.id, err)
		}
		return nil
	}
	q := "UPDATE " + r.table + " SET " + strings.Join(cols, " = ?, ") + " = ? WHERE id = ? AND version = ?"
	n, err := tx.exec(q, append(vals, r.id, r.version-1)...)
	if err != nil {
		return fmt.Errorf("update %s %s: %w", r.what, r.id, err)
	}
	if n == 1 {
		return nil
	}
	var stored int64
	found, err := grantQueryRow(tx, "SELECT version FROM "+r.table+" WHERE id = ?", []any{r.id}, func(s *stmt) { stored = s.colInt64(0) })
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("update %s %s: %w", r.what, r.id, grants.ErrNotFound)
	}
	return fmt.Errorf("update %s %s to version %d: stored version is %d: %w", r.what, r.id, r.version, stored, grants.ErrConflict)
}

// grantBudget reads a fund's ledger row for a year inside tx (zero if
// none).
func grantBudget(tx *writeTx, fund string, year int) (grants.Totals, error) {
	var b, i, c, p string
	found, err := grantQueryRow(tx, `SELECT budget, income, committed, paid FROM grants_budgets WHERE fund = ? AND year = ?`, []any{fund, year},
		func(s *stmt) { b, i, c, p = s.colText(0), s.colText(1), s.colText(2), s.colText(3) })
	if err != nil || !found {
		return grants.Totals{}, err
	}
	return grantTotals(b, i, c, p)
}

func grantTotals(b, i, c, p string) (t grants.Totals, err error) {
	if t.Budget, err = decimal.NewFromString(b); err != nil {
		return grants.Totals{}, err
	}
	if t.Income, err = decimal.NewFromString(i); err != nil {
		return grants.Totals{}, err
	}
	if t.Committed, err = decimal.NewFromString(c); err != nil {
		return grants.Totals{}, err
	}
	if t.Paid, err = decimal.NewFromString(p); err != nil {
		return grants.Totals{}, err
	}
	return t, nil
}

func grantSetBudget(tx *writeTx, fund string, year int, t grants.Totals) error {
	_, err := tx.exec(`INSERT INTO grants_budgets (fund, year, budget, income, committed, paid) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (fund, year) DO UPDATE SET budget = excluded.budget, income = excluded.income, committed = excluded.committed, paid = excluded.paid`,
		fund, year, t.Budget.String(), t.Income.String(), t.Committed.String(), t.Paid.String())
	return err
}

// grantIncome records x once per reference of its fund and adds it to the
// fund's ledger for its year, refusing a reversal that would leave the
// budget plus income below what is committed, inside tx.
func grantIncome(tx *writeTx, x *grants.Income) error {
	t, err := grantBudget(tx, x.Fund, x.Year)
	if err != nil {
		return err
	}
	t.Income = t.Income.Add(x.Amount)
	if x.Amount.IsNegative() && t.Budget.Add(t.Income).LessThan(t.Committed) {
		return fmt.Errorf("reverse income %s of fund %s for %d: budget %s and income %s would not cover the %s committed: %w",
			x.Amount.Neg(), x.Fund, x.Year, t.Budget, t.Income, t.Committed, grants.ErrOverdrawn)
	}
	if _, err := tx.exec(`INSERT INTO grants_income (id, fund, ref, year, source, amount, received, note, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, x.ID, x.Fund, x.Ref, x.Year, x.Source, x.Amount.String(), micros(x.Received), x.Note,
		micros(x.RecordedAt), x.RecordedBy); err != nil {
		if isUnique(err) {
			return fmt.Errorf("record income %s (%q of fund %s): the id or reference is recorded already: %w", x.ID, x.Ref, x.Fund, grants.ErrConflict)
		}
		return err
	}
	return grantSetBudget(tx, x.Fund, x.Year, t)
}

// grantBudgetSet sets a fund's budget for a year, refusing one below what
// is committed, inside tx.
func grantBudgetSet(tx *writeTx, x grants.BudgetSet) error {
	t, err := grantBudget(tx, x.Fund, x.Year)
	if err != nil {
		return err
	}
	if x.Amount.Add(t.Income).LessThan(t.Committed) {
		return fmt.Errorf("set budget of fund %s for %d to %s: with income of %s, %s is committed: %w", x.Fund, x.Year, x.Amount, t.Income, t.Committed, grants.ErrOverBudget)
	}
	t.Budget = x.Amount
	return grantSetBudget(tx, x.Fund, x.Year, t)
}

// grantCommitment reads an application's commitment inside tx.
func grantCommitment(tx *writeTx, app string) (fund string, year int, amount, paid decimal.Decimal, found bool, err error) {
	var a, p string
	found, err = grantQueryRow(tx, `SELECT fund, year, amount, paid FROM grants_commitments WHERE application = ?`, []any{app},
		func(s *stmt) { fund, year, a, p = s.colText(0), int(s.colInt64(1)), s.colText(2), s.colText(3) })
	if err != nil || !found {
		return "", 0, decimal.Zero, decimal.Zero, false, err
	}
	if amount, err = decimal.NewFromString(a); err != nil {
		return
	}
	paid, err = decimal.NewFromString(p)
	return fund, year, amount, paid, true, err
}

func grantCommit(tx *writeTx, c grants.Commit) error {
	fund, year, amount, paid, found, err := grantCommitment(tx, c.Application)
	if err != nil {
		return err
	}
	if found && (fund != c.Fund || year != c.Year) {
		return &grants.FieldError{Field: "Commits", Reason: fmt.Sprintf("application %s is committed in fund %s, %d", c.Application, fund, year)}
	}
	if c.Amount.LessThan(paid) {
		return fmt.Errorf("commit %s to application %s: %s is paid already: %w", c.Amount, c.Application, paid, grants.ErrOverpaid)
	}
	t, err := grantBudget(tx, c.Fund, c.Year)
	if err != nil {
		return err
	}
	total := t.Committed.Sub(amount).Add(c.Amount)
	if c.Amount.GreaterThan(amount) && total.GreaterThan(t.Budget.Add(t.Income)) {
		return fmt.Errorf("commit %s to application %s: fund %s would commit %s of its %s budget and %s income for %d: %w",
			c.Amount, c.Application, c.Fund, total, t.Budget, t.Income, c.Year, grants.ErrOverBudget)
	}
	t.Committed = total
	if err := grantSetBudget(tx, c.Fund, c.Year, t); err != nil {
		return err
	}
	if err := grantClaim(tx, c); err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO grants_commitments (application, fund, year, amount, paid) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (application) DO UPDATE SET amount = excluded.amount`, c.Application, c.Fund, c.Year, c.Amount.String(), paid.String())
	return err
}

func grantPay(tx *writeTx, p grants.Pay) error {
	fund, year, amount, paid, found, err := grantCommitment(tx, p.Application)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("pay application %s: nothing is committed to it: %w", p.Application, grants.ErrOverpaid)
	}
	if paid.Add(p.Amount).GreaterThan(amount) {
		return fmt.Errorf("pay %s to application %s: %s of %s is paid: %w", p.Amount, p.Application, paid, amount, grants.ErrOverpaid)
	}
	if _, err := tx.exec(`UPDATE grants_commitments SET paid = ? WHERE application = ?`, paid.Add(p.Amount).String(), p.Application); err != nil {
		return err
	}
	t, err := grantBudget(tx, fund, year)
	if err != nil {
		return err
	}
	t.Paid = t.Paid.Add(p.Amount)
	return grantSetBudget(tx, fund, year, t)
}

// grantClaim claims c's idea for its application, or releases the
// application's claim when c releases its commitment.
func grantClaim(tx *writeTx, c grants.Commit) error {
	if c.Amount.IsZero() {
		_, err := tx.exec(`DELETE FROM grants_ideas WHERE fund = ? AND application = ?`, c.Fund, c.Application)
		return err
	}
	if c.Idea == "" {
		return nil
	}
	var holder string
	found, err := grantQueryRow(tx, `SELECT application FROM grants_ideas WHERE fund = ? AND idea = ?`, []any{c.Fund, c.Idea},
		func(s *stmt) { holder = s.colText(0) })
	if err != nil {
		return err
	}
	if found && holder != c.Application {
		return fmt.Errorf("commit to application %s: fund %s funds the idea %q through application %s: %w",
			c.Application, c.Fund, c.Idea, holder, grants.ErrIdeaFunded)
	}
	if found {
		return nil
	}
	_, err = tx.exec(`INSERT INTO grants_ideas (fund, idea, application) VALUES (?, ?, ?)`, c.Fund, c.Idea, c.Application)
	return err
}

// grantQueryRow runs a one-row query in a write transaction; scan reads
// the row's columns. It reports whether there was a row.
func grantQueryRow(tx *writeTx, query string, args []any, scan func(s *stmt)) (bool, error) {
	s, err := tx.stmt(query)
	if err != nil {
		return false, err
	}
	if err := s.bind(args...); err != nil {
		return false, err
	}
	ok, err := s.next()
	if err != nil || !ok {
		return false, err
	}
	scan(s)
	s.reset()
	return true, nil
}

// grantRecord is a stored record type of grantsrec, whose Grants returns
// the domain's record.
type grantRecord[T any] interface {
	grantsrec.Fund | grantsrec.Round | grantsrec.Staff | grantsrec.Application
	Grants() *T
}

// grantOne reads one record's body.
func grantOne[R grantRecord[T], T any](ctx context.Context, db *DB, table, what, id string) (*T, error) {
	r, err := docOne[R](ctx, db, what+" "+id, grants.ErrNotFound, "SELECT body FROM "+table+" WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	return (*r).Grants(), nil
}

// grantMany reads the bodies a query returns.
func grantMany[R grantRecord[T], T any](ctx context.Context, db *DB, what, query string, args ...any) ([]*T, error) {
	rs, err := docMany[R](ctx, db, "list "+what, query, args...)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(rs))
	for i, r := range rs {
		out[i] = (*r).Grants()
	}
	return out, nil
}

// Fund returns a fund: see grants.Store.
func (s *GrantsStore) Fund(ctx context.Context, id string) (*grants.Fund, error) {
	return grantOne[grantsrec.Fund](ctx, s.db, "grants_funds", "fund", id)
}

// Funds lists funds: see grants.Store.
func (s *GrantsStore) Funds(ctx context.Context, f grants.FundFilter) ([]*grants.Fund, error) {
	return grantMany[grantsrec.Fund](ctx, s.db, "funds", "SELECT body FROM grants_funds ORDER BY id"+limitOffset(f.Limit, f.Offset))
}

// Round returns a round: see grants.Store.
func (s *GrantsStore) Round(ctx context.Context, id string) (*grants.Round, error) {
	return grantOne[grantsrec.Round](ctx, s.db, "grants_rounds", "round", id)
}

// Rounds lists rounds: see grants.Store.
func (s *GrantsStore) Rounds(ctx context.Context, f grants.RoundFilter) ([]*grants.Round, error) {
	var conds []string
	var args []any
	if f.Fund != "" {
		conds, args = append(conds, "fund = ?"), append(args, f.Fund)
	}
	if f.Year != 0 {
		conds, args = append(conds, "year = ?"), append(args, f.Year)
	}
	return grantMany[grantsrec.Round](ctx, s.db, "rounds", "SELECT body FROM grants_rounds"+grantWhere(conds)+
		" ORDER BY opens, id"+limitOffset(f.Limit, f.Offset), args...)
}

// Staff returns a member of staff: see grants.Store.
func (s *GrantsStore) Staff(ctx context.Context, id string) (*grants.Staff, error) {
	return grantOne[grantsrec.Staff](ctx, s.db, "grants_staff", "staff", id)
}

// StaffList lists staff: see grants.Store.
func (s *GrantsStore) StaffList(ctx context.Context, f grants.StaffFilter) ([]*grants.Staff, error) {
	return grantMany[grantsrec.Staff](ctx, s.db, "staff", "SELECT body FROM grants_staff ORDER BY id"+limitOffset(f.Limit, f.Offset))
}

// Application returns an application: see grants.Store.
func (s *GrantsStore) Application(ctx context.Context, id string) (*grants.Application, error) {
	return grantOne[grantsrec.Application](ctx, s.db, "grants_applications", "application", id)
}

// Applications lists applications: see grants.Store.
func (s *GrantsStore) Applications(ctx context.Context, f grants.ApplicationFilter) ([]*grants.Application, error) {
	var conds []string
	var args []any
	for col, v := range map[string]string{"fund": f.Fund, "round": f.Round, "owner": f.Owner, "idea": f.Idea} {
		if v != "" {
			conds, args = append(conds, col+" = ?"), append(args, v)
		}
	}
	if f.Year != 0 {
		conds, args = append(conds, "year = ?"), append(args, f.Year)
	}
	if len(f.Status) > 0 {
		conds = append(conds, "status IN ("+placeholders(len(f.Status))+")")
		for _, st := range f.Status {
			args = append(args, string(st))
		}
	}
	return grantMany[grantsrec.Application](ctx, s.db, "applications", "SELECT body FROM grants_applications"+grantWhere(conds)+
		" ORDER BY created_at, id"+limitOffset(f.Limit, f.Offset), args...)
}

func grantWhere(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// Totals returns a fund's committed and paid totals: see grants.Store.
func (s *GrantsStore) Totals(ctx context.Context, fund string, year int) (grants.Totals, error) {
	var b, i, c, p string
	err := s.db.reader.QueryRowContext(ctx, `SELECT budget, income, committed, paid FROM grants_budgets WHERE fund = ? AND year = ?`, fund, year).Scan(&b, &i, &c, &p)
	if errors.Is(err, sql.ErrNoRows) {
		return grants.Totals{}, nil
	}
	if err != nil {
		return grants.Totals{}, fmt.Errorf("totals of %s %d: %w", fund, year, err)
	}
	t, err := grantTotals(b, i, c, p)
	if err != nil {
		return grants.Totals{}, fmt.Errorf("totals of %s %d: %w", fund, year, err)
	}
	return t, nil
}

// Income lists a fund's income: see grants.Store.
func (s *GrantsStore) Income(ctx context.Context, f grants.IncomeFilter) ([]*grants.Income, error) {
	var conds []string
	var args []any
	if f.Fund != "" {
		conds, args = append(conds, "fund = ?"), append(args, f.Fund)
	}
	if f.Year != 0 {
		conds, args = append(conds, "year = ?"), append(args, f.Year)
	}
	if f.Ref != "" {
		conds, args = append(conds, "ref = ?"), append(args, f.Ref)
	}
	rows, err := s.db.reader.QueryContext(ctx, `SELECT id, fund, ref, year, source, amount, received, note, recorded_at, recorded_by
		FROM grants_income`+grantWhere(conds)+" ORDER BY received, id"+limitOffset(f.Limit, f.Offset), args...)
	if err != nil {
		return nil, fmt.Errorf("income: %w", err)
	}
	defer rows.Close()
	var out []*grants.Income
	for rows.Next() {
		var x grants.Income
		var amount string
		var received, recorded int64
		if err := rows.Scan(&x.ID, &x.Fund, &x.Ref, &x.Year, &x.Source, &amount, &received, &x.Note, &recorded, &x.RecordedBy); err != nil {
			return nil, fmt.Errorf("income: %w", err)
		}
		if x.Amount, err = decimal.NewFromString(amount); err != nil {
			return nil, fmt.Errorf("income %s: %w", x.ID, err)
		}
		x.Received, x.RecordedAt = fromMicros(received), fromMicros(recorded)
		out = append(out, &x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("income: %w", err)
	}
	return out, nil
}

// Receipt returns an idempotency receipt: see grants.Store.
func (s *GrantsStore) Receipt(ctx context.Context, key string) (*grants.Receipt, error) {
	var r grants.Receipt
	var at int64
	err := s.db.reader.QueryRowContext(ctx, `SELECT key, hash, result, at FROM grants_receipts WHERE key = ?`, key).Scan(&r.Key, &r.Hash, &r.Result, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("receipt %q: %w", key, grants.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("receipt %q: %w", key, err)
	}
	r.At = fromMicros(at)
	return &r, nil
}

// Events lists the audit trail: see grants.Store.
func (s *GrantsStore) Events(ctx context.Context, f grants.EventFilter) ([]grants.Event, error) {
	var conds []string
	var args []any
	if f.Fund != "" {
		conds, args = append(conds, "fund = ?"), append(args, f.Fund)
	}
	if f.Subject != "" {
		conds, args = append(conds, "subject = ?"), append(args, f.Subject)
	}
	if f.After > 0 {
		conds, args = append(conds, "seq > ?"), append(args, f.After)
	}
	rows, err := s.db.reader.QueryContext(ctx, `SELECT seq, fund, at, actor, action, subject, from_status, to_status, note, amount
		FROM grants_events`+grantWhere(conds)+" ORDER BY seq"+limitOffset(f.Limit, f.Offset), args...)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var out []grants.Event
	for rows.Next() {
		var e grants.Event
		var at int64
		var from, to, amount string
		if err := rows.Scan(&e.Seq, &e.Fund, &at, &e.Actor, &e.Action, &e.Subject, &from, &to, &e.Note, &amount); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		if e.Amount, err = grantsrec.ParseEventAmount(amount); err != nil {
			return nil, fmt.Errorf("events: event %d: %w", e.Seq, err)
		}
		e.At, e.From, e.To = fromMicros(at), grants.Status(from), grants.Status(to)
		out = append(out, e)
	}
	return out, rows.Err()
}
