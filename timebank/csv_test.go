package timebank_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// joinedEarly adds a member who joined in 2024, so history can be imported.
func (f *fixture) joinedEarly(t *testing.T, name, email string) string {
	return f.join(t, timebank.NewMember{Name: name, Email: email, JoinedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
}

func TestImportExchanges(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	gill := f.joinedEarly(t, "Gill", "gill@example.org")
	hal := f.joinedEarly(t, "Hal", "hal@example.org")
	file := "date,giver,receiver,hours,category,description\n" +
		"2025-03-02,gill@example.org," + hal + ",1.5,Gardening,weeding\n" +
		"2025-03-01," + hal + ",GILL@example.org,0.25,lifts,\n"
	res, err := f.svc.ImportExchanges(ctx, call.As(f.coord).Key("import-1"), f.bank.ID, strings.NewReader(file))
	require.NoError(t, err)
	assert.Equal(t, 2, res.Exchanges)
	assert.Equal(t, int64(105), res.Minutes)
	assert.Equal(t, int64(75), f.balance(t, gill))
	assert.Equal(t, int64(-75), f.balance(t, hal))
	// Postings are dated by the exchanges, so history has balances too.
	b, err := f.svc.BalanceAt(ctx, call.As(f.coord), gill, time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, int64(-15), b)
	xs, err := f.svc.Exchanges(ctx, call.As(f.coord), timebank.ExchangeFilter{Banks: []string{f.bank.ID}, Member: &gill})
	require.NoError(t, err)
	require.Len(t, xs, 2)
	assert.Equal(t, "lifts", xs[0].Category, "ordered by date")
	assert.Equal(t, timebank.Confirmed, xs[0].Status)

	again, err := f.svc.ImportExchanges(ctx, call.As(f.coord).Key("import-1"), f.bank.ID, strings.NewReader(file))
	require.NoError(t, err)
	assert.Equal(t, res, again, "re-sending the file with its key imports nothing more")
	assert.Equal(t, int64(75), f.balance(t, gill))
}

func TestImportRejectsBadFileWhole(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	gill := f.joinedEarly(t, "Gill", "gill@example.org")
	hal := f.joinedEarly(t, "Hal", "")
	file := "date,giver,receiver,minutes,category\n" +
		"2025-03-01," + gill + "," + hal + ",60,ok row\n" + // line 2 is fine
		"2025-13-01," + gill + "," + hal + ",60,\n" + // line 3: bad date
		"2025-03-01," + gill + ",nobody@example.org,60,\n" + // line 4: unknown member
		"2025-03-01," + gill + "," + gill + ",60,\n" + // line 5: self
		"2025-03-01," + gill + "," + hal + ",50,\n" + // line 6: off the rounding
		"2099-03-01," + gill + "," + hal + ",60,\n" + // line 7: future
		"2025-03-01," + gill + "," + hal + ",-60,\n" + // line 8: negative
		"2025-03-01," + gill + "," + hal + ",6000,\n" + // line 9: past Hal's limit
		"2023-03-01," + gill + "," + hal + ",60,\n" // line 10: before they joined
	_, err := f.svc.ImportExchanges(ctx, call.As(f.coord).Key("import-2"), f.bank.ID, strings.NewReader(file))
	require.ErrorIs(t, err, timebank.ErrInvalid)
	var ie *timebank.ImportError
	require.True(t, errors.As(err, &ie), "%v", err)
	var lines []int
	fields := map[int]string{}
	for _, r := range ie.Rows {
		lines = append(lines, r.Line)
		fields[r.Line] = r.Field
	}
	assert.Equal(t, []int{3, 4, 5, 6, 7, 8, 9, 10, 10}, lines, "%v", ie.Rows)
	assert.Equal(t, "date", fields[3])
	assert.Equal(t, "receiver", fields[4])
	assert.Equal(t, "minutes", fields[6])
	assert.Equal(t, "receiver", fields[9])
	xs, err := f.svc.Exchanges(ctx, call.As(f.coord), timebank.ExchangeFilter{Banks: []string{f.bank.ID}})
	require.NoError(t, err)
	assert.Empty(t, xs, "nothing of a bad file is imported, not even its good rows")
	assert.Zero(t, f.balance(t, gill))

	for name, bad := range map[string]string{
		"empty":          "",
		"unknown column": "date,giver,receiver,hours,colour\n",
		"both amounts":   "date,giver,receiver,hours,minutes\n",
		"no amount":      "date,giver,receiver\n",
		"no rows":        "date,giver,receiver,hours\n",
	} {
		_, err := f.svc.ImportExchanges(ctx, call.As(f.coord).Key("bad-"+name), f.bank.ID, strings.NewReader(bad))
		assert.ErrorIs(t, err, timebank.ErrInvalid, name)
	}
	_, err = f.svc.ImportExchanges(ctx, call.As(f.ann).Key("import-3"), f.bank.ID, strings.NewReader(file))
	assert.ErrorIs(t, err, timebank.ErrForbidden)
}

func TestExportStatement(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 90, Category: "dog walking"})
	require.NoError(t, err)
	_, err = f.svc.Donate(ctx, call.As(f.ann).Key(f.key()), f.ann, 30)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, f.svc.ExportStatement(ctx, call.As(f.coord), &buf, f.ann, time.Time{}, time.Time{}))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 5, "header, opening, two entries, closing")
	assert.Equal(t, timebank.StatementColumns(), recs[0])
	assert.Equal(t, []string{"opening", "0"}, []string{recs[1][2], recs[1][6]})
	assert.Equal(t, []string{"exchange", "dog walking", "90", "1.5", "90", "1.5"}, recs[2][2:])
	assert.Equal(t, []string{"donation", "donation to the community pot", "-30", "-0.5", "60", "1"}, recs[3][2:])
	assert.Equal(t, []string{"closing", "60", "1"}, []string{recs[4][2], recs[4][6], recs[4][7]})
}
