package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

// Tests of the measurement read path (outcomeConns, outcomeScan): what the
// conformance suite does not reach.

func newReadTestStore(t *testing.T) (*DB, *OutcomesStore) {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "outcomes.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db, NewOutcomesStore(db)
}

// readTestSeries writes monthly measurements of indicator i1 for n
// periods in each of areas areas, all with the same count, denominator
// and interval.
func readTestSeries(t *testing.T, s *OutcomesStore, n, areas int) {
	t.Helper()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	first := outcomes.MustPeriod("2020-01")
	var ms []*outcomes.Measurement
	for a := range areas {
		for p := range n {
			c, d := decimal.RequireFromString("1030"), decimal.RequireFromString("2000")
			lo, hi := decimal.RequireFromString("49.31"), decimal.RequireFromString("53.68")
			ms = append(ms, &outcomes.Measurement{Indicator: "i1", Area: fmt.Sprintf("A%02d", a), Period: first.Add(int64(p)),
				Value: decimal.RequireFromString("51.50"), Count: &c, Denominator: &d, Lower: &lo, Upper: &hi,
				CIMethod: outcomes.MethodWilson, Revision: 1, RecordedAt: at, RecordedBy: "o"})
		}
	}
	require.NoError(t, s.Apply(t.Context(), &outcomes.Batch{Measurements: ms}))
}

// Rows share equal strings and decimals, but each measurement read has
// its own optional decimals: changing one changes no other, nor what is
// stored.
func TestOutcomeReadSharesNothingMutable(t *testing.T) {
	_, s := newReadTestStore(t)
	readTestSeries(t, s, 3, 1)
	ctx := t.Context()
	ms, err := s.Measurements(ctx, outcomes.MeasurementFilter{})
	require.NoError(t, err)
	require.Len(t, ms, 3)
	*ms[0].Count = decimal.RequireFromString("7")
	*ms[0].Upper = decimal.RequireFromString("99")
	ms[0].Value = ms[0].Value.Add(decimal.NewFromInt(1))
	for _, m := range ms[1:] {
		assert.Equal(t, "1030", m.Count.String())
		assert.Equal(t, "53.68", m.Upper.String())
		assert.Equal(t, "51.5", m.Value.String())
	}
	again, err := s.Measurements(ctx, outcomes.MeasurementFilter{})
	require.NoError(t, err)
	assert.Equal(t, "1030", again[0].Count.String())
	assert.Equal(t, "51.5", again[0].Value.String())
}

// A read whose context ends stops with the context's error, and the
// connection it interrupted serves the next read whole.
func TestOutcomeReadCancel(t *testing.T) {
	_, s := newReadTestStore(t)
	readTestSeries(t, s, 60, 50)
	q := `SELECT ` + outcomeCols + ` FROM outcomes_measurements ORDER BY period_start`
	for range 2 * cap(s.db.reads.sem) {
		ctx, cancel := context.WithCancel(t.Context())
		rows := 0
		err := s.db.reads.query(ctx, q, nil, func(*stmt) error {
			if rows++; rows == 5 {
				cancel()
			}
			return nil
		})
		cancel()
		assert.ErrorIs(t, err, context.Canceled)
		assert.LessOrEqual(t, rows, 1024)
		ms, err := s.Measurements(t.Context(), outcomes.MeasurementFilter{})
		require.NoError(t, err)
		assert.Len(t, ms, 3000)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Measurements(ctx, outcomes.MeasurementFilter{})
	assert.ErrorIs(t, err, context.Canceled)
}

// An error from a row ends the read and leaves the connection usable.
func TestOutcomeReadRowError(t *testing.T) {
	_, s := newReadTestStore(t)
	readTestSeries(t, s, 10, 1)
	boom := errors.New("boom")
	err := s.db.reads.query(t.Context(), `SELECT `+outcomeCols+` FROM outcomes_measurements`, nil,
		func(*stmt) error { return boom })
	assert.ErrorIs(t, err, boom)
	ms, err := s.Measurements(t.Context(), outcomes.MeasurementFilter{})
	require.NoError(t, err)
	assert.Len(t, ms, 10)
}

// Reads after Close fail; they do not reopen the file.
func TestOutcomeReadAfterClose(t *testing.T) {
	db, s := newReadTestStore(t)
	readTestSeries(t, s, 2, 1)
	_, err := s.Measurements(t.Context(), outcomes.MeasurementFilter{})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	_, err = s.Measurements(t.Context(), outcomes.MeasurementFilter{})
	assert.Error(t, err)
}

// outcomeFastDec agrees with decimal.NewFromString, exponent included,
// wherever it accepts its input.
func TestOutcomeFastDec(t *testing.T) {
	for _, s := range outcomeDecSeeds {
		checkFastDec(t, s)
	}
}

func FuzzOutcomeFastDec(f *testing.F) {
	for _, s := range outcomeDecSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkFastDec(t, s) })
}

var outcomeDecSeeds = []string{"0", "-0", "51.50", "-12.5", "0.001", "100", "1000000000.000001",
	"123456789012345678", "1234567890123456789", "-999999999999999999", "12345678901234567.8",
	"", "-", ".", "1.", ".5", "1..2", "1e3", "+1", " 1", "1,5", "00012.3400"}

func checkFastDec(t *testing.T, s string) {
	got, ok := outcomeFastDec([]byte(s))
	want, err := decimal.NewFromString(s)
	if !ok {
		return
	}
	if !assert.NoError(t, err, "fast parse accepted %q", s) {
		return
	}
	assert.True(t, want.Equal(got), "%q: want %s, got %s", s, want, got)
	assert.Equal(t, want.Exponent(), got.Exponent(), "%q exponent", s)
	assert.Equal(t, fmt.Sprint(want.Coefficient()), fmt.Sprint(got.Coefficient()), "%q coefficient", s)
}

// Many concurrent reads share a bounded number of connections, and Close
// waits for them, closes every one and folds the WAL back into the file.
func TestOutcomeReadsBoundedAndClosed(t *testing.T) {
	db, s := newReadTestStore(t)
	readTestSeries(t, s, 10, 10)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			ms, err := s.Measurements(t.Context(), outcomes.MeasurementFilter{})
			assert.NoError(t, err)
			assert.Len(t, ms, 100)
		})
	}
	wg.Wait()
	db.reads.mu.Lock()
	idle := len(db.reads.idle)
	db.reads.mu.Unlock()
	assert.LessOrEqual(t, idle, cap(db.reads.sem), "connections opened beyond the bound")
	require.NoError(t, db.Close())
	_, err := os.Stat(db.path + "-wal")
	assert.True(t, os.IsNotExist(err), "the WAL was not folded back into the file on Close: %v", err)
}
