package outcomes_test

import (
	"strings"
	"testing"

	"github.com/strongertogether/community/outcomes"
)

// FuzzParseMeasurements checks the measurement importer never panics, and
// that every row it accepts has the required fields and a period that
// reads back as itself.
func FuzzParseMeasurements(f *testing.F) {
	f.Add("indicator,area,period,value,count,denominator\ndementia-diagnosis-rate,E06000034,2017,66.5,1330,2000\n")
	f.Add("indicator,area,period,value\nx,a,2016/17 Q2,\"1,234.5\"\n")
	f.Add("indicator,area,period,value,lower,upper,source,note\nx,a,April 2016,1,0.5,2,s,n\n")
	f.Add("indicator,area,period\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		lines, errs := outcomes.ParseMeasurementsCSV(strings.NewReader(in))
		if len(lines) == 0 && len(errs) == 0 {
			t.Fatal("no rows and no problems")
		}
		for _, l := range lines {
			m := l.Measurement
			if m.Indicator == "" || m.Area == "" || m.Period.IsZero() {
				t.Fatalf("accepted an incomplete row: %+v", m)
			}
			if p, err := outcomes.ParsePeriod(m.Period.String()); err != nil || !p.Equal(m.Period) {
				t.Fatalf("period %s does not read back: %v", m.Period, err)
			}
		}
	})
}

// FuzzParseFingertips checks the Fingertips importer never panics and
// that accepted rows have an id, an area and a period.
func FuzzParseFingertips(f *testing.F) {
	f.Add(fingertipsExport)
	f.Add("Indicator ID,Area Code,Time period,Value\n92949,E06000034,2017/18 Q1,67.3\n")
	f.Add("Indicator ID,Area Code,Time period,Value,Count,Denominator\n1,E1,2015 - 17,,,\n")
	f.Add("\ufeffIndicator ID,Area Code,Time period,Value\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, errs := outcomes.ParseFingertipsCSV(strings.NewReader(in))
		if len(rows) == 0 && len(errs) == 0 {
			t.Fatal("no rows and no problems")
		}
		for _, r := range rows {
			if r.IndicatorID <= 0 || r.Area == "" || r.Period.IsZero() {
				t.Fatalf("accepted an incomplete row: %+v", r)
			}
		}
	})
}

// FuzzParsePeriod checks that a period that parses prints in a form that
// parses to the same period.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2016", "2016/17", "2016/17 Q4", "2016-02", "2016-02-29", "Feb 2017", "2015 - 17", "2016/18"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := outcomes.ParsePeriod(s)
		if err != nil {
			return
		}
		q, err := outcomes.ParsePeriod(p.String())
		if err != nil || !q.Equal(p) {
			t.Fatalf("%q → %s → %v %v", s, p, q, err)
		}
		if outcomes.PeriodAt(p.Type, p.Index()) != p {
			t.Fatalf("%s: PeriodAt(Index) = %s", p, outcomes.PeriodAt(p.Type, p.Index()))
		}
	})
}
