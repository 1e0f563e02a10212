package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/internal/outcomesrec"
	"github.com/strongertogether/community/outcomes"
)

// OutcomesStore is the PostgreSQL outcomes.Store. Frameworks, indicators
// and stories are stored whole as JSON records (adapters/internal/
// outcomesrec, with a format version) beside the columns lists use;
// every measurement revision is a row, the current one flagged. A batch's
// measurements are sent in one pipelined round trip. Concurrent writers
// are kept apart by row locks: an update names the version (or revision)
// it replaces, so of two racing writers the second finds it gone.
type OutcomesStore struct {
	db *DB
}

var _ outcomes.Store = (*OutcomesStore)(nil)

// NewOutcomesStore returns an outcomes.Store backed by db. Several stores
// may share one DB.
func NewOutcomesStore(db *DB) *OutcomesStore { return &OutcomesStore{db: db} }

// Apply writes b atomically: see outcomes.Store.
func (s *OutcomesStore) Apply(ctx context.Context, b *outcomes.Batch) error {
	if err := s.apply(ctx, b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

func (s *OutcomesStore) apply(ctx context.Context, b *outcomes.Batch) error {
	if b == nil {
		return &outcomes.FieldError{Field: "Batch", Reason: "is nil"}
	}
	for _, m := range b.Measurements {
		if m == nil || m.Indicator == "" || m.Area == "" || m.Period.IsZero() {
			return &outcomes.FieldError{Field: "Measurements", Reason: "a measurement has no indicator, area or period"}
		}
		if m.Revision < 1 {
			return fmt.Errorf("measurement %s: %w", m.Key(), &outcomes.FieldError{Field: "Revision", Reason: fmt.Sprintf("must be 1 or more, got %d", m.Revision)})
		}
	}
	tx, err := s.db.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if b.Key != "" {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM outcomes_receipts WHERE key = $1`, b.Key).Scan(&n); err != nil {
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
		if _, err := tx.Exec(ctx, `INSERT INTO outcomes_admins (actor, granted_at, granted_by) VALUES ($1, $2, $3)`,
			a.Actor, a.GrantedAt, a.GrantedBy); err != nil {
			if code, _ := pgCode(err); code == uniqueViolation {
				return fmt.Errorf("administrator %s exists: %w", a.Actor, outcomes.ErrConflict)
			}
			return outcomeErr(err)
		}
	}
	for _, f := range b.Frameworks {
		body, err := outcomesrec.EncodeFramework(f)
		if err != nil {
			return err
		}
		if err := outcomePut(ctx, tx, "outcomes_frameworks", "framework", f.ID, f.Version, body, nil, nil); err != nil {
			return err
		}
	}
	for _, x := range b.Indicators {
		body, err := outcomesrec.EncodeIndicator(x)
		if err != nil {
			return err
		}
		if err := outcomePut(ctx, tx, "outcomes_indicators", "indicator", x.ID, x.Version, body,
			[]string{"framework"}, []any{x.Framework}); err != nil {
			return err
		}
	}
	if err := s.revise(ctx, tx, b.Measurements); err != nil {
		return err
	}
	for _, x := range b.Stories {
		tags := append([]string{}, x.Tags...)
		body, err := outcomesrec.EncodeStory(x)
		if err != nil {
			return err
		}
		if err := outcomePut(ctx, tx, "outcomes_stories", "story", x.ID, x.Version, body,
			[]string{"framework", "indicator", "status", "date", "tags"},
			[]any{x.Framework, x.Indicator, string(x.Status), x.Date, tags}); err != nil {
			return err
		}
	}
	for _, subject := range b.EraseNotes {
		if _, err := tx.Exec(ctx, `UPDATE outcomes_events SET note = '' WHERE subject = $1`, subject); err != nil {
			return outcomeErr(err)
		}
	}
	for _, e := range b.Events {
		if _, err := tx.Exec(ctx, `INSERT INTO outcomes_events (framework, at, actor, action, subject, note) VALUES ($1, $2, $3, $4, $5, $6)`,
			e.Framework, e.At, e.Actor, e.Action, e.Subject, e.Note); err != nil {
			return err
		}
	}
	if b.Key != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO outcomes_receipts (key, hash, result, at) VALUES ($1, $2, $3, $4)`,
			b.Key, b.Hash, b.Result, b.At); err != nil {
			if code, _ := pgCode(err); code == uniqueViolation {
				return fmt.Errorf("key %q: %w", b.Key, outcomes.ErrDuplicateKey)
			}
			return outcomeErr(err)
		}
	}
	return outcomeErr(tx.Commit(ctx))
}

// outcomeErr turns a lost race into ErrConflict.
func outcomeErr(err error) error {
	switch code, _ := pgCode(err); code {
	case uniqueViolation, deadlockDetected, serializationFailure:
		return fmt.Errorf("%w: %w", outcomes.ErrConflict, err)
	}
	return err
}

// outcomePut creates (version 1) or replaces (version n, over n-1) a
// record stored as JSON with extra columns.
func outcomePut(ctx context.Context, tx pgx.Tx, table, kind, id string, version int64, body []byte, cols []string, vals []any) error {
	if id == "" {
		return &outcomes.FieldError{Field: kind, Reason: "a record has no id"}
	}
	if version < 1 {
		return fmt.Errorf("%s %s: %w", kind, id, &outcomes.FieldError{Field: "Version", Reason: fmt.Sprintf("must be 1 or more, got %d", version)})
	}
	args := append([]any{id, version, string(body)}, vals...)
	if version == 1 {
		q := "INSERT INTO " + table + " (id, version, body"
		marks := "$1, $2, $3"
		for i, c := range cols {
			q += ", " + c
			marks += fmt.Sprintf(", $%d", i+4)
		}
		if _, err := tx.Exec(ctx, q+") VALUES ("+marks+")", args...); err != nil {
			if code, _ := pgCode(err); code == uniqueViolation {
				return fmt.Errorf("%s %s exists: %w", kind, id, outcomes.ErrConflict)
			}
			return outcomeErr(err)
		}
		return nil
	}
	q := "UPDATE " + table + " SET version = $2, body = $3"
	for i, c := range cols {
		q += fmt.Sprintf(", %s = $%d", c, i+4)
	}
	q += fmt.Sprintf(" WHERE id = $1 AND version = $%d", len(cols)+4)
	tag, err := tx.Exec(ctx, q, append(args, version-1)...)
	if err != nil {
		return outcomeErr(err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var cur int64
	err = tx.QueryRow(ctx, "SELECT version FROM "+table+" WHERE id = $1", id).Scan(&cur)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s %s: %w", kind, id, outcomes.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%s %s is at version %d, not %d: %w", kind, id, cur, version-1, outcomes.ErrConflict)
}

// revise writes measurement revisions in one pipelined batch. Revision 1
// is a plain insert (the primary key refuses a second); revision n > 1
// moves the latest flag off revision n-1 and inserts only if it found it,
// in one statement, so a revision that does not follow changes no row and
// raises no error.
func (s *OutcomesStore) revise(ctx context.Context, tx pgx.Tx, ms []*outcomes.Measurement) error {
	if len(ms) == 0 {
		return nil
	}
	const cols = `indicator, area, period_start, period_type, revision, value, count, denominator, lower, upper,
		ci_method, source, note, recorded_at, recorded_by, latest`
	const vals = `$1::text, $2::text, $3::timestamptz, $4::text, $5::bigint, $6::text, $7::text, $8::text, $9::text, $10::text,
		$11::text, $12::text, $13::text, $14::timestamptz, $15::text, true`
	var pb pgx.Batch
	for _, m := range ms {
		args := []any{m.Indicator, m.Area, m.Period.Start, string(m.Period.Type), m.Revision, m.Value.String(),
			outcomeDec(m.Count), outcomeDec(m.Denominator), outcomeDec(m.Lower), outcomeDec(m.Upper),
			m.CIMethod, m.Source, m.Note, m.RecordedAt, m.RecordedBy}
		if m.Revision == 1 {
			pb.Queue(`INSERT INTO outcomes_measurements (`+cols+`) VALUES (`+vals+`)`, args...)
			continue
		}
		pb.Queue(`WITH prev AS (UPDATE outcomes_measurements SET latest = false
				WHERE indicator = $1 AND area = $2 AND period_start = $3 AND period_type = $4 AND revision = $5 - 1 AND latest
				RETURNING 1)
			INSERT INTO outcomes_measurements (`+cols+`) SELECT `+vals+` FROM prev`, args...)
	}
	br := tx.SendBatch(ctx, &pb)
	var failed *outcomes.Measurement
	var failErr error
	for _, m := range ms {
		tag, err := br.Exec()
		if err != nil {
			failed, failErr = m, err
			break
		}
		if tag.RowsAffected() != 1 {
			failed = m
			break
		}
	}
	if err := br.Close(); err != nil && failed == nil {
		return outcomeErr(err)
	}
	if failed == nil {
		return nil
	}
	k := failed.Key()
	if failErr != nil {
		if code, _ := pgCode(failErr); code == uniqueViolation {
			return fmt.Errorf("measurement %s revision %d exists: %w", k, failed.Revision, outcomes.ErrConflict)
		}
		return outcomeErr(failErr)
	}
	// Revision n-1 was not the latest: is there any revision at all? (If
	// a later statement of the pipeline failed, the transaction cannot
	// answer, and the batch lost a race anyway.)
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM outcomes_measurements
		WHERE indicator = $1 AND area = $2 AND period_start = $3 AND period_type = $4`,
		k.Indicator, k.Area, k.Period.Start, string(k.Period.Type)).Scan(&n); err != nil {
		return fmt.Errorf("measurement %s: revision %d does not follow: %w", k, failed.Revision, outcomes.ErrConflict)
	}
	if n == 0 {
		return fmt.Errorf("measurement %s: %w", k, outcomes.ErrNotFound)
	}
	return fmt.Errorf("measurement %s: revision %d does not follow the latest: %w", k, failed.Revision, outcomes.ErrConflict)
}

func outcomeDec(d *decimal.Decimal) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// Framework returns the framework with the given id.
func (s *OutcomesStore) Framework(ctx context.Context, id string) (*outcomes.Framework, error) {
	return outcomeOne(ctx, s, `SELECT body FROM outcomes_frameworks WHERE id = $1`, id, "framework", outcomesrec.DecodeFramework)
}

// Frameworks returns frameworks ordered by id.
func (s *OutcomesStore) Frameworks(ctx context.Context, f outcomes.FrameworkFilter) ([]*outcomes.Framework, error) {
	return outcomeList(ctx, s, `SELECT body FROM outcomes_frameworks ORDER BY id COLLATE "C" LIMIT $1 OFFSET $2`,
		[]any{outcomeLimit(f.Limit), max(f.Offset, 0)}, outcomesrec.DecodeFramework)
}

// Indicator returns the indicator with the given id.
func (s *OutcomesStore) Indicator(ctx context.Context, id string) (*outcomes.Indicator, error) {
	return outcomeOne(ctx, s, `SELECT body FROM outcomes_indicators WHERE id = $1`, id, "indicator", outcomesrec.DecodeIndicator)
}

// Indicators returns indicators ordered by id.
func (s *OutcomesStore) Indicators(ctx context.Context, f outcomes.IndicatorFilter) ([]*outcomes.Indicator, error) {
	var fw *string
	if f.Framework != nil {
		fw = f.Framework
	}
	return outcomeList(ctx, s, `SELECT body FROM outcomes_indicators WHERE ($1::text IS NULL OR framework = $1)
		ORDER BY id COLLATE "C" LIMIT $2 OFFSET $3`, []any{fw, outcomeLimit(f.Limit), max(f.Offset, 0)}, outcomesrec.DecodeIndicator)
}

// Story returns the story with the given id.
func (s *OutcomesStore) Story(ctx context.Context, id string) (*outcomes.Story, error) {
	return outcomeOne(ctx, s, `SELECT body FROM outcomes_stories WHERE id = $1`, id, "story", outcomesrec.DecodeStory)
}

// Stories returns stories ordered by Date, then id.
func (s *OutcomesStore) Stories(ctx context.Context, f outcomes.StoryFilter) ([]*outcomes.Story, error) {
	var status *string
	if f.Status != nil {
		st := string(*f.Status)
		status = &st
	}
	return outcomeList(ctx, s, `SELECT body FROM outcomes_stories
		WHERE ($1::text IS NULL OR framework = $1) AND ($2::text IS NULL OR indicator = $2)
		AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR $4 = ANY(tags))
		ORDER BY date, id COLLATE "C" LIMIT $5 OFFSET $6`,
		[]any{f.Framework, f.Indicator, status, f.Tag, outcomeLimit(f.Limit), max(f.Offset, 0)}, outcomesrec.DecodeStory)
}

// outcomeOne reads one JSON record by id.
func outcomeOne[T any](ctx context.Context, s *OutcomesStore, q, id, kind string, decode func([]byte) (*T, error)) (*T, error) {
	var body string
	err := s.db.pool.QueryRow(ctx, q, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
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
	rows, err := s.db.pool.Query(ctx, q, args...)
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

// outcomeLimit turns Limit 0 (no limit) into NULL, which LIMIT reads as
// none.
func outcomeLimit(l int) *int64 {
	if l <= 0 {
		return nil
	}
	n := int64(l)
	return &n
}

// outcomeCols are the measurement columns reads select, in scan order.
const outcomeCols = `indicator, area, period_start, period_type, revision, value, count, denominator, lower, upper,
	ci_method, source, note, recorded_at, recorded_by`

// Measurement returns the latest revision of a measurement.
func (s *OutcomesStore) Measurement(ctx context.Context, k outcomes.MeasurementKey) (*outcomes.Measurement, error) {
	ms, err := s.measurements(ctx, `SELECT `+outcomeCols+` FROM outcomes_measurements
		WHERE indicator = $1 AND area = $2 AND period_start = $3 AND period_type = $4 AND latest`,
		k.Indicator, k.Area, k.Period.Start, string(k.Period.Type))
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
		WHERE indicator = $1 AND area = $2 AND period_start = $3 AND period_type = $4 ORDER BY revision`,
		k.Indicator, k.Area, k.Period.Start, string(k.Period.Type))
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("measurement %s: %w", k, outcomes.ErrNotFound)
	}
	return ms, nil
}

