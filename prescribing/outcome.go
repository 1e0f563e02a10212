package prescribing

import (
	"time"

	"github.com/shopspring/decimal"
)

// Wellbeing is one measurement of a person's wellbeing, at assessment
// (Baseline) or at a follow-up review (FollowUp). Any of the three
// measures may be taken; change is only ever computed between a baseline
// and a follow-up of the same measure for the same person (paired before
// and after), never between different people.
type Wellbeing struct {
	Stage   Stage
	At      time.Time
	ONS4    *ONS4
	SWEMWBS *SWEMWBS
	Wheel   *Wheel
}

// Stage says when wellbeing was measured.
type Stage string

// Stages of measurement.
const (
	Baseline Stage = "baseline"
	FollowUp Stage = "follow-up"
)

// ONS4 is the Office for National Statistics' four personal wellbeing
// questions, each answered 0 ("not at all") to 10 ("completely"). For
// Anxious a lower score is better.
type ONS4 struct {
	Satisfied  int // Overall, how satisfied are you with your life nowadays?
	Worthwhile int // … feel that the things you do in your life are worthwhile?
	Happy      int // … how happy did you feel yesterday?
	Anxious    int // … how anxious did you feel yesterday?
}

// Items returns the four answers in order.
func (o ONS4) Items() [4]int { return [4]int{o.Satisfied, o.Worthwhile, o.Happy, o.Anxious} }

// ONS4Items names the ONS4 items, in Items order.
func ONS4Items() [4]string { return [4]string{"satisfied", "worthwhile", "happy", "anxious"} }

// SWEMWBS is the Short Warwick-Edinburgh Mental Wellbeing Scale: seven
// statements each answered 1 ("none of the time") to 5 ("all of the
// time"). The raw score, their sum (7–35), is converted to the metric
// score with the published conversion table (Metric) before it is
// compared or averaged.
type SWEMWBS [7]int

// Raw returns the sum of the seven answers, 7–35 for a valid form.
func (s SWEMWBS) Raw() int {
	t := 0
	for _, v := range s {
		t += v
	}
	return t
}

// Metric returns the metric score of the form (the published SWEMWBS conversion table).
func (s SWEMWBS) Metric() (decimal.Decimal, error) { return swemwbsMetricOf(s.Raw()) }

// swemwbsMetric is the SWEMWBS raw score to metric score conversion table
// (Rasch-based), raw scores 7 to 35, in hundredths: "SWEMWBS conversion
// table", Warwick Medical School,
// https://warwick.ac.uk/fac/sci/med/research/platform/wemwbs/using/howto/swemwbs_raw_score_to_metric_score_conversion_table.pdf,
// from Stewart-Brown et al. (2009), "Internal construct validity of the
// Warwick-Edinburgh Mental Well-being Scale (WEMWBS): a Rasch analysis
// using data from the Scottish Health Education Population Survey",
// Health and Quality of Life Outcomes 7:15.
var swemwbsMetric = [29]int64{
	700, 951, 1125, 1240, 1333, 1408, 1475, // 7–13
	1532, 1584, 1636, 1688, 1743, 1798, 1859, // 14–20
	1925, 1998, 2073, 2154, 2235, 2321, 2411, // 21–27
	2503, 2602, 2703, 2813, 2931, 3070, 3255, // 28–34
	3500, // 35
}

// swemwbsMetricOf converts a SWEMWBS raw score (7–35) to its metric score.
func swemwbsMetricOf(raw int) (decimal.Decimal, error) {
	if raw < 7 || raw > 35 {
		return decimal.Zero, invalid("SWEMWBS", "raw score %d is outside 7–35", raw)
	}
	return decimal.New(swemwbsMetric[raw-7], -2), nil
}

// Wheel is the scheme's own outcome wheel: eight areas of life, each
// scored 1 (struggling) to 10 (thriving) by the person with their advisor.
type Wheel [8]int

// WheelItems names the areas of the outcome wheel, in order.
func WheelItems() [8]string {
	return [8]string{
		"health and managing conditions",
		"physical activity",
		"friends and social contact",
		"money",
		"home and housing",
		"feeling positive",
		"independence and daily living",
		"work, learning and volunteering",
	}
}

// Total returns the sum of the wheel's eight scores, 8–80.
func (w Wheel) Total() int {
	t := 0
	for _, v := range w {
		t += v
	}
	return t
}

// Validate checks every item of every measure taken.
func (w *Wellbeing) Validate() error {
	if w.Stage != Baseline && w.Stage != FollowUp {
		return invalid("Stage", "%q is neither %q nor %q", w.Stage, Baseline, FollowUp)
	}
	if w.ONS4 == nil && w.SWEMWBS == nil && w.Wheel == nil {
		return invalid("Wellbeing", "take at least one measure")
	}
	if w.ONS4 != nil {
		for i, v := range w.ONS4.Items() {
			if v < 0 || v > 10 {
				return invalid("ONS4."+ONS4Items()[i], "%d is outside 0–10", v)
			}
		}
	}
	if w.SWEMWBS != nil {
		for i, v := range w.SWEMWBS {
			if v < 1 || v > 5 {
				return invalid("SWEMWBS", "item %d: %d is outside 1–5", i+1, v)
			}
		}
	}
	if w.Wheel != nil {
		for i, v := range w.Wheel {
			if v < 1 || v > 10 {
				return invalid("Wheel", "%s: %d is outside 1–10", WheelItems()[i], v)
			}
		}
	}
	return nil
}

// Measure names a wellbeing score whose change is reported.
type Measure string

// Measures whose change Report computes. For ONS4Anxious a fall is an
// improvement.
const (
	MeasureSWEMWBS       Measure = "swemwbs"
	MeasureONS4Satisfied Measure = "ons4-satisfied"
	MeasureONS4Worth     Measure = "ons4-worthwhile"
	MeasureONS4Happy     Measure = "ons4-happy"
	MeasureONS4Anxious   Measure = "ons4-anxious"
	MeasureWheel         Measure = "wheel"
)

// Measures lists the measures in report order.
func Measures() []Measure {
	return []Measure{MeasureSWEMWBS, MeasureONS4Satisfied, MeasureONS4Worth, MeasureONS4Happy, MeasureONS4Anxious, MeasureWheel}
}

// score returns the measure's value in w, if w took it.
func (m Measure) score(w *Wellbeing) (decimal.Decimal, bool) {
	switch m {
	case MeasureSWEMWBS:
		if w.SWEMWBS != nil {
			v, err := w.SWEMWBS.Metric()
			return v, err == nil
		}
	case MeasureWheel:
		if w.Wheel != nil {
			return decimal.NewFromInt(int64(w.Wheel.Total())), true
		}
	default:
		if w.ONS4 != nil {
			i := map[Measure]int{MeasureONS4Satisfied: 0, MeasureONS4Worth: 1, MeasureONS4Happy: 2, MeasureONS4Anxious: 3}[m]
			return decimal.NewFromInt(int64(w.ONS4.Items()[i])), true
		}
	}
	return decimal.Zero, false
}

// Pair returns a person's paired scores for a measure: the first baseline
// that took it and the latest follow-up that took it, and true; or false
// if either is missing.
func (r *Referral) Pair(m Measure) (before, after decimal.Decimal, ok bool) {
	var hasB, hasA bool
	for i := range r.Wellbeing {
		w := &r.Wellbeing[i]
		v, took := m.score(w)
		if !took {
			continue
		}
		switch w.Stage {
		case Baseline:
			if !hasB {
				before, hasB = v, true
			}
		case FollowUp:
			after, hasA = v, true
		}
	}
	return before, after, hasB && hasA
}
