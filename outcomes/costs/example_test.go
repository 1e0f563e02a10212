package costs_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes/costs"
)

// A costs-avoided report of Local Area Coordination over one quarter: the
// seed's unit costs, the stated adjustments, and the programme's cost
// beside the net range.
func ExampleValuer_Value() {
	v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.DefaultParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	on := time.Date(2014, 5, 1, 0, 0, 0, 0, time.UTC)
	events := []costs.Event{
		{Programme: "lac", On: on, Unit: "day-care-session", Quantity: decimal.NewFromInt(24), Evidence: "day centre attendance ended", Confidence: costs.High},
		{Programme: "lac", On: on, Unit: "bed-week", Quantity: decimal.NewFromInt(3), Evidence: "discharge planner's note", Confidence: costs.Medium},
		{Programme: "lac", On: on, Unit: "direct-payment-month", Quantity: decimal.NewFromInt(3), Evidence: "family's account", Confidence: costs.Low},
	}
	r, err := v.Value(events, time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2014, 7, 1, 0, 0, 0, 0, time.UTC),
		map[string]decimal.Decimal{"lac": decimal.NewFromInt(15000)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r.Text())
	// Output:
	// Costs avoided 2014-04-01 to 2014-07-01, prices 2014/15
	// Assumptions: deadweight 20%, attribution 75%, optimism bias 0% (high), 20% (medium), 40% (low)
	// lac
	//   3 week × £1,220–£3,159 per week: gross £3,660–£9,477
	//   24 session × £45 per session: gross £1,080
	//   3 month × £544.80 per month: gross £1,634
	//   gross £6,374–£12,191
	//   less deadweight £1,275–£2,438
	//   less attribution £1,275–£2,438
	//   less optimism bias £831–£1,529
	//   net £2,993–£5,785
	//   programme cost £15,000
	// Total: gross £6,374–£12,191, net £2,993–£5,785
}
