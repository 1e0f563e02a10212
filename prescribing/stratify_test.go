package prescribing_test

import (
	"fmt"
	"github.com/strongertogether/community/call"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rx "github.com/strongertogether/community/prescribing"
)

func TestImportScoresAndStratify(t *testing.T) {
	w := newWorld(t)
	// 200 patients scored 0.5, 1.0, … 100.0 by PARR, listed shuffled.
	var rows []string
	for _, i := range rand.New(rand.NewPCG(1, 2)).Perm(200) {
		rows = append(rows, fmt.Sprintf("%s,%s", nhs(i), decimal.New(int64(i+1)*5, -1)))
	}
	set, err := w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "parr", ScoredOn: start.Add(-24 * time.Hour), File: csvOf(rows...)})
	require.NoError(t, err)
	assert.Len(t, set.Scores, 200)
	assert.Equal(t, "PARR", set.Model)
	pats, err := w.store.Patients(w.ctx, rx.PatientFilter{Practice: w.tilbury.ID})
	require.NoError(t, err)
	assert.Len(t, pats, 200, "unknown patients are registered")

	st, err := w.svc.Stratify(w.ctx, call.As(w.gp.ID).Key(w.key()), set.ID, decimal.Zero)
	require.NoError(t, err)
	assert.True(t, st.Percent.Equal(dec("3")), "the practice's default is 3%%")
	require.Len(t, st.Selected, 6, "3%% of 200")
	assert.Equal(t, rx.MustScore("97.5"), st.Cutoff)
	for i, r := range st.Selected {
		assert.Equal(t, rx.MustScore(decimal.New(int64(200-i)*5, -1).String()), r.Score, "rank %d", i)
	}

	st5, err := w.svc.Stratify(w.ctx, call.As(w.gp.ID).Key(w.key()), set.ID, dec("5"))
	require.NoError(t, err)
	assert.Len(t, st5.Selected, 10)
	for _, bad := range []string{"2.9", "5.01", "-3"} {
		_, err := w.svc.Stratify(w.ctx, call.As(w.gp.ID).Key(w.key()), set.ID, dec(bad))
		fieldIs(t, err, rx.ErrInvalid, "Percent")
	}
	_, err = w.svc.Stratify(w.ctx, call.As(w.nurse.ID).Key(w.key()), set.ID, decimal.Zero)
	fieldIs(t, err, rx.ErrForbidden, "actor")
	_, err = w.svc.Stratify(w.ctx, call.As(w.gpAveley.ID).Key(w.key()), set.ID, decimal.Zero)
	fieldIs(t, err, rx.ErrForbidden, "actor")

	// GP clinical judgement: add one, remove one, with reason and who.
	out := st.Selected[2].Patient
	in := pats[0].ID
	if slices.ContainsFunc(st.Selected, func(r rx.Ranked) bool { return r.Patient == in }) {
		in = pats[1].ID
	}
	st, err = w.svc.Adjust(w.ctx, call.As(w.gp2.ID).Key(w.key()), st.ID, rx.AdjustRequest{Patient: in, Include: true, Reason: "lives alone since bereavement"})
	require.NoError(t, err)
	st, err = w.svc.Adjust(w.ctx, call.As(w.gp.ID).Key(w.key()), st.ID, rx.AdjustRequest{Patient: out, Include: false, Reason: "moving to a care home"})
	require.NoError(t, err)
	cohort := st.Cohort()
	assert.Len(t, cohort, 6)
	assert.Contains(t, cohort, in)
	assert.NotContains(t, cohort, out)
	assert.Equal(t, rx.Adjustment{Patient: in, Include: true, Reason: "lives alone since bereavement", By: w.gp2.ID, At: start}, st.Adjustments[0])

	_, err = w.svc.Adjust(w.ctx, call.As(w.gp.ID).Key(w.key()), st.ID, rx.AdjustRequest{Patient: in, Include: true, Reason: "again"})
	fieldIs(t, err, rx.ErrInvalid, "Include")
	_, err = w.svc.Adjust(w.ctx, call.As(w.gp.ID).Key(w.key()), st.ID, rx.AdjustRequest{Patient: out, Include: true})
	fieldIs(t, err, rx.ErrInvalid, "Reason")
	_, err = w.svc.Adjust(w.ctx, call.As(w.nurse.ID).Key(w.key()), st.ID, rx.AdjustRequest{Patient: out, Include: true, Reason: "x"})
	fieldIs(t, err, rx.ErrForbidden, "actor")
	other := w.patient(w.aveley, 900, "Aveley")
	_, err = w.svc.Adjust(w.ctx, call.As(w.gp.ID).Key(w.key()), st.ID, rx.AdjustRequest{Patient: other.ID, Include: true, Reason: "x"})
	fieldIs(t, err, rx.ErrNotFound, "Patient")
}

