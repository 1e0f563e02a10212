package timebank

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/strongertogether/community/internal/csvcell"
	"github.com/strongertogether/community/internal/csvrow"
)

// MaxImportRows and MaxImportBytes bound one import file. A larger file
// is refused whole, never cut short.
const (
	MaxImportRows  = 100_000
	MaxImportBytes = 64 << 20
)

// RowError is one problem in an import file.
type RowError struct {
	Line   int    // line of the file; 1 is the header
	Field  string // the column
	Reason string
}

// String describes the problem with its line and column.
func (e RowError) String() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
}

// ImportError lists every problem found in an import file. It wraps
// ErrInvalid. When it is returned nothing of the file was written.
type ImportError struct {
	Rows []RowError
}

// Error implements error, listing up to ten problems.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %d problem(s) in the file, nothing imported", ErrInvalid, len(e.Rows))
	for i, r := range e.Rows {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-10)
			break
		}
		b.WriteString("; " + r.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ImportError) Unwrap() error { return ErrInvalid }

// ImportColumns are the columns of an exchange import file. "date",
// "giver", "receiver" and one of "hours" or "minutes" are required. Members
// are named by id or by email address. Dates are YYYY-MM-DD or RFC 3339.
var ImportColumns = []string{"date", "giver", "receiver", "hours", "minutes", "category", "description"}

// row is one parsed line of an import file.
type row struct {
	line        int
	date        time.Time
	giver       string
	receiver    string
	minutes     int64
	category    string
	description string
}

// parseExchanges reads an import file without looking anything up: it
// checks each value's form and returns the rows and every problem.
func parseExchanges(r io.Reader, now time.Time) ([]row, []RowError) {
	rd, err := csvrow.NewReader(r, []string{"date", "giver", "receiver"}, []string{"hours", "minutes", "category", "description"}, MaxImportRows)
	if err != nil {
		return nil, []RowError{{Line: 1, Reason: err.Error()}}
	}
	if rd.Has("hours") == rd.Has("minutes") {
		return nil, []RowError{{Line: 1, Field: "hours", Reason: `give exactly one of the columns "hours" and "minutes"`}}
	}
	var rows []row
	for rec, ok := rd.Next(); ok; rec, ok = rd.Next() {
		x := row{line: rec.Line, giver: rec.Get("giver"), receiver: rec.Get("receiver"),
			category: normCategory(rec.Get("category")), description: rec.Get("description")}
		bad := len(rd.Problems)
		if d, err := parseDate(rec.Get("date")); err != nil {
			rec.Fail("date", "%v", err)
		} else if d.After(now) {
			rec.Fail("date", "%s is in the future", rec.Get("date"))
		} else {
			x.date = d
		}
		if x.giver == "" {
			rec.Fail("giver", "is required")
		}
		if x.receiver == "" {
			rec.Fail("receiver", "is required")
		}
		if x.giver != "" && strings.EqualFold(x.giver, x.receiver) {
			rec.Fail("receiver", "is the same member as the giver")
		}
		if rd.Has("hours") {
			x.minutes = parseHours(rec, "hours")
		} else if m, err := strconv.ParseInt(rec.Get("minutes"), 10, 64); err != nil {
			rec.Fail("minutes", "%q is not a whole number of minutes", rec.Get("minutes"))
		} else if m <= 0 || m > 24*60*366 {
			rec.Fail("minutes", "%d is not a positive number of minutes up to a year", m)
		} else {
			x.minutes = m
		}
		if len(x.category) > 100 {
			rec.Fail("category", "is longer than 100 characters")
		}
		if len(x.description) > 2000 {
			rec.Fail("description", "is longer than 2000 characters")
		}
		if len(rd.Problems) == bad {
			rows = append(rows, x)
		}
	}
	if len(rows) == 0 && len(rd.Problems) == 0 {
		rd.Add(1, "", "the file has no exchanges")
	}
	errs := make([]RowError, len(rd.Problems))
	for i, p := range rd.Problems {
		errs[i] = RowError(p)
	}
	return rows, errs
}

func parseHours(rec csvrow.Row, col string) int64 {
	h, err := decimal.NewFromString(rec.Get(col))
	if err != nil {
		rec.Fail(col, "%q is not a number of hours", rec.Get(col))
		return 0
	}
	m := h.Mul(decimal.New(MinutesPerCredit, 0))
	if !m.IsInteger() {
		rec.Fail(col, "%s hours is not a whole number of minutes", rec.Get(col))
		return 0
	}
	if !m.IsPositive() || m.GreaterThan(decimal.New(24*60*366, 0)) {
		rec.Fail(col, "%s is not a positive number of hours up to a year", rec.Get(col))
		return 0
	}
	return m.IntPart()
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("is required")
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return norm(t), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or RFC 3339)", s)
}

