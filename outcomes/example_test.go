package outcomes_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/outcomes"
)

// exampleService is a Service with a fixed clock and predictable ids.
func exampleService() *outcomes.Service {
	n := 0
	return outcomes.NewService(memory.NewOutcomesStore(),
		outcomes.WithClock(func() time.Time { return time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC) }),
		outcomes.WithIDs(func(prefix string, _ time.Time) string { n++; return fmt.Sprintf("%s_%d", prefix, n) }))
}

// Load the seed's B3 outcome framework from its JSON file, see its
// trajectories and what Check found in it.
func Example_loadFramework() {
	ctx := context.Background()
	svc := exampleService()
	file, _ := os.Open("../examples/frameworks/thurrock-b3.json")
	defer file.Close()
	l, err := svc.LoadFramework(ctx, "load-b3", "officer", file)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ind := range l.Indicators {
		var vals []string
		for _, p := range outcomes.TrajectoryPoints(ind) {
			vals = append(vals, p.Value.StringFixed(ind.Decimals))
		}
		if ind.Target != nil && ind.Target.Status == outcomes.TargetTBC {
			vals = append(vals, "target to be confirmed")
		}
		fmt.Printf("%s: %s\n", ind.ID, strings.Join(vals, " "))
	}
	for _, w := range l.Warnings {
		fmt.Println("warning:", w.Code, w.Indicator)
	}
	// Output:
	// dementia-care-plan-review: 70.70 71.96 73.22 74.48 75.74 77.00
	// dementia-diagnosis-rate: 66.40 66.52 66.64 66.76 66.88 67.00
	// dementia-friends: 2564 2801 3038 3276 3513 3750
	// micro-enterprises: 0 25 25 25 25 25
	// volunteering-hours: target to be confirmed
	// warning: baseline-as-of dementia-care-plan-review
	// warning: stated-change dementia-friends
}

// Record measurements and print the framework's one-page summary.
func Example_status() {
	ctx := context.Background()
	svc := exampleService()
	file, _ := os.Open("../examples/frameworks/thurrock-b3.json")
	defer file.Close()
	if _, err := svc.LoadFramework(ctx, "load-b3", "officer", file); err != nil {
		fmt.Println(err)
		return
	}
	csv := `indicator,area,period,value,count,denominator
dementia-diagnosis-rate,E06000034,2017,66.30,1326,2000
dementia-diagnosis-rate,E06000034,2018,66.70,1334,2000
dementia-care-plan-review,E06000034,2018,72.10,721,1000
dementia-friends,E06000034,2017,2950,,
dementia-friends,E06000034,2018,3010,,
micro-enterprises,E06000034,2017,26,,
volunteering-hours,E06000034,2016/17,19500,,
`
	if _, err := svc.ImportMeasurements(ctx, "import-2018", "officer", "thurrock-b3", strings.NewReader(csv)); err != nil {
		fmt.Println(err)
		return
	}
	r, err := svc.Report(ctx, "thurrock-b3", outcomes.ReportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r.WriteSummary(os.Stdout)
	st, _ := svc.Status(ctx, "dementia-diagnosis-rate", "E06000034")
	fmt.Printf("diagnosis rate %s%% (95%% CI %s–%s, %s), expected %s: %s, %s, vs target %s\n",
		st.Value, st.Lower, st.Upper, "Wilson", st.Expected.StringFixed(2), st.RAG, st.Direction, st.Significance)
	// Output:
	// Objective B3: Building strong, well-connected communities — E06000034
	// RED    % of patients diagnosed with dementia whose care plan has been reviewed in a face-to-face review in the preceding 12 months  72.10% (2018)      target 77.00% by 2021
	// GREEN  Estimated dementia diagnosis rate for people aged 65+                                                                        66.70% (2018)      target 67.00% by 2021
	// AMBER  Number of dementia friends in Thurrock                                                                                       3010 (2018)        target 3750 by 2021
	// GREEN  Number of micro-enterprises operating in the area                                                                            26 (2017)          target 25 by 2017
	// NONE   Number of weekly hours of volunteering time                                                                                  19500 h (2016/17)  target to be confirmed
	// green 2, amber 1, red 1, not rated 1
	// warning: dementia-care-plan-review: Baseline.AsOf: the baseline 70.7 is shown for 2016 but was measured in 2014/15
	// warning: dementia-friends: StatedChange: the framework states a change of +1180 ("The current number is 2564 (May 2016), this is an increase of 1180 dementia friends over this 5 year period.") but target 3750 − baseline 2564 = +1186
	// diagnosis rate 66.7% (95% CI 64.604–68.732, Wilson), expected 66.64: green, improving, vs target similar
}