// Measurements returns one revision per key, ordered by indicator, area
// and period start (byte order of ids, whatever the database collation).
func (s *OutcomesStore) Measurements(ctx context.Context, f outcomes.MeasurementFilter) ([]*outcomes.Measurement, error) {
	var inds, areas []string
	if len(f.Indicators) > 0 {
		inds = f.Indicators
	}
	if len(f.Areas) > 0 {
		areas = f.Areas
	}
	filter := `($1::text[] IS NULL OR m.indicator = ANY($1)) AND ($2::text[] IS NULL OR m.area = ANY($2))
		AND ($3::timestamptz IS NULL OR m.period_start >= $3) AND ($4::timestamptz IS NULL OR m.period_start < $4)`
	order := ` ORDER BY m.indicator COLLATE "C", m.area COLLATE "C", m.period_start, m.period_type LIMIT $5 OFFSET $6`
	// The statement is parsed afresh each time, with its description
	// (and so the binary result formats) cached, rather than prepared
	// once: PostgreSQL plans a prepared statement for its values five
	// times, then may switch to a generic plan, which for these optional
	// filters and LIMIT is a parallel scan and merge that took 0.9 s for
	// BenchmarkReport's 240,000 rows against 0.09 s for walking the
	// latest index in order.
	args := []any{pgx.QueryExecModeCacheDescribe, inds, areas, f.From, f.To, outcomeLimit(f.Limit), max(f.Offset, 0)}
	if f.AsOf == nil {
		return s.measurements(ctx, `SELECT `+outcomeCols+` FROM outcomes_measurements m WHERE m.latest AND `+filter+order, args...)
	}
	return s.measurements(ctx, `SELECT `+outcomeCols+` FROM (
		SELECT DISTINCT ON (indicator, area, period_start, period_type) * FROM outcomes_measurements
		WHERE recorded_at <= $7 ORDER BY indicator, area, period_start, period_type, revision DESC) m
		WHERE `+filter+order, append(args, *f.AsOf)...)
}