// ImportResult says what an import wrote.
type ImportResult struct {
	Exchanges int
	Minutes   int64
}

// ImportExchanges brings in the history of exchanges from an earlier system
// as confirmed exchanges of a bank network, paid in date order. The file is
// read whole and checked first: bad values, unknown members, members who
// had not joined by the date, amounts off the bank's rounding, dates before
// a member's latest posting, or balances the exchanges would take past a
// member's limits are all reported, each with its line, in an
// *ImportError, and then nothing is written. Only a coordinator may import.
// Errors: *ImportError (ErrInvalid), ErrNotFound, ErrForbidden.
func (s *Service) ImportExchanges(ctx context.Context, key, actor, bankID string, r io.Reader) (*ImportResult, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("import exchanges: read: %w", err)
	}
	if len(body) > MaxImportBytes {
		return nil, fmt.Errorf("import exchanges: %w", &ImportError{Rows: []RowError{{
			Line: 1, Reason: fmt.Sprintf("the file is larger than %d MiB; split it", MaxImportBytes>>20)}}})
	}
	res, err := write(ctx, s, key, "exchange.import", actor, struct {
		Bank string
		File []byte
	}{bankID, body}, func(now time.Time) (*Batch, string, error) {
		n, err := s.bankOf(ctx, bankID)
		if err != nil {
			return nil, "", err
		}
		coord, err := s.coordinator(ctx, actor, n.bank)
		if err != nil {
			return nil, "", err
		}
		rows, errs := parseExchanges(strings.NewReader(string(body)), now)
		dir, err := s.directory(ctx, n.root)
		if err != nil {
			return nil, "", err
		}
		b := &Batch{Bounds: map[string]Bounds{}}
		balance := map[string]*Account{}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].date.Before(rows[j].date) })
		var total int64
		for _, x := range rows {
			giver, giverClash := dir.find(x.giver)
			receiver, receiverClash := dir.find(x.receiver)
			fail := func(field, format string, args ...any) {
				errs = append(errs, RowError{Line: x.line, Field: field, Reason: fmt.Sprintf(format, args...)})
			}
			for _, p := range []struct {
				col   string
				m     *Member
				clash bool
			}{{"giver", giver, giverClash}, {"receiver", receiver, receiverClash}} {
				switch {
				case p.clash:
					fail(p.col, "the email address is given by more than one member; name the member by id")
				case p.m == nil:
					fail(p.col, "no member of this time bank network has that id or email address")
				case p.m.JoinedAt.After(x.date):
					fail(p.col, "member %s joined on %s, after the exchange", p.m.ID, p.m.JoinedAt.Format("2006-01-02"))
				}
			}
			if giver == nil || receiver == nil {
				continue
			}
			if giver.ID == receiver.ID {
				fail("receiver", "is the same member as the giver")
				continue
			}
			gb, rb := dir.banks[giver.Bank], dir.banks[receiver.Bank]
			if !isCoordinatorOf(coord, rb) {
				fail("receiver", "member %s pays from bank %s, which you do not coordinate", receiver.ID, rb.ID)
				continue
			}
			if x.minutes%gb.Rounding != 0 {
				fail("minutes", "%d minutes is not a multiple of the bank's rounding (%d minutes)", x.minutes, gb.Rounding)
				continue
			}
			ok := true
			for _, p := range []struct {
				col   string
				m     *Member
				bank  *Bank
				delta int64
			}{{"receiver", receiver, rb, -x.minutes}, {"giver", giver, gb, x.minutes}} {
				a := balance[p.m.ID]
				if a == nil {
					if a, err = s.store.Account(ctx, p.m.ID); err != nil {
						return nil, "", err
					}
					balance[p.m.ID] = a
				}
				if x.date.Before(a.LastAt) {
					fail("date", "member %s has postings up to %s; history must be imported before later activity", p.m.ID, a.LastAt.Format("2006-01-02"))
					ok = false
					continue
				}
				bd := bounds(p.m, p.bank)
				b.Bounds[p.m.ID] = bd
				if !bd.Allows(a.Balance, p.delta) {
					fail(p.col, "member %s would go to %d minutes, past their limit", p.m.ID, a.Balance+p.delta)
					ok = false
					continue
				}
			}
			if !ok {
				continue
			}
			balance[receiver.ID].Balance -= x.minutes
			balance[giver.ID].Balance += x.minutes
			ex := &Exchange{
				ID: s.newID("exc", now), Bank: gb.ID, Giver: giver.ID, Receiver: receiver.ID, Minutes: x.minutes,
				Date: x.date, Category: x.category, Description: x.description, Status: Confirmed,
				Approved: &Stamp{By: actor, At: now}, CreatedAt: now, CreatedBy: actor, UpdatedAt: now, UpdatedBy: actor, Version: 1,
			}
			t := &Transfer{
				ID: s.newID("tr", now), Bank: gb.ID, Kind: KindExchange, At: x.date, Actor: actor, Exchange: ex.ID, Memo: x.category,
				Postings: []Posting{{Account: receiver.ID, Amount: -x.minutes}, {Account: giver.ID, Amount: x.minutes}},
			}
			ex.Transfer = t.ID
			b.Exchanges = append(b.Exchanges, ex)
			b.Transfers = append(b.Transfers, t)
			total += x.minutes
		}
		if len(errs) > 0 {
			sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
			return nil, "", &ImportError{Rows: errs}
		}
		b.Events = []Event{event(n.bank.ID, now, actor, "exchange.import", n.bank.ID, fmt.Sprintf("%d exchanges, %d minutes", len(b.Exchanges), total))}
		return b, fmt.Sprintf("%d %d", len(b.Exchanges), total), nil
	}, func(_ context.Context, result string) (*ImportResult, error) {
		var r ImportResult
		_, err := fmt.Sscanf(result, "%d %d", &r.Exchanges, &r.Minutes)
		return &r, err
	})
	if err != nil {
		return nil, fmt.Errorf("import exchanges into %s: %w", bankID, err)
	}
	return res, nil
}

