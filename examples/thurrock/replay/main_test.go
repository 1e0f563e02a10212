package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/fhir"
	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/adapters/threesixty"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/giving"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/chart"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// TestRun runs the app into a buffer and checks that every figure it
// printed is what the domains' reports return for the same data, read
// afresh from the database it left behind, and that the files it wrote
// are what they claim to be.
func TestRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var buf, logs bytes.Buffer
	sum, err := Run(ctx, &buf, Options{DB: filepath.Join(dir, "thurrock.db"), Out: filepath.Join(dir, "out"), Log: &logs})
	require.NoError(t, err)
	out := buf.String()
	t.Log("\n" + out)

	db, err := sqlite.Open(ctx, sum.DB)
	require.NoError(t, err)
	defer db.Close()

	checkLocality(t, ctx, out, sum, stores{timebank: sqlite.NewTimebankStore(db), hubs: sqlite.NewHubsStore(db), grants: sqlite.NewGrantsStore(db),
		prescribing: sqlite.NewPrescribingStore(db), dementia: sqlite.NewDementiaStore(db), locality: sqlite.NewLocalityStore(db)})

	t.Run("not twice into one database", func(t *testing.T) {
		_, err := Run(ctx, io.Discard, Options{DB: sum.DB, Out: t.TempDir()})
		assert.ErrorContains(t, err, "holds data already")
	})

	t.Run("time bank", func(t *testing.T) {
		svc := timebank.NewService(sqlite.NewTimebankStore(db))
		r, err := svc.Report(ctx, sum.Bank, borough.TimebankFrom, borough.TimebankTo)
		require.NoError(t, err)
		assert.Equal(t, r.Tally, sum.Timebank.Tally)
		assert.Equal(t, r.Hours().StringFixed(0), field(t, out, "Hours exchanged"))
		assert.Equal(t, strconv.Itoa(r.Individuals), field(t, out, "Individual members"))
		assert.Equal(t, strconv.Itoa(r.Exchanges), field(t, out, "Transactions"))
		assert.Equal(t, strconv.Itoa(r.Organisations), field(t, out, "Organisations"))
		// And those are the seed's figures.
		want := borough.ThurrockTimebank
		assert.Equal(t, fmt.Sprint(want.Hours), field(t, out, "Hours exchanged"))
		assert.Equal(t, []int{want.Individuals, want.Transactions, want.Organisations}, []int{r.Individuals, r.Exchanges, r.Organisations})

		g, err := svc.Growth(ctx, sum.Bank, growthBase[0], growthBase[1], growthNow[0], growthNow[1])
		require.NoError(t, err)
		_, growth, ok := strings.Cut(out, "Growth,")
		require.True(t, ok)
		assert.Equal(t, []string{g.Base.Hours().StringFixed(0), g.Current.Hours().StringFixed(0), pct(g.Hours)}, fields(t, growth, "Hours"))
		assert.Equal(t, []string{strconv.Itoa(g.Base.Exchanges), strconv.Itoa(g.Current.Exchanges), pct(g.Transactions)}, fields(t, growth, "Transactions"))
		assert.Equal(t, []string{strconv.Itoa(g.Base.Individuals), strconv.Itoa(g.Current.Individuals), pct(g.Individuals)}, fields(t, growth, "Individuals"))
		assert.Equal(t, metOrNot(g.Met(growthTarget)), field(t, out, "Action plan target +10%:"))
	})

	t.Run("hubs", func(t *testing.T) {
		svc := hubs.NewService(sqlite.NewHubsStore(db))
		all, err := svc.Hubs(ctx)
		require.NoError(t, err)
		require.Len(t, sum.Hubs, len(all))
		for _, hy := range sum.Hubs {
			r, err := svc.Report(ctx, hy.Hub.ID, sum.HubsFrom, sum.HubsTo)
			require.NoError(t, err)
			assert.Equal(t, r, hy.Report, hy.Hub.Name)
			want := []string{strconv.Itoa(r.Volunteers), r.VolunteerHours.StringFixed(0), strconv.FormatInt(r.Visits, 10), strconv.Itoa(r.Groups), strconv.Itoa(r.Events)}
			got := fields(t, out, hy.Hub.Name)
			assert.Equal(t, want, got[len(got)-5:], hy.Hub.Name)
		}
		// South Ockendon's pathfinder year is seed 002's.
		assert.Contains(t, out, "South Ockendon Centre")
	})

	t.Run("dementia", func(t *testing.T) {
		d := sum.Dementia
		require.NotNil(t, d)
		assert.Equal(t, int64(friendsBaseline), d.Friends.Total, "the generated records add up to the seed's count")
		assert.Equal(t, d.Friends.BySource[dementia.SourceSession]+d.Friends.BySource[dementia.SourceOnline], d.Friends.Total)
		assert.Equal(t, int64(friendsTarget-friendsBaseline), d.Trajectory.Increase)
		assert.Equal(t, strconv.FormatInt(d.Friends.Total, 10), fields(t, out, "Dementia Friends by 31 May 2016")[0])
		assert.Equal(t, strconv.Itoa(d.Membership.Total.Members), field(t, out, "Alliance members on 1 June 2016"))

		// The diagnosis rate and the care plans, as the dementia store
		// left in the database reports them.
		svc := dementia.NewService(sqlite.NewDementiaStore(db))
		dr, err := svc.DiagnosisRate(ctx, "synthetic-65plus", diagnosisOn)
		require.NoError(t, err)
		assert.Equal(t, d.Diagnosis, dr)
		assert.Len(t, dr.Practices, dementiaPractices)
		b := dr.Borough.Value
		assert.Equal(t, []string{b.Percent.StringFixed(1) + "%", fmt.Sprintf("(%d", b.Count), "diagnosed", "of", dr.Borough.Expected.StringFixed(0), "expected;"},
			fields(t, out, "Diagnosis rate, aged 65+, 30 April 2016")[:6])
		assert.Equal(t, "66.4", b.Percent.StringFixed(1), "the generator's registers give the seed's rate")
		cp, err := svc.CarePlanReviews(ctx, reviewYear)
		require.NoError(t, err)
		assert.Equal(t, d.CarePlans, cp)
		c := cp.Borough.Achievement
		assert.Equal(t, []string{c.Percent.StringFixed(1) + "%", fmt.Sprintf("(%d", c.Count), "of", c.Denominator.String()},
			fields(t, out, "Care plans reviewed, 2014/15")[:4])
		assert.Equal(t, "70.7", c.Percent.StringFixed(1))
	})

	t.Run("grants", func(t *testing.T) {
		svc := grants.NewService(sqlite.NewGrantsStore(db))
		r, err := svc.Report(ctx, sum.Fund, borough.SmallSparks.Year)
		require.NoError(t, err)
		assert.Equal(t, r, sum.Grants)
		for label, v := range map[string]string{
			"Budget": grants.Pounds(r.Budget), "Applications": strconv.Itoa(r.Applications), "Awards": strconv.Itoa(r.Awards),
			"Groups funded": strconv.Itoa(r.Groups), "Awarded": grants.Pounds(r.Awarded), "Paid": grants.Pounds(r.Paid),
			"Remaining": grants.Pounds(r.Remaining), "Average award": grants.Pounds(r.AverageAward),
			"Volunteer hours pledged": strconv.FormatInt(r.PledgedMinutes/60, 10),
		} {
			assert.Equal(t, v, field(t, out, label), label)
		}
		// The seed's figures: £6,480 of £10,000 to 26 groups.
		assert.Equal(t, "26", field(t, out, "Groups funded"))
		assert.Equal(t, "£6,480.00", field(t, out, "Awarded"))
		assert.Equal(t, "£10,000.00", field(t, out, "Budget"))

		// The 360Giving file: threesixty's own checks, the standard's
		// schema, and the quality warnings counted as printed.
		data, err := os.ReadFile(sum.ThreeSixty)
		require.NoError(t, err)
		pkg, err := threesixty.Parse(bytes.NewReader(data))
		require.NoError(t, err)
		assert.Len(t, pkg.Grants, r.Awards)
		total := 0.0
		for _, g := range pkg.Grants {
			f, err := g.AmountAwarded.Float64()
			require.NoError(t, err)
			total += f
		}
		assert.InDelta(t, r.Awarded.InexactFloat64(), total, 0.001)
		assert.NoError(t, threesixty.ValidatePackage(data))
		assert.Equal(t, strconv.Itoa(sum.QualityWarnings), field(t, out, "Data quality warnings:"))
		issued, err := time.Parse(time.DateOnly, pkg.Issued)
		require.NoError(t, err)
		assert.Len(t, threesixty.Quality(pkg, issued.Add(24*time.Hour-time.Second)), sum.QualityWarnings)
	})

	t.Run("local giving", func(t *testing.T) {
		var funded borough.Funded
		svc := giving.NewService(sqlite.NewGivingStore(db), giving.WithMonitoring(&funded))
		r, err := svc.Report(ctx, sum.Campaign, sum.Giving.Year)
		require.NoError(t, err)
		r.Funded = sum.Giving.Funded // grant monitoring is the app's, not the store's
		assert.Equal(t, sum.Giving, r, "the printed report is the store's")
		assert.Equal(t, "312233.00", r.Raised.StringFixed(2), "the seed's peer raised £312,233")
		assert.True(t, r.Raised.Equal(r.Gifts.Add(r.GiftAid).Add(r.Match)))
		assert.Equal(t, 57, r.Funded.Groups)
		assert.Equal(t, 14393, r.Funded.People)
		assert.Equal(t, grants.Pounds(r.Raised), fields(t, out, "Raised")[0])
		assert.Equal(t, strconv.Itoa(r.Funded.Groups), fields(t, out, "Charities funded")[0])

		// What the campaign raised is its fund's income in grants, and
		// counts in what the fund may award.
		c, err := svc.Campaign(ctx, sum.Campaign)
		require.NoError(t, err)
		fund := grants.NewService(sqlite.NewGrantsStore(db))
		tot, err := fund.Totals(ctx, c.Fund, r.Year)
		require.NoError(t, err)
		assert.True(t, tot.Income.Equal(r.ByPriority[""]), "the fund's income %s is the £%s raised unrestricted", tot.Income, r.ByPriority[""])
		assert.True(t, tot.Income.LessThan(r.Raised), "money restricted to a priority is kept by the campaign")
		assert.True(t, tot.Income.IsPositive())
		assert.True(t, tot.Available().Equal(tot.Budget.Add(tot.Income).Sub(tot.Committed)))
		assert.True(t, tot.Committed.Equal(r.Funded.Awarded), "the fund committed %s: the %s awarded to the groups funded", tot.Committed, r.Funded.Awarded)
		assert.True(t, tot.Committed.GreaterThan(tot.Budget), "the awards need the income: %s committed of a %s budget", tot.Committed, tot.Budget)
		fr, err := fund.Report(ctx, c.Fund, r.Year)
		require.NoError(t, err)
		assert.Equal(t, r.Funded.Groups, fr.Awards, "one award per group funded")
		assert.True(t, fr.Available.Equal(tot.Available()))
		lines, err := fund.Income(ctx, call.As(borough.FundManager), grants.IncomeFilter{Fund: c.Fund, Year: r.Year})
		require.NoError(t, err)
		var sources []string
		posted := decimal.Zero
		for _, l := range lines {
			sources = append(sources, l.Source)
			posted = posted.Add(l.Amount)
		}
		assert.ElementsMatch(t, []string{c.Name + ": gifts", c.Name + ": Gift Aid", c.Name + ": match funding"}, sources, "one line of income per source")
		assert.True(t, posted.Equal(tot.Income))
		assert.Equal(t, grants.Pounds(r.Raised.Sub(r.ByPriority[""])), fields(t, out, "Kept for priorities")[0])
		assert.Equal(t, grants.Pounds(tot.Budget), fields(t, out, "Community Fund budget")[0])
		assert.Equal(t, grants.Pounds(tot.Income), fields(t, out, "Income from Local Giving")[0])
		assert.Equal(t, grants.Pounds(tot.Committed), fields(t, out, "Committed to awards")[0])
		assert.Equal(t, grants.Pounds(tot.Available()), fields(t, out, "Available to award")[0])
	})

	t.Run("social prescribing", func(t *testing.T) {
		svc := prescribing.NewService(sqlite.NewPrescribingStore(db))
		run := sum.Pilot
		var ids []string
		for _, p := range run.Practices {
			ids = append(ids, p.ID)
		}
		r, err := svc.Report(ctx, call.As(run.Manager), prescribing.ReportFilter{Practices: ids, From: pilot.Start, To: pilot.End()})
		require.NoError(t, err)
		assert.Equal(t, r, sum.Prescribing)
		for i, p := range run.Practices {
			st, err := svc.Stratification(ctx, call.As(run.GPs[p.ID]), run.Strata[i].ID)
			require.NoError(t, err)
			assert.Equal(t, prescribing.CohortSize(pilot.ListSize, pilot.Percent), len(st.Selected))
			assert.Equal(t, []string{strconv.Itoa(st.ListSize), st.Percent.String(), st.Cutoff.String(), strconv.Itoa(len(st.Cohort())),
				strconv.Itoa(r.ByPractice[p.ID])}, fields(t, out, p.Name))
		}
		assert.Equal(t, strconv.Itoa(r.Referrals), fields(t, out, "Referrals")[0])
		assert.Equal(t, strconv.Itoa(r.Accepted), field(t, out, "Accepted"))
		assert.Equal(t, r.AcceptanceRate.StringFixed(1)+"%", field(t, out, "Acceptance rate"))
		w, ok := wait(r, prescribing.Referred, prescribing.Contacted)
		require.True(t, ok)
		assert.Equal(t, []string{w.Mean.StringFixed(1), "(median", w.Median.StringFixed(1) + ",", fmt.Sprintf("n=%d)", w.N)}, fields(t, out, "Days to first contact"))
		c, ok := change(r, prescribing.MeasureSWEMWBS)
		require.True(t, ok)
		got := fields(t, out, "SWEMWBS mean change")
		require.Len(t, got, 10)
		assert.Equal(t, signed(c.Mean.StringFixed(2)), got[0])
		assert.Equal(t, signed(c.Lower.StringFixed(2)), got[3])
		assert.Equal(t, signed(c.Upper.StringFixed(2))+",", got[5])
		assert.Equal(t, fmt.Sprintf("n=%d;", c.N), got[6])
		assert.Equal(t, []string{c.Before.StringFixed(2), "→", c.After.StringFixed(2) + ")"}, got[7:])
		assert.True(t, c.Lower.LessThanOrEqual(c.Mean) && c.Mean.LessThanOrEqual(c.Upper))
		sc := r.SecondaryCare
		assert.Equal(t, []string{strconv.Itoa(sc.Before.AE), "→", strconv.Itoa(sc.After.AE), "(" + signed(sc.Change.AE.StringFixed(1)) + "%,",
			fmt.Sprintf("n=%d", sc.People), "paired;", strconv.Itoa(sc.Incomplete), "awaiting", "a", "window)"}, fields(t, out, "A&E attendances"))
		assert.Positive(t, sc.People)
		assert.Positive(t, sc.Incomplete, "referrals open at the pilot's end have only the before window")

		// Every activity a link worker offered is a service of the hubs
		// directory, the one the ORUK API serves.
		dir := hubs.NewService(sqlite.NewHubsStore(db))
		offers := 0
		for _, p := range run.Practices {
			refs, err := svc.Referrals(ctx, call.As(run.GPs[p.ID]), prescribing.ReferralFilter{Practice: p.ID})
			require.NoError(t, err)
			for _, ref := range refs {
				for _, o := range ref.Offers {
					l, err := dir.Listing(ctx, o.Activity)
					require.NoError(t, err, "offer %s is a directory listing", o.Activity)
					assert.Equal(t, l.Name, o.Name)
					offers++
				}
			}
		}
		assert.Equal(t, r.Offered, offers)
		assert.Positive(t, offers)

		// The FHIR file parses, as a Bundle holding the referral.
		data, err := os.ReadFile(sum.FHIR)
		require.NoError(t, err)
		var b struct {
			ResourceType string
			Entry        []struct {
				FullURL  string
				Resource struct {
					ResourceType string
					ID           string
					Identifier   []fhir.Identifier
					Code         fhir.CodeableConcept
				}
			}
		}
		require.NoError(t, json.Unmarshal(data, &b))
		assert.Equal(t, "Bundle", b.ResourceType)
		require.NotEmpty(t, b.Entry)
		sr := b.Entry[0].Resource
		assert.Equal(t, "ServiceRequest", sr.ResourceType)
		exp, err := fhir.New(fhirOptions())
		require.NoError(t, err)
		assert.Equal(t, exp.ID("ServiceRequest", sum.Referral), sr.ID)
		require.NotEmpty(t, sr.Identifier)
		assert.Equal(t, "https://fhir.thurrock.example/Id/social-prescribing-referral", sr.Identifier[0].System)
		assert.Equal(t, sum.Referral, sr.Identifier[0].Value)
		assert.Equal(t, prescribing.SNOMEDReferral, sr.Code.Coding[0].Code)
		ref, err := svc.Referral(ctx, call.As(sum.FHIRReader), sum.Referral)
		require.NoError(t, err)
		assert.Len(t, b.Entry, 1+len(ref.History))
		// No NHS number or name in the logs (there should be none at all
		// at WARN), and only the NHS number — no name — in the file.
		pat, err := svc.Patient(ctx, call.As(sum.FHIRReader), ref.Patient)
		require.NoError(t, err)
		assert.NotContains(t, logs.String(), string(pat.NHSNumber))
		assert.Contains(t, string(data), string(pat.NHSNumber))
	})

	t.Run("outcomes", func(t *testing.T) {
		svc := outcomes.NewService(sqlite.NewOutcomesStore(db))
		require.Equal(t, []string{"thurrock-b3", programmes.ID}, sum.Frameworks)
		n := 0
		for i, id := range sum.Frameworks {
			r, err := svc.Report(ctx, id, outcomes.ReportOptions{})
			require.NoError(t, err)
			require.Len(t, r.Rows, len(sum.Outcomes[i].Rows))
			for j, row := range r.Rows {
				st := row.Status
				assert.Equal(t, jsonOf(t, sum.Outcomes[i].Rows[j].Status), jsonOf(t, st), row.Indicator.ID)
				// Each indicator's block, in the words outcomes/chart writes.
				_, block, ok := strings.Cut(out, "["+row.Indicator.ID+"]")
				require.True(t, ok, row.Indicator.ID)
				block, _, _ = strings.Cut(block, "\n\n")
				rr := &sum.Outcomes[i].Rows[j]
				assert.Equal(t, chart.Latest(rr), field(t, block, "Latest"), row.Indicator.ID)
				assert.Equal(t, chart.Rating(rr), field(t, block, "Rating"), row.Indicator.ID)
				assert.Equal(t, chart.Change(rr), field(t, block, "Change"), row.Indicator.ID)
				assert.Equal(t, chart.TrendText(rr), field(t, block, "Trend"), row.Indicator.ID)
				assert.Equal(t, chart.TargetText(rr.Indicator), field(t, block, "Target"), row.Indicator.ID)
				n++
			}
		}
		assert.Equal(t, 5+3, n, "B3's five indicators and the three programme indicators")
		// The baselines B3 publishes are its only measurements so far:
		// not yet assessed, never green.
		r := sum.Outcomes[0]
		for i := range r.Rows {
			row := &r.Rows[i]
			require.Len(t, row.Series, 1, row.Indicator.ID)
			assert.True(t, row.Series[0].Value.Equal(row.Indicator.Baseline.Value))
			assert.Equal(t, "Not yet assessed", chart.Rating(row), row.Indicator.ID)
		}
		// The dementia rows are the dementia package's figures, with the
		// counts they were computed from.
		for id, v := range map[string]dementia.Value{"dementia-diagnosis-rate": sum.Dementia.Diagnosis.Borough.Value,
			"dementia-care-plan-review": sum.Dementia.CarePlans.Borough.Achievement} {
			var row *outcomes.Row
			for i := range r.Rows {
				if r.Rows[i].Indicator.ID == id {
					row = &r.Rows[i]
				}
			}
			require.NotNil(t, row, id)
			m := row.Series[len(row.Series)-1]
			assert.True(t, m.Value.Equal(v.Percent), "%s: %s is the dementia report's %s", id, m.Value, v.Percent)
			require.NotNil(t, m.Count, id)
			assert.Equal(t, v.Count, m.Count.IntPart(), id)
			require.NotNil(t, m.Lower, id)
			assert.True(t, m.Lower.Equal(v.Lower) && m.Upper.Equal(v.Upper), id)
			assert.Contains(t, chart.Latest(row), "("+thousands(v.Count)+" of ", id)
		}
		assert.Contains(t, out, "Amber: short of it by no more than 10% of the gap")
		assert.NotContains(t, out, "not-enough-points")
		assert.NotContains(t, out, "no-previous")

		// One chart per indicator, each an SVG document.
		require.Len(t, sum.Charts, n)
		for _, path := range sum.Charts {
			f, err := os.Open(path)
			require.NoError(t, err)
			root := ""
			d := xml.NewDecoder(f)
			for {
				tok, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(t, err, path)
				if se, ok := tok.(xml.StartElement); ok && root == "" {
					root = se.Name.Local
				}
			}
			f.Close()
			assert.Equal(t, "svg", root, path)
		}
	})
}

