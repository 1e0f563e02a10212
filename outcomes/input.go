package outcomes

import (
	"log/slog"
	"time"

	"github.com/shopspring/decimal"
)

// NewFramework is a framework to create (see CreateFramework and File):
// what it measures, for which area, to which horizon, with which RAG
// policy, and the roles to grant besides the creator's. The JSON names are
// those of a framework file.
type NewFramework struct {
	// ID is the framework's id; empty for a new one.
	ID        string `json:"id"`
	Title     string `json:"title"`
	Goal      string `json:"goal,omitempty"`
	Objective string `json:"objective,omitempty"`
	Strategy  string `json:"strategy,omitempty"`
	// Area is the code of the area the framework is measured for, e.g.
	// "E06000034" (Thurrock).
	Area string `json:"area"`
	// End is the framework's horizon; trajectories are carried to it.
	End Period `json:"end,omitempty"`
	// Policy is the RAG policy; DefaultPolicy when left zero.
	Policy Policy `json:"policy"`
	// Roles are granted with the framework, actor id to role.
	Roles map[string]Role `json:"roles,omitempty"`
}

// NewIndicator is an indicator to create or change (see PutIndicator and
// File). Its fields mean what Indicator's do; Replaces is 0 to create an
// indicator and, to change one, the Version read, so a change made
// meanwhile is not overwritten.
type NewIndicator struct {
	ID           string           `json:"id"`
	Framework    string           `json:"framework"`
	Title        string           `json:"title"`
	Definition   string           `json:"definition,omitempty"`
	Rationale    string           `json:"rationale,omitempty"`
	Source       string           `json:"source,omitempty"`
	Unit         Unit             `json:"unit"`
	Per          int64            `json:"per,omitempty"`
	ValueType    ValueType        `json:"valueType"`
	Polarity     Polarity         `json:"polarity"`
	PeriodType   PeriodType       `json:"periodType"`
	Decimals     int32            `json:"decimals"`
	Objective    string           `json:"objective,omitempty"`
	Strategy     string           `json:"strategy,omitempty"`
	Programme    string           `json:"programme,omitempty"`
	Owner        string           `json:"owner,omitempty"`
	Comparator   string           `json:"comparator,omitempty"`
	FingertipsID int64            `json:"fingertipsId,omitempty"`
	Baseline     *Baseline        `json:"baseline,omitempty"`
	Target       *Target          `json:"target,omitempty"`
	Trajectory   *Trajectory      `json:"trajectory,omitempty"`
	StatedChange *decimal.Decimal `json:"statedChange,omitempty"`
	StatedText   string           `json:"statedText,omitempty"`

	// Replaces is 0 for a new indicator, or the Version being changed.
	Replaces int64 `json:"-"`
}

// Edit returns ind as a NewIndicator that changes it: every field as it is,
// and Replaces set to its Version.
func (ind *Indicator) Edit() NewIndicator {
	c := ind.Clone()
	return NewIndicator{ID: c.ID, Framework: c.Framework, Title: c.Title, Definition: c.Definition, Rationale: c.Rationale,
		Source: c.Source, Unit: c.Unit, Per: c.Per, ValueType: c.ValueType, Polarity: c.Polarity, PeriodType: c.PeriodType,
		Decimals: c.Decimals, Objective: c.Objective, Strategy: c.Strategy, Programme: c.Programme, Owner: c.Owner,
		Comparator: c.Comparator, FingertipsID: c.FingertipsID, Baseline: c.Baseline, Target: c.Target,
		Trajectory: c.Trajectory, StatedChange: c.StatedChange, StatedText: c.StatedText, Replaces: c.Version}
}

// indicator returns a deep copy of n as an Indicator with no version.
func (n NewIndicator) indicator() *Indicator {
	ind := &Indicator{ID: n.ID, Framework: n.Framework, Title: n.Title, Definition: n.Definition, Rationale: n.Rationale,
		Source: n.Source, Unit: n.Unit, Per: n.Per, ValueType: n.ValueType, Polarity: n.Polarity, PeriodType: n.PeriodType,
		Decimals: n.Decimals, Objective: n.Objective, Strategy: n.Strategy, Programme: n.Programme, Owner: n.Owner,
		Comparator: n.Comparator, FingertipsID: n.FingertipsID, Baseline: n.Baseline, Target: n.Target,
		Trajectory: n.Trajectory, StatedChange: n.StatedChange, StatedText: n.StatedText}
	return ind.Clone()
}

// NewMeasurement is a figure to record (see Record, the imports and
// MeasurementSource): an indicator's value for one area and period, with
// its count and denominator when known, and its confidence interval when
// supplied (both limits or neither; otherwise it is computed).
type NewMeasurement struct {
	Indicator   string
	Area        string
	Period      Period
	Value       decimal.Decimal
	Count       *decimal.Decimal
	Denominator *decimal.Decimal
	Lower       *decimal.Decimal
	Upper       *decimal.Decimal
	Source      string
	Note        string
}

// measurement returns n as a Measurement with no revision. It shares n's
// decimals: callers pass a copy they own.
func (n *NewMeasurement) measurement() *Measurement {
	m := &Measurement{Indicator: n.Indicator, Area: n.Area, Period: n.Period, Value: n.Value,
		Count: n.Count, Denominator: n.Denominator, Lower: n.Lower, Upper: n.Upper,
		Source: n.Source, Note: n.Note}
	if m.Lower != nil && m.Upper != nil {
		m.CIMethod = MethodSupplied
	}
	return m
}

// NewStory is a case study to add (see AddStory): attached to an indicator
// or a programme of a framework, dated, tagged, with the consent of the
// person it is about. It is added as a draft, or published when Publish is
// set (which needs consent given).
type NewStory struct {
	// ID is the story's id; empty for a new one.
	ID        string
	Framework string
	Indicator string
	Programme string
	Title     string
	Body      string
	// Date is when it happened.
	Date    time.Time
	Tags    []string
	Consent Consent
	Publish bool
}

// String names the story's framework and indicator, never its title,
// body or tags, which may name the person it is about.
func (n NewStory) String() string {
	return "new story for " + n.Framework + " " + n.Indicator
}

// GoString is String, so that %#v redacts too.
func (n NewStory) GoString() string { return n.String() }

// LogValue logs the story's framework, indicator and programme only.
func (n NewStory) LogValue() slog.Value {
	return slog.GroupValue(slog.String("framework", n.Framework), slog.String("indicator", n.Indicator), slog.String("programme", n.Programme))
}

// story returns n as a Story with no version.
func (n NewStory) story() *Story {
	st := &Story{ID: n.ID, Framework: n.Framework, Indicator: n.Indicator, Programme: n.Programme, Title: n.Title,
		Body: n.Body, Date: norm(n.Date), Tags: append([]string(nil), n.Tags...), Consent: n.Consent, Status: StoryDraft}
	st.Consent.Date = norm(st.Consent.Date)
	if n.Publish {
		st.Status = StoryPublished
	}
	return st
}