// directory is the members and banks of a network, found by id or email.
// An email that more than one member gives finds none of them.
type directory struct {
	byRef map[string]*Member
	banks map[string]*Bank
}

// ambiguous stands in the directory for an email several members share.
var ambiguous = &Member{}

func (d directory) find(ref string) (m *Member, clash bool) {
	m = d.byRef[strings.ToLower(ref)]
	if m == ambiguous {
		return nil, true
	}
	return m, false
}

func (d directory) add(ref string, m *Member) {
	ref = strings.ToLower(ref)
	if prev, ok := d.byRef[ref]; ok && prev != m {
		d.byRef[ref] = ambiguous
		return
	}
	d.byRef[ref] = m
}

func (s *Service) directory(ctx context.Context, root string) (directory, error) {
	d := directory{byRef: map[string]*Member{}, banks: map[string]*Bank{}}
	rb, err := s.store.Bank(ctx, root)
	if err != nil {
		return d, err
	}
	minis, err := s.store.Banks(ctx, BankFilter{Parent: &root})
	if err != nil {
		return d, err
	}
	for _, b := range append([]*Bank{rb}, minis...) {
		d.banks[b.ID] = b
		ms, err := s.store.Members(ctx, MemberFilter{Bank: &b.ID})
		if err != nil {
			return d, err
		}
		for _, m := range ms {
			d.byRef[strings.ToLower(m.ID)] = m
		}
		for _, m := range ms {
			if m.Email != "" && d.byRef[strings.ToLower(m.Email)] != m {
				d.add(m.Email, m)
			}
		}
	}
	return d, nil
}

// StatementColumns are the columns ExportStatement writes.
var StatementColumns = []string{"date", "transfer", "kind", "memo", "minutes", "hours", "balance_minutes", "balance_hours"}

// ExportStatement writes an account's statement for From ≤ At < To as CSV
// (StatementColumns), with an opening and a closing line. A zero To means
// now. Errors: ErrNotFound, ErrInvalid, or the writer's error.
func (s *Service) ExportStatement(ctx context.Context, w io.Writer, account string, from, to time.Time) error {
	st, err := s.Statement(ctx, account, from, to, 0, 0)
	if err != nil {
		return err
	}
	cw := csvcell.NewWriter(w) // every cell made safe to open in a spreadsheet
	_ = cw.Write(StatementColumns)
	line := func(at time.Time, tr, kind, memo string, amount, bal int64, withAmount bool) {
		date := ""
		if !at.IsZero() {
			date = at.Format(time.RFC3339)
		}
		a, h := "", ""
		if withAmount {
			a, h = strconv.FormatInt(amount, 10), Hours(amount).String()
		}
		_ = cw.Write([]string{date, tr, kind, memo, a, h, strconv.FormatInt(bal, 10), Hours(bal).String()})
	}
	line(st.From, "", "opening", "", 0, st.Opening, false)
	for _, e := range st.Entries {
		line(e.At, e.Transfer, string(e.Kind), e.Memo, e.Amount, e.Balance, true)
	}
	line(st.To, "", "closing", "", 0, st.Closing, false)
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export statement of %s: %w", account, err)
	}
	return nil
}