func TestImportScoresBadRows(t *testing.T) {
	w := newWorld(t)
	w.patient(w.aveley, 7, "Aveley") // registered elsewhere
	file := csvOf(
		nhs(1)+",12.5",
		"999 000 0019,10",   // wrong check digit
		nhs(2)+",100.5",     // over PARR's range
		nhs(3)+",abc",       // not a number
		nhs(1)+",3",         // listed twice
		nhs(7)+",40",        // another practice's patient: a new patient here
		nhs(4)+",0.0000001", // too many places
	)
	_, err := w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "PARR", ScoredOn: start, File: file})
	require.ErrorIs(t, err, rx.ErrInvalid)
	var ie *rx.ImportError
	require.ErrorAs(t, err, &ie)
	got := map[int]string{}
	for _, r := range ie.Rows {
		got[r.Line] = r.Field
	}
	assert.Equal(t, map[int]string{3: "nhs_number", 4: "score", 5: "score", 6: "nhs_number", 8: "score"}, got, "%v", ie.Rows)
	assert.NotContains(t, err.Error(), "999 000 0019")
	pats, err := w.store.Patients(w.ctx, rx.PatientFilter{Practice: w.tilbury.ID})
	require.NoError(t, err)
	assert.Empty(t, pats, "nothing is written from a file with problems")
	ev, err := w.store.Events(w.ctx, rx.EventFilter{Practice: w.tilbury.ID})
	require.NoError(t, err)
	for _, e := range ev {
		assert.NotEqual(t, "scores.import", e.Action)
	}

	// eFI's range is 0–1.
	_, err = w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "eFI", ScoredOn: start, File: csvOf(nhs(1) + ",1.2")})
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "score", ie.Rows[0].Field)
	assert.Contains(t, ie.Rows[0].Reason, "outside the eFI model's range")
	// An unknown model, a missing column, a future date.
	_, err = w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "Crystal", ScoredOn: start, File: csvOf(nhs(1) + ",1")})
	fieldIs(t, err, rx.ErrInvalid, "Model")
	_, err = w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "PARR", ScoredOn: start, File: strings.NewReader("nhs,score\n1,2\n")})
	require.ErrorAs(t, err, &ie)
	_, err = w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "PARR", ScoredOn: start.Add(time.Hour), File: csvOf(nhs(1) + ",1")})
	fieldIs(t, err, rx.ErrInvalid, "ScoredOn")
	// A model of the council's own.
	svc := rx.NewService(w.store, rx.WithClock(w.clock), rx.WithModel(rx.Model{Name: "Crystal", Min: 0, Max: rx.MustScore("10")}))
	set, err := svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "crystal", ScoredOn: start, File: csvOf(nhs(1) + ",9.5")})
	require.NoError(t, err)
	assert.Equal(t, "Crystal", set.Model)
}

// TestTopProperties checks Top against the full sort on random lists with
// many ties: the same patients in the same order, whatever the input order.
func TestTopProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for range 300 {
		n := r.IntN(3000) + 1
		list := make([]rx.Ranked, n)
		for i := range list {
			list[i] = rx.Ranked{Patient: fmt.Sprintf("p%05d", r.IntN(1_000_000)), Score: rx.Score(r.IntN(50))}
		}
		list = slices.CompactFunc(list, func(a, b rx.Ranked) bool { return a.Patient == b.Patient })
		k := r.IntN(len(list) + 2)
		want := rx.SortTop(slices.Clone(list), k)
		shuffled := slices.Clone(list)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got := rx.Top(shuffled, k)
		require.Equal(t, want, got, "n=%d k=%d", len(list), k)
	}
}

// TestTopAdversarial: already sorted, reverse sorted and all-equal lists,
// which defeat a naive quickselect, still give the right answer.
func TestTopAdversarial(t *testing.T) {
	const n = 50_000
	for name, score := range map[string]func(i int) rx.Score{
		"ascending":  func(i int) rx.Score { return rx.Score(i) },
		"descending": func(i int) rx.Score { return rx.Score(n - i) },
		"equal":      func(int) rx.Score { return 5 },
		"organ pipe": func(i int) rx.Score { return rx.Score(min(i, n-i)) },
	} {
		list := make([]rx.Ranked, n)
		for i := range list {
			list[i] = rx.Ranked{Patient: fmt.Sprintf("p%06d", i), Score: score(i)}
		}
		want := rx.SortTop(slices.Clone(list), 1500)
		assert.Equal(t, want, rx.Top(list, 1500), name)
	}
}

func TestCohortSize(t *testing.T) {
	for _, c := range []struct {
		n       int
		percent string
		want    int
	}{{100_000, "3", 3000}, {100_000, "5", 5000}, {7_412, "3", 223}, {1, "3", 1}, {0, "3", 0}, {33, "3", 1}, {34, "3", 2}, {10, "4.5", 1}} {
		assert.Equal(t, c.want, rx.CohortSize(c.n, dec(c.percent)), "%d × %s%%", c.n, c.percent)
	}
}

func TestParseScore(t *testing.T) {
	for in, want := range map[string]rx.Score{"87.5": 87_500_000, "0.194444": 194_444, "12": 12_000_000, ".5": 500_000, "100.000000": 100_000_000, "-1": -1_000_000} {
		got, err := rx.ParseScore(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	assert.Equal(t, "87.5", rx.Score(87_500_000).String())
	for _, bad := range []string{"", "1.2345678", "1e5", "12,5", "..", "-", "1.2.3", "9999999999999"} {
		_, err := rx.ParseScore(bad)
		assert.Error(t, err, bad)
	}
}