// measurements runs a measurement query. Rows are read raw (pgx's
// RawValues) rather than through Scan, which for a report's 240,000 rows
// cost more than the query: text columns are taken as bytes, integers and
// timestamps decoded from PostgreSQL's binary format, and repeated
// strings and decimals shared between rows.
func (s *OutcomesStore) measurements(ctx context.Context, q string, args ...any) ([]*outcomes.Measurement, error) {
	rows, err := s.db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var sc outcomeScan
	var out []*outcomes.Measurement
	for rows.Next() {
		m, err := sc.scan(rows.Conn().TypeMap(), rows.FieldDescriptions(), rows.RawValues())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
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

// dec parses a decimal column, sharing it with an earlier equal text.
func (sc *outcomeScan) dec(b []byte, what string) (decimal.Decimal, error) {
	if d, ok := sc.decs[string(b)]; ok {
		return d, nil
	}
	d, ok := outcomeFastDec(b)
	if !ok {
		var err error
		if d, err = decimal.NewFromString(string(b)); err != nil {
			return d, fmt.Errorf("measurement %s %q: %w", what, b, err)
		}
	}
	if sc.decs == nil {
		sc.decs = make(map[string]decimal.Decimal)
	}
	if len(sc.decs) < outcomeInterned {
		sc.decs[string(b)] = d
	}
	return d, nil
}

// y2k is PostgreSQL's epoch for binary timestamps, in Unix microseconds.
const y2k = 946_684_800_000_000

// int8 decodes a bigint column.
func outcomeInt8(tm *pgtype.Map, fd pgconn.FieldDescription, b []byte) (int64, error) {
	if fd.Format == pgx.BinaryFormatCode && fd.DataTypeOID == pgtype.Int8OID && len(b) == 8 {
		return int64(binary.BigEndian.Uint64(b)), nil
	}
	var v int64
	err := tm.Scan(fd.DataTypeOID, fd.Format, b, &v)
	return v, err
}

// timestamptz decodes a timestamptz column, in UTC.
func outcomeTime(tm *pgtype.Map, fd pgconn.FieldDescription, b []byte) (time.Time, error) {
	if fd.Format == pgx.BinaryFormatCode && fd.DataTypeOID == pgtype.TimestamptzOID && len(b) == 8 {
		v := int64(binary.BigEndian.Uint64(b))
		if v != math.MaxInt64 && v != math.MinInt64 { // not ±infinity
			return time.UnixMicro(y2k + v).UTC(), nil
		}
	}
	var t time.Time
	err := tm.Scan(fd.DataTypeOID, fd.Format, b, &t)
	return t.UTC(), err
}

// scan reads one row of outcomeCols.
func (sc *outcomeScan) scan(tm *pgtype.Map, fds []pgconn.FieldDescription, vals [][]byte) (*outcomes.Measurement, error) {
	if len(vals) != 15 || len(fds) != 15 {
		return nil, fmt.Errorf("measurement row has %d columns, not 15", len(vals))
	}
	if len(sc.block) == 0 {
		sc.block = make([]outcomeRow, outcomeBlock)
	}
	r := &sc.block[0]
	sc.block = sc.block[1:]
	m := &r.m
	var err error
	m.Indicator, m.Area = sc.str(vals[0], 0), sc.str(vals[1], 1)
	if m.Period.Start, err = outcomeTime(tm, fds[2], vals[2]); err != nil {
		return nil, fmt.Errorf("measurement period: %w", err)
	}
	m.Period.Type = outcomes.PeriodType(sc.str(vals[3], 2))
	if m.Revision, err = outcomeInt8(tm, fds[4], vals[4]); err != nil {
		return nil, fmt.Errorf("measurement revision: %w", err)
	}
	if m.Value, err = sc.dec(vals[5], "value"); err != nil {
		return nil, err
	}
	for j, p := range [4]**decimal.Decimal{&m.Count, &m.Denominator, &m.Lower, &m.Upper} {
		if vals[6+j] == nil {
			continue
		}
		if r.d[j], err = sc.dec(vals[6+j], outcomeDecNames[j]); err != nil {
			return nil, err
		}
		*p = &r.d[j]
	}
	m.CIMethod, m.Source, m.Note = sc.str(vals[10], 3), sc.str(vals[11], -1), string(vals[12])
	if m.RecordedAt, err = outcomeTime(tm, fds[13], vals[13]); err != nil {
		return nil, fmt.Errorf("measurement recorded at: %w", err)
	}
	m.RecordedBy = sc.str(vals[14], 4)
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
	rows, err := s.db.pool.Query(ctx, `SELECT actor, granted_at, granted_by FROM outcomes_admins ORDER BY actor COLLATE "C"`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outcomes.Admin
	for rows.Next() {
		var a outcomes.Admin
		if err := rows.Scan(&a.Actor, &a.GrantedAt, &a.GrantedBy); err != nil {
			return nil, err
		}
		a.GrantedAt = a.GrantedAt.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// Secret returns the database's secret for idempotency receipts.
func (s *OutcomesStore) Secret(ctx context.Context) ([]byte, error) { return s.db.receiptSecret(ctx) }

// Receipt returns what was recorded under an idempotency key.
func (s *OutcomesStore) Receipt(ctx context.Context, key string) (*outcomes.Receipt, error) {
	r := outcomes.Receipt{Key: key}
	err := s.db.pool.QueryRow(ctx, `SELECT hash, result, at FROM outcomes_receipts WHERE key = $1`, key).Scan(&r.Hash, &r.Result, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("receipt %q: %w", key, outcomes.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	r.At = r.At.UTC()
	return &r, nil
}

// Events returns the audit trail ordered by Seq.
func (s *OutcomesStore) Events(ctx context.Context, f outcomes.EventFilter) ([]outcomes.Event, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT seq, framework, at, actor, action, subject, note FROM outcomes_events
		WHERE ($1 = '' OR framework = $1) AND ($2 = '' OR subject = $2) ORDER BY seq LIMIT $3 OFFSET $4`,
		f.Framework, f.Subject, outcomeLimit(f.Limit), max(f.Offset, 0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outcomes.Event
	for rows.Next() {
		var e outcomes.Event
		if err := rows.Scan(&e.Seq, &e.Framework, &e.At, &e.Actor, &e.Action, &e.Subject, &e.Note); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
