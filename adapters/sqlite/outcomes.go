package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/strongertogether/community/adapters/internal/outcomesrec"
	"github.com/strongertogether/community/outcomes"
)

// OutcomesStore is the SQLite outcomes.Store. Frameworks, indicators and
// stories are stored whole as JSON records (adapters/internal/outcomesrec,
// with a format version) beside the columns lists use; every
// measurement revision is a row, the current one flagged, so a report
// walks the primary key in series order. Measurements are read on the
// store's own connections, without database/sql (see readPool).
type OutcomesStore struct {
	db *DB
}

var _ outcomes.Store = (*OutcomesStore)(nil)

// NewOutcomesStore returns an outcomes.Store backed by db. Several stores
// may share one DB.
func NewOutcomesStore(db *DB) *OutcomesStore {
	return &OutcomesStore{db: db}
}

// Apply writes b atomically: see outcomes.Store.
func (s *OutcomesStore) Apply(ctx context.Context, b *outcomes.Batch) error {
	if b == nil {
		return fmt.Errorf("apply batch: %w", &outcomes.FieldError{Field: "Batch", Reason: "is nil"})
	}
	err := s.db.write(ctx, func(tx *writeTx) error {
		if b.Key != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outcomes_receipts WHERE key = ?`, b.Key).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("key %q: %w", b.Key, outcomes.ErrDuplicateKey)
			}
		}
		for _, a := range b.Admins {
			if a.Actor == "" {
				return &outcomes.FieldError{Field: "Admins", Reason: "an administrator has no actor"}
			}
			if _, err := tx.exec(`INSERT INTO outcomes_admins (actor, granted_at, granted_by) VALUES (?, ?, ?)`,
				a.Actor, micros(a.GrantedAt), a.GrantedBy); err != nil {
				if isUnique(err) {
					return fmt.Errorf("administrator %s exists: %w", a.Actor, outcomes.ErrConflict)
				}
				return err
			}
		}
		for _, f := range b.Frameworks {
			body, err := outcomesrec.EncodeFramework(f)
			if err != nil {
				return err
			}
			if err := outcomePut(tx, "outcomes_frameworks", "framework", f.ID, f.Version, body, nil, nil); err != nil {
				return err
			}
		}
		for _, x := range b.Indicators {
			body, err := outcomesrec.EncodeIndicator(x)
			if err != nil {
				return err
			}
			if err := outcomePut(tx, "outcomes_indicators", "indicator", x.ID, x.Version, body,
				[]string{"framework"}, []any{x.Framework}); err != nil {
				return err
			}
		}
		for _, m := range b.Measurements {
			if err := outcomeRevise(tx, m); err != nil {
				return err
			}
		}
		for _, x := range b.Stories {
			tags, err := json.Marshal(append([]string{}, x.Tags...))
			if err != nil {
				return err
			}
			body, err := outcomesrec.EncodeStory(x)
			if err != nil {
				return err
			}
			if err := outcomePut(tx, "outcomes_stories", "story", x.ID, x.Version, body,
				[]string{"framework", "indicator", "status", "date", "tags"},
				[]any{x.Framework, x.Indicator, string(x.Status), micros(x.Date), string(tags)}); err != nil {
				return err
			}
		}
		for _, subject := range b.EraseNotes {
			if _, err := tx.exec(`UPDATE outcomes_events SET note = '' WHERE subject = ?`, subject); err != nil {
				return err
			}
		}
		if len(b.Events) > 0 {
			st, err := tx.stmt(`INSERT INTO outcomes_events (framework, at, actor, action, subject, note) VALUES (?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			for _, e := range b.Events {
				if _, err := st.ExecContext(ctx, e.Framework, micros(e.At), e.Actor, e.Action, e.Subject, e.Note); err != nil {
					return err
				}
			}
		}
		if err := tx.putReceipt("outcomes_receipts", b.Key, b.Hash, b.Result, b.At, outcomes.ErrDuplicateKey); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	if len(b.EraseNotes) > 0 || outcomeErases(b) {
		if err := s.db.scrub(ctx); err != nil {
			return fmt.Errorf("apply batch: %w", err)
		}
	}
	return nil
}

// outcomeErases reports whether b erases a story's text.
func outcomeErases(b *outcomes.Batch) bool {
	for _, st := range b.Stories {
		if st.Status == outcomes.StoryErased {
			return true
		}
	}
	return false
}

// outcomePut creates (version 1) or replaces (version n, over n-1) a
// record stored as JSON with extra columns.
func outcomePut(tx *writeTx, table, kind, id string, version int64, body []byte, cols []string, vals []any) error {
	if id == "" {
		return &outcomes.FieldError{Field: kind, Reason: "a record has no id"}
	}
	if version < 1 {
		return fmt.Errorf("%s %s: %w", kind, id, &outcomes.FieldError{Field: "Version", Reason: fmt.Sprintf("must be 1 or more, got %d", version)})
	}
	if version == 1 {
		q := "INSERT INTO " + table + " (id, version, body"
		for _, c := range cols {
			q += ", " + c
		}
		q += ") VALUES (?, ?, ?" + strings.Repeat(", ?", len(cols)) + ")"
		st, err := tx.stmt(q)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(tx.ctx, append([]any{id, version, string(body)}, vals...)...); err != nil {
			if isUnique(err) {
				return fmt.Errorf("%s %s exists: %w", kind, id, outcomes.ErrConflict)
			}
			return err
		}
		return nil
	}
	q := "UPDATE " + table + " SET version = ?, body = ?"
	for _, c := range cols {
		q += ", " + c + " = ?"
	}
	q += " WHERE id = ? AND version = ?"
	st, err := tx.stmt(q)
	if err != nil {
		return err
	}
	args := append(append([]any{version, string(body)}, vals...), id, version-1)
	res, err := st.ExecContext(tx.ctx, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var cur int64
	err = tx.QueryRowContext(tx.ctx, "SELECT version FROM "+table+" WHERE id = ?", id).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %s: %w", kind, id, outcomes.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%s %s is at version %d, not %d: %w", kind, id, cur, version-1, outcomes.ErrConflict)
}

// outcomeRevise writes a measurement revision, superseding the latest.
func outcomeRevise(tx *writeTx, m *outcomes.Measurement) error {
	if m == nil || m.Indicator == "" || m.Area == "" || m.Period.IsZero() {
		return &outcomes.FieldError{Field: "Measurements", Reason: "a measurement has no indicator, area or period"}
	}
	k := m.Key()
	if m.Revision < 1 {
		return fmt.Errorf("measurement %s: %w", k, &outcomes.FieldError{Field: "Revision", Reason: fmt.Sprintf("must be 1 or more, got %d", m.Revision)})
	}
	start, typ := micros(m.Period.Start), string(m.Period.Type)
	if m.Revision > 1 {
		st, err := tx.stmt(`UPDATE outcomes_measurements SET latest = 0
			WHERE indicator = ? AND area = ? AND period_start = ? AND period_type = ? AND revision = ? AND latest = 1`)
		if err != nil {
			return err
		}
		res, err := st.ExecContext(tx.ctx, m.Indicator, m.Area, start, typ, m.Revision-1)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			var cur sql.NullInt64
			if err := tx.QueryRowContext(tx.ctx, `SELECT max(revision) FROM outcomes_measurements
				WHERE indicator = ? AND area = ? AND period_start = ? AND period_type = ?`, m.Indicator, m.Area, start, typ).Scan(&cur); err != nil {
				return err
			}
			if !cur.Valid {
				return fmt.Errorf("measurement %s: %w", k, outcomes.ErrNotFound)
			}
			return fmt.Errorf("measurement %s is at revision %d, not %d: %w", k, cur.Int64, m.Revision-1, outcomes.ErrConflict)
		}
	}
	st, err := tx.stmt(`INSERT INTO outcomes_measurements (indicator, area, period_start, period_type, revision,
		value, count, denominator, lower, upper, ci_method, source, note, recorded_at, recorded_by, latest)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(tx.ctx, m.Indicator, m.Area, start, typ, m.Revision, m.Value.String(),
		outcomeDec(m.Count), outcomeDec(m.Denominator), outcomeDec(m.Lower), outcomeDec(m.Upper),
		m.CIMethod, m.Source, m.Note, micros(m.RecordedAt), m.RecordedBy); err != nil {
		if isUnique(err) {
			return fmt.Errorf("measurement %s revision %d exists: %w", k, m.Revision, outcomes.ErrConflict)
		}
		return err
	}
	return nil
}

func outcomeDec(d *decimal.Decimal) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// Framework returns the framework with the given id.
func (s *OutcomesStore) Framework(ctx context.Context, id string) (*outcomes.Framework, error) {
	return outcomeOne(ctx, s, `SELECT body FROM outcomes_frameworks WHERE id = ?`, id, "framework", outcomesrec.DecodeFramework)
}

// Frameworks returns frameworks ordered by id.
func (s *OutcomesStore) Frameworks(ctx context.Context, f outcomes.FrameworkFilter) ([]*outcomes.Framework, error) {
	return outcomeList(ctx, s, `SELECT body FROM outcomes_frameworks ORDER BY id LIMIT ? OFFSET ?`,
		[]any{outcomeLimit(f.Limit), max(f.Offset, 0)}, outcomesrec.DecodeFramework)
}

// Indicator returns the indicator with the given id.
func (s *OutcomesStore) Indicator(ctx context.Context, id string) (*outcomes.Indicator, error) {
	return outcomeOne(ctx, s, `SELECT body FROM outcomes_indicators WHERE id = ?`, id, "indicator", outcomesrec.DecodeIndicator)
}

// Indicators returns indicators ordered by id.
func (s *OutcomesStore) Indicators(ctx context.Context, f outcomes.IndicatorFilter) ([]*outcomes.Indicator, error) {
	q := `SELECT body FROM outcomes_indicators`
	var args []any
	if f.Framework != nil {
		q += ` WHERE framework = ?`
		args = append(args, *f.Framework)
	}
	q += ` ORDER BY id LIMIT ? OFFSET ?`
	return outcomeList(ctx, s, q, append(args, outcomeLimit(f.Limit), max(f.Offset, 0)), outcomesrec.DecodeIndicator)
}

// Story returns the story with the given id.
func (s *OutcomesStore) Story(ctx context.Context, id string) (*outcomes.Story, error) {
	return outcomeOne(ctx, s, `SELECT body FROM outcomes_stories WHERE id = ?`, id, "story", outcomesrec.DecodeStory)
}

// Stories returns stories ordered by Date, then id.
func (s *OutcomesStore) Stories(ctx context.Context, f outcomes.StoryFilter) ([]*outcomes.Story, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Framework != nil {
		add("framework = ?", *f.Framework)
	}
	if f.Indicator != nil {
		add("indicator = ?", *f.Indicator)
	}
	if f.Status != nil {
		add("status = ?", string(*f.Status))
	}
	if f.Tag != nil {
		add("EXISTS (SELECT 1 FROM json_each(outcomes_stories.tags) WHERE value = ?)", *f.Tag)
	}
	q := `SELECT body FROM outcomes_stories`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY date, id LIMIT ? OFFSET ?`
	return outcomeList(ctx, s, q, append(args, outcomeLimit(f.Limit), max(f.Offset, 0)), outcomesrec.DecodeStory)
}

// outcomeOne reads one JSON record by id.
func outcomeOne[T any](ctx context.Context, s *OutcomesStore, q, id, kind string, decode func([]byte) (*T, error)) (*T, error) {
	st, err := s.db.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	var body string
	err = st.QueryRowContext(ctx, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s %s: %w", kind, id, outcomes.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	x, err := decode([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return x, nil
}

// outcomeList reads JSON records.
func outcomeList[T any](ctx context.Context, s *OutcomesStore, q string, args []any, decode func([]byte) (*T, error)) ([]*T, error) {
	st, err := s.db.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		x, err := decode([]byte(body))
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// outcomeLimit turns Limit 0 (no limit) into SQLite's -1.
func outcomeLimit(l int) int {
	if l <= 0 {
		return -1
	}
	return l
}

// Measurement reads run on the store's own SQLite connections, driven
// directly through modernc.org/sqlite/lib like the writer (see conn), not
// through database/sql. A report reads every measurement of a framework
// (240,000 rows in BenchmarkReport), and per row and column database/sql
// and the driver lock, convert and allocate: that read took about 1.1 s
// on one connection, of which SQLite's own work was about 0.2 s; read
// directly, with strings and decimals shared between rows (outcomeScan),
// it takes about 0.3 s.

// outcomeCols are the measurement columns reads select, in scan order.
const outcomeCols = `indicator, area, period_start, period_type, revision, recorded_at,
	value, count, denominator, lower, upper, ci_method, source, recorded_by, note`

// Measurement returns the latest revision of a measurement.
func (s *OutcomesStore) Measurement(ctx context.Context, k outcomes.MeasurementKey) (*outcomes.Measurement, error) {
	ms, err := s.measurements(ctx, `SELECT `+outcomeCols+` FROM outcomes_measurements
		WHERE indicator = ? AND area = ? AND period_start = ? AND period_type = ? AND latest = 1`,
		k.Indicator, k.Area, micros(k.Period.Start), string(k.Period.Type))
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("measurement %s: %w", k, outcomes.ErrNotFound)
	}
	return ms[0], nil
}

// Revisions returns every revision of a measurement, oldest first.
func (s *OutcomesStore) Revisions(ctx context.Context, k outcomes.MeasurementKey) ([]*outcomes.Measurement, error) {
	ms, err := s.measurements(ctx, `SELECT `+outcomeCols+` FROM outcomes_measurements
		WHERE indicator = ? AND area = ? AND period_start = ? AND period_type = ? ORDER BY revision`,
		k.Indicator, k.Area, micros(k.Period.Start), string(k.Period.Type))
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("measurement %s: %w", k, outcomes.ErrNotFound)
	}
	return ms, nil
}

// Measurements returns one revision per key, ordered by indicator, area
// and period start. Lists are passed as JSON so that every filter has one
// statement shape. The list is read by one statement, so from one
// snapshot: a batch applied meanwhile is in it whole or not at all.
func (s *OutcomesStore) Measurements(ctx context.Context, f outcomes.MeasurementFilter) ([]*outcomes.Measurement, error) {
	var where []string
	var args []any
	if f.AsOf == nil {
		where = append(where, "m.latest = 1")
	} else {
		where = append(where, `m.recorded_at <= ? AND NOT EXISTS (SELECT 1 FROM outcomes_measurements n
			WHERE n.indicator = m.indicator AND n.area = m.area AND n.period_start = m.period_start
			AND n.period_type = m.period_type AND n.revision > m.revision AND n.recorded_at <= ?)`)
		args = append(args, micros(*f.AsOf), micros(*f.AsOf))
	}
	if len(f.Indicators) > 0 {
		list, _ := json.Marshal(f.Indicators)
		where = append(where, "m.indicator IN (SELECT value FROM json_each(?))")
		args = append(args, string(list))
	}
	if len(f.Areas) > 0 {
		list, _ := json.Marshal(f.Areas)
		where = append(where, "m.area IN (SELECT value FROM json_each(?))")
		args = append(args, string(list))
	}
	if f.From != nil {
		where = append(where, "m.period_start >= ?")
		args = append(args, micros(*f.From))
	}
	if f.To != nil {
		where = append(where, "m.period_start < ?")
		args = append(args, micros(*f.To))
	}
	q := `SELECT ` + outcomeCols + ` FROM outcomes_measurements m WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY m.indicator, m.area, m.period_start, m.period_type LIMIT ? OFFSET ?`
	return s.measurements(ctx, q, append(args, outcomeLimit(f.Limit), max(f.Offset, 0))...)
}

// measurements runs a measurement query.
func (s *OutcomesStore) measurements(ctx context.Context, q string, args ...any) ([]*outcomes.Measurement, error) {
	var sc outcomeScan
	var out []*outcomes.Measurement
	err := s.db.reads.query(ctx, q, args, func(st *stmt) error {
		m, err := sc.scan(st)
		if err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// outcomeScan turns rows of outcomeCols into measurements. Repeated
// strings (ids, areas, methods, sources, recorders) and decimals are
// shared rather than allocated per row — a decimal.Decimal is immutable,
// and Measurement.Clone shares its big.Int the same way — and each
// measurement is allocated with its four optional decimals, in blocks.
type outcomeScan struct {
	strs  map[string]string
	decs  map[string]decimal.Decimal
	prev  [5]string // the last indicator, area, period type, method and recorder
	block []outcomeRow
}

// outcomeRow is a measurement with room for its optional decimals.
type outcomeRow struct {
	m outcomes.Measurement
	d [4]decimal.Decimal
}

// outcomeBlock is how many measurements are allocated at once.
const outcomeBlock = 256

// outcomeInterned bounds the strings and decimals one read shares.
const outcomeInterned = 1 << 16

// colBytes returns column i of st's current row; the bytes are valid
// until the next step. null is true for NULL.
func colBytes(st *stmt, i int) (b []byte, null bool) {
	p := sqlite3.Xsqlite3_column_text(st.c.tls, st.p, int32(i))
	if p == 0 {
		return nil, true
	}
	n := sqlite3.Xsqlite3_column_bytes(st.c.tls, st.p, int32(i))
	if n == 0 {
		return nil, false
	}
	return libc.GoBytes(p, int(n)), false
}

// str returns b as a string, shared with the last value of slot or with
// an earlier row.
func (sc *outcomeScan) str(b []byte, slot int) string {
	if len(b) == 0 {
		return ""
	}
	if slot >= 0 && sc.prev[slot] == string(b) {
		return sc.prev[slot]
	}
	v, ok := sc.strs[string(b)]
	if !ok {
		v = string(b)
		if sc.strs == nil {
			sc.strs = make(map[string]string)
		}
		if len(sc.strs) < outcomeInterned {
			sc.strs[v] = v
		}
	}
	if slot >= 0 {
		sc.prev[slot] = v
	}
	return v
}

// dec parses column i, shared with an earlier equal text.
func (sc *outcomeScan) dec(st *stmt, i int, what string) (d decimal.Decimal, null bool, err error) {
	b, null := colBytes(st, i)
	if null {
		return d, true, nil
	}
	if d, ok := sc.decs[string(b)]; ok {
		return d, false, nil
	}
	d, ok := outcomeFastDec(b)
	if !ok {
		if d, err = decimal.NewFromString(string(b)); err != nil {
			return d, false, fmt.Errorf("measurement %s %q: %w", what, b, err)
		}
	}
	if sc.decs == nil {
		sc.decs = make(map[string]decimal.Decimal)
	}
	if len(sc.decs) < outcomeInterned {
		sc.decs[string(b)] = d
	}
	return d, false, nil
}

// scan reads the current row of st.
func (sc *outcomeScan) scan(st *stmt) (*outcomes.Measurement, error) {
	if len(sc.block) == 0 {
		sc.block = make([]outcomeRow, outcomeBlock)
	}
	r := &sc.block[0]
	sc.block = sc.block[1:]
	m := &r.m
	b, _ := colBytes(st, 0)
	m.Indicator = sc.str(b, 0)
	b, _ = colBytes(st, 1)
	m.Area = sc.str(b, 1)
	m.Period.Start = fromMicros(st.colInt64(2))
	b, _ = colBytes(st, 3)
	m.Period.Type = outcomes.PeriodType(sc.str(b, 2))
	m.Revision = st.colInt64(4)
	m.RecordedAt = fromMicros(st.colInt64(5))
	v, _, err := sc.dec(st, 6, "value")
	if err != nil {
		return nil, err
	}
	m.Value = v
	for j, p := range [4]**decimal.Decimal{&m.Count, &m.Denominator, &m.Lower, &m.Upper} {
		d, null, err := sc.dec(st, 7+j, outcomeDecNames[j])
		if err != nil {
			return nil, err
		}
		if !null {
			r.d[j] = d
			*p = &r.d[j]
		}
	}
	b, _ = colBytes(st, 11)
	m.CIMethod = sc.str(b, 3)
	b, _ = colBytes(st, 12)
	m.Source = sc.str(b, -1)
	b, _ = colBytes(st, 13)
	m.RecordedBy = sc.str(b, 4)
	b, _ = colBytes(st, 14)
	m.Note = string(b)
	return m, nil
}

var outcomeDecNames = [4]string{"count", "denominator", "lower", "upper"}

// outcomeFastDec parses a plain decimal of up to 18 digits ("-1234.50")
// without the general parser's allocations; ok is false for anything else.
func outcomeFastDec(b []byte) (decimal.Decimal, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return decimal.Decimal{}, false
	}
	var m int64
	var exp int32
	digits, dot := 0, false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + int64(c-'0')
			digits++
			if dot {
				exp--
			}
		case c == '.' && !dot:
			dot = true
		default:
			return decimal.Decimal{}, false
		}
	}
	if digits == 0 || digits > 18 || b[len(b)-1] == '.' || b[0] == '.' {
		return decimal.Decimal{}, false
	}
	if neg {
		m = -m
	}
	return decimal.New(m, exp), true
}

// Admins returns the administrators, ordered by actor id.
func (s *OutcomesStore) Admins(ctx context.Context) ([]outcomes.Admin, error) {
	st, err := s.db.readStmt(ctx, `SELECT actor, granted_at, granted_by FROM outcomes_admins ORDER BY actor`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outcomes.Admin
	for rows.Next() {
		var a outcomes.Admin
		var at int64
		if err := rows.Scan(&a.Actor, &at, &a.GrantedBy); err != nil {
			return nil, err
		}
		a.GrantedAt = fromMicros(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Secret returns the database's secret for idempotency receipts.
func (s *OutcomesStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

// Receipt returns what was recorded under an idempotency key.
func (s *OutcomesStore) Receipt(ctx context.Context, key string) (*outcomes.Receipt, error) {
	st, err := s.db.readStmt(ctx, `SELECT hash, result, at FROM outcomes_receipts WHERE key = ?`)
	if err != nil {
		return nil, err
	}
	r := outcomes.Receipt{Key: key}
	var at int64
	err = st.QueryRowContext(ctx, key).Scan(&r.Hash, &r.Result, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("receipt %q: %w", key, outcomes.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	r.At = fromMicros(at)
	return &r, nil
}

// Events returns the audit trail ordered by Seq.
func (s *OutcomesStore) Events(ctx context.Context, f outcomes.EventFilter) ([]outcomes.Event, error) {
	st, err := s.db.readStmt(ctx, `SELECT seq, framework, at, actor, action, subject, note FROM outcomes_events
		WHERE (? = '' OR framework = ?) AND (? = '' OR subject = ?) ORDER BY seq LIMIT ? OFFSET ?`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, f.Framework, f.Framework, f.Subject, f.Subject, outcomeLimit(f.Limit), max(f.Offset, 0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outcomes.Event
	for rows.Next() {
		var e outcomes.Event
		var at int64
		if err := rows.Scan(&e.Seq, &e.Framework, &at, &e.Actor, &e.Action, &e.Subject, &e.Note); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