// field returns what follows label on the output line that starts with
// it (after the indent), as one string.
func field(t *testing.T, out, label string) string {
	t.Helper()
	return strings.Join(fields(t, out, label), " ")
}

// fields returns the words that follow label on the first output line
// that starts with it, label followed by at least two spaces (the table's
// padding) or, for a label ending in a colon, one.
func fields(t *testing.T, out, label string) []string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		s := strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(s, label)
		if !ok || (!strings.HasPrefix(rest, "  ") && !(strings.HasSuffix(label, ":") && strings.HasPrefix(rest, " "))) {
			continue
		}
		return strings.Fields(rest)
	}
	t.Fatalf("no line %q in the output", label)
	return nil
}

// thousands writes n with commas between thousands, as the report does.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestRunPostgres runs the app on PostgreSQL given a postgres:// URL, and
// checks it wrote there (a second run is refused) and prints the same
// report figures as on SQLite.
func TestRunPostgres(t *testing.T) {
	ctx := context.Background()
	u, _ := pgtest.Schema(t)
	var buf bytes.Buffer
	sum, err := Run(ctx, &buf, Options{DB: u, Out: t.TempDir()})
	require.NoError(t, err)
	out := buf.String()
	assert.Contains(t, out, "Database PostgreSQL 127.0.0.1:5432/")
	assert.NotContains(t, out, "Database SQLite")

	db, err := postgres.Open(ctx, u)
	require.NoError(t, err)
	defer db.Close()
	r, err := timebank.NewService(postgres.NewTimebankStore(db)).Report(ctx, sum.Bank, borough.TimebankFrom, borough.TimebankTo)
	require.NoError(t, err)
	assert.Equal(t, r.Hours().StringFixed(0), field(t, out, "Hours exchanged"))
	checkLocality(t, ctx, out, sum, stores{timebank: postgres.NewTimebankStore(db), hubs: postgres.NewHubsStore(db), grants: postgres.NewGrantsStore(db),
		prescribing: postgres.NewPrescribingStore(db), dementia: postgres.NewDementiaStore(db), locality: postgres.NewLocalityStore(db)})

	var sq bytes.Buffer
	sqSum, err := Run(ctx, &sq, Options{DB: filepath.Join(t.TempDir(), "x.db"), Out: t.TempDir()})
	require.NoError(t, err)
	// The same seed gives the same ids, on either database.
	assert.Equal(t, sum.Referral, sqSum.Referral)
	assert.Equal(t, sum.Fund, sqSum.Fund)
	assert.Equal(t, filepath.Base(sum.Charts[0]), filepath.Base(sqSum.Charts[0]))
	_, pgOutcomes, _ := strings.Cut(out, "OUTCOMES")
	_, sqOutcomes, _ := strings.Cut(sq.String(), "OUTCOMES")
	assert.Equal(t, sqOutcomes[:strings.Index(sqOutcomes, "Files written")], pgOutcomes[:strings.Index(pgOutcomes, "Files written")])

	_, err = Run(ctx, io.Discard, Options{DB: u, Out: t.TempDir()})
	assert.ErrorContains(t, err, "holds data already")
}

// TestInputsFirst checks a bad framework is refused before anything is
// printed or written.
func TestInputsFirst(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{not json"), 0o600))
	for _, fw := range []string{bad, filepath.Join(dir, "missing.json")} {
		var buf bytes.Buffer
		out := filepath.Join(dir, "out")
		_, err := Run(context.Background(), &buf, Options{DB: filepath.Join(dir, "x.db"), Out: out, Framework: fw})
		require.Error(t, err, fw)
		assert.Empty(t, buf.String(), fw)
		assert.NoFileExists(t, filepath.Join(dir, "x.db"), fw)
		assert.NoDirExists(t, out, fw)
	}
}

// TestProgress checks the progress line appears only for a step longer
// than a second, and is cleared when the step ends.
func TestProgress(t *testing.T) {
	var quick bytes.Buffer
	showProgress(&quick, 1, 5, "quick")()
	assert.Empty(t, quick.String())

	var slow syncBuffer
	done := showProgress(&slow, 2, 5, "slow")
	time.Sleep(1300 * time.Millisecond)
	done()
	out := slow.String()
	assert.Contains(t, out, "step 2 of 5: slow… 1s")
	assert.True(t, strings.HasSuffix(out, "\r\033[K"), "the line is cleared")
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
