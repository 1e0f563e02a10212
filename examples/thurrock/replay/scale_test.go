package replay

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/internal/borough"
)

// TestScaleChecked checks a scale out of range is refused, naming the
// field and the range, before anything is printed or written.
func TestScaleChecked(t *testing.T) {
	for _, n := range []int{1, 2, MaxScale} {
		assert.NoError(t, CheckScale(n), n)
	}
	for _, n := range []int{-1, 0, MaxScale + 1, 1 << 40} {
		assert.ErrorIs(t, CheckScale(n), ErrScale, n)
	}
	for _, n := range []int{-3, MaxScale + 1} {
		dir := t.TempDir()
		var buf bytes.Buffer
		_, err := Run(context.Background(), &buf, Options{DB: filepath.Join(dir, "x.db"), Out: filepath.Join(dir, "out"), Scale: n})
		require.ErrorIs(t, err, ErrScale, n)
		assert.ErrorContains(t, err, "Options.Scale")
		assert.ErrorContains(t, err, "from 1 to 100")
		assert.Empty(t, buf.String())
		assert.NoFileExists(t, filepath.Join(dir, "x.db"))
		assert.NoDirExists(t, filepath.Join(dir, "out"))
	}
}

// runAt runs the app at a scale into a new SQLite file and returns its
// report, with the run's own folder written as DIR so two runs compare.
func runAt(t *testing.T, o Options) (*Summary, string) {
	t.Helper()
	dir := t.TempDir()
	o.DB, o.Out = filepath.Join(dir, "thurrock.db"), filepath.Join(dir, "out")
	var buf bytes.Buffer
	sum, err := Run(context.Background(), &buf, o)
	require.NoError(t, err)
	return sum, strings.ReplaceAll(buf.String(), dir, "DIR")
}

// TestScale checks that scale 1 is the seed's run, printed exactly as a
// run that names no scale, and that scale 2 doubles the borough: every
// total the generators hold fixed is twice the seed document's, and two
// runs with one seed print the same report.
func TestScale(t *testing.T) {
	var (
		one, def, two, again string
		sum2                 *Summary
	)
	// The four runs, two at a time.
	t.Run("runs", func(t *testing.T) {
		t.Run("scale 1", func(t *testing.T) {
			t.Parallel()
			_, one = runAt(t, Options{Scale: 1})
			_, def = runAt(t, Options{})
		})
		t.Run("scale 2", func(t *testing.T) {
			t.Parallel()
			sum2, two = runAt(t, Options{Scale: 2})
			_, again = runAt(t, Options{Scale: 2})
		})
	})
	require.False(t, t.Failed())
	assert.Equal(t, def, one, "scale 1 is the run with no scale")
	assert.Equal(t, fmt.Sprint(borough.ThurrockTimebank.Hours), field(t, one, "Hours exchanged"))
	assert.Equal(t, two, again, "one seed, one report, at scale 2 too")
	assert.NotEqual(t, one, two)

	tb := borough.ThurrockTimebank
	assert.Equal(t, fmt.Sprint(2*tb.Hours), field(t, two, "Hours exchanged"))
	r := sum2.Timebank
	assert.Equal(t, []int{2 * tb.Individuals, 2 * tb.Transactions, 2 * tb.Organisations}, []int{r.Individuals, r.Exchanges, r.Organisations})

	g := sum2.Grants
	ss := borough.SmallSparks
	assert.Equal(t, 2*ss.Groups, g.Groups)
	assert.True(t, g.Awarded.Equal(ss.Awarded.Mul(decimal.NewFromInt(2))), g.Awarded)
	assert.True(t, g.Budget.Equal(ss.Budget.Mul(decimal.NewFromInt(2))), g.Budget)
	assert.Equal(t, "£12,960.00", field(t, two, "Awarded"))

	kc := borough.KensingtonChelsea
	assert.True(t, sum2.Giving.Raised.Equal(kc.Raised.Mul(decimal.NewFromInt(2))), sum2.Giving.Raised)
	assert.Equal(t, 2*kc.Charities, sum2.Giving.Funded.Groups)
	assert.Equal(t, 2*kc.People, sum2.Giving.Funded.People)

	var visits int64
	for _, h := range sum2.Hubs {
		visits += h.Report.Visits
	}
	assert.Equal(t, int64(2*135_238), visits, "twice the pathfinder year's visits")

	assert.Len(t, sum2.Pilot.Practices, 2*len(pilot.Areas))
	assert.Equal(t, int64(2*friendsBaseline), sum2.Dementia.Friends.Total)
}
