// Package outcomesrec holds the stored form of the outcomes records that
// the SQL stores keep as JSON — frameworks, indicators and stories — with
// their conversions to and from the domain types. adapters/sqlite and
// adapters/postgres share it, so a renamed or retyped field of the domain
// cannot change what is stored: the stored names are the json tags here.
//
// Every record carries a format version "v". Version 1 is this package's
// form; a record without "v" (written before the records were explicit)
// has the same names and is read as version 1.
package outcomesrec

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
)

// Version is the format version written.
const Version = 1

// Framework is the stored form of outcomes.Framework.
type Framework struct {
	V         int               `json:"v"`
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Goal      string            `json:"goal,omitempty"`
	Objective string            `json:"objective,omitempty"`
	Strategy  string            `json:"strategy,omitempty"`
	Area      string            `json:"area"`
	End       string            `json:"end,omitempty"`
	Policy    Policy            `json:"policy"`
	Roles     map[string]string `json:"roles"`
	Version   int64             `json:"version"`
	CreatedAt time.Time         `json:"createdAt"`
	CreatedBy string            `json:"createdBy"`
	UpdatedAt time.Time         `json:"updatedAt"`
	UpdatedBy string            `json:"updatedBy"`
}

// Policy is the stored form of outcomes.Policy.
type Policy struct {
	AmberShare string `json:"amberShare"`
	Confidence string `json:"confidence"`
}

// Indicator is the stored form of outcomes.Indicator.
type Indicator struct {
	V            int         `json:"v"`
	ID           string      `json:"id"`
	Framework    string      `json:"framework"`
	Title        string      `json:"title"`
	Definition   string      `json:"definition,omitempty"`
	Rationale    string      `json:"rationale,omitempty"`
	Source       string      `json:"source,omitempty"`
	Unit         string      `json:"unit"`
	Per          int64       `json:"per,omitempty"`
	ValueType    string      `json:"valueType"`
	Polarity     string      `json:"polarity"`
	PeriodType   string      `json:"periodType"`
	Decimals     int32       `json:"decimals"`
	Objective    string      `json:"objective,omitempty"`
	Strategy     string      `json:"strategy,omitempty"`
	Programme    string      `json:"programme,omitempty"`
	Owner        string      `json:"owner,omitempty"`
	Comparator   string      `json:"comparator,omitempty"`
	FingertipsID int64       `json:"fingertipsId,omitempty"`
	Baseline     *Baseline   `json:"baseline,omitempty"`
	Target       *Target     `json:"target,omitempty"`
	Trajectory   *Trajectory `json:"trajectory,omitempty"`
	StatedChange *string     `json:"statedChange,omitempty"`
	StatedText   string      `json:"statedText,omitempty"`
	Version      int64       `json:"version"`
	CreatedAt    time.Time   `json:"createdAt"`
	CreatedBy    string      `json:"createdBy"`
	UpdatedAt    time.Time   `json:"updatedAt"`
	UpdatedBy    string      `json:"updatedBy"`
}

// Baseline is the stored form of outcomes.Baseline.
type Baseline struct {
	Value  string `json:"value"`
	Period string `json:"period"`
	AsOf   string `json:"asOf,omitempty"`
}

// Target is the stored form of outcomes.Target.
type Target struct {
	Status string `json:"status"`
	Value  string `json:"value"`
	Period string `json:"period"`
	Note   string `json:"note,omitempty"`
}

// Trajectory is the stored form of outcomes.Trajectory.
type Trajectory struct {
	Kind       string  `json:"kind"`
	Rate       string  `json:"rate,omitempty"`
	Milestones []Point `json:"milestones,omitempty"`
	End        string  `json:"end,omitempty"`
}

// Point is the stored form of outcomes.Point.
type Point struct {
	Period string `json:"period"`
	Value  string `json:"value"`
}

// Story is the stored form of outcomes.Story.
type Story struct {
	V         int       `json:"v"`
	ID        string    `json:"id"`
	Framework string    `json:"framework"`
	Indicator string    `json:"indicator,omitempty"`
	Programme string    `json:"programme,omitempty"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Date      time.Time `json:"date"`
	Tags      []string  `json:"tags,omitempty"`
	Consent   Consent   `json:"consent"`
	Status    string    `json:"status"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy"`
}

// Consent is the stored form of outcomes.Consent.
type Consent struct {
	Given      bool      `json:"given"`
	Date       time.Time `json:"date"`
	RecordedBy string    `json:"recordedBy,omitempty"`
	Scope      string    `json:"scope,omitempty"`
}

// period writes a period ("" for none).
func period(p outcomes.Period) string { return p.String() }

// readPeriod reads a period ("" for none).
func readPeriod(what, s string) (outcomes.Period, error) {
	if s == "" {
		return outcomes.Period{}, nil
	}
	p, err := outcomes.ParsePeriod(s)
	if err != nil {
		return p, fmt.Errorf("%s: %w", what, err)
	}
	return p, nil
}

// readDec reads a decimal; "" is zero.
func readDec(what, s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return d, fmt.Errorf("%s: %w", what, err)
	}
	return d, nil
}

// check refuses a format version this package does not read.
func check(kind string, v int) error {
	if v < 0 || v > Version {
		return fmt.Errorf("%s record of format version %d: this build reads up to %d", kind, v, Version)
	}
	return nil
}

// EncodeFramework returns f's stored JSON.
func EncodeFramework(f *outcomes.Framework) ([]byte, error) {
	r := Framework{V: Version, ID: f.ID, Title: f.Title, Goal: f.Goal, Objective: f.Objective, Strategy: f.Strategy,
		Area: f.Area, End: period(f.End), Policy: Policy{AmberShare: f.Policy.AmberShare.String(), Confidence: f.Policy.Confidence.String()},
		Roles: make(map[string]string, len(f.Roles)), Version: f.Version,
		CreatedAt: f.CreatedAt.UTC(), CreatedBy: f.CreatedBy, UpdatedAt: f.UpdatedAt.UTC(), UpdatedBy: f.UpdatedBy}
	for k, v := range f.Roles {
		r.Roles[k] = string(v)
	}
	return json.Marshal(r)
}

// DecodeFramework reads a framework's stored JSON.
func DecodeFramework(b []byte) (*outcomes.Framework, error) {
	var r Framework
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("framework record: %w", err)
	}
	if err := check("framework", r.V); err != nil {
		return nil, err
	}
	f := &outcomes.Framework{ID: r.ID, Title: r.Title, Goal: r.Goal, Objective: r.Objective, Strategy: r.Strategy, Area: r.Area,
		Roles: make(map[string]outcomes.Role, len(r.Roles)), Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt.UTC(), UpdatedBy: r.UpdatedBy}
	var err error
	if f.End, err = readPeriod("framework end", r.End); err != nil {
		return nil, err
	}
	if f.Policy.AmberShare, err = readDec("framework amberShare", r.Policy.AmberShare); err != nil {
		return nil, err
	}
	if f.Policy.Confidence, err = readDec("framework confidence", r.Policy.Confidence); err != nil {
		return nil, err
	}
	for k, v := range r.Roles {
		f.Roles[k] = outcomes.Role(v)
	}
	return f, nil
}

// EncodeIndicator returns ind's stored JSON.
func EncodeIndicator(ind *outcomes.Indicator) ([]byte, error) {
	r := Indicator{V: Version, ID: ind.ID, Framework: ind.Framework, Title: ind.Title, Definition: ind.Definition,
		Rationale: ind.Rationale, Source: ind.Source, Unit: string(ind.Unit), Per: ind.Per, ValueType: string(ind.ValueType),
		Polarity: string(ind.Polarity), PeriodType: string(ind.PeriodType), Decimals: ind.Decimals, Objective: ind.Objective,
		Strategy: ind.Strategy, Programme: ind.Programme, Owner: ind.Owner, Comparator: ind.Comparator,
		FingertipsID: ind.FingertipsID, StatedText: ind.StatedText, Version: ind.Version,
		CreatedAt: ind.CreatedAt.UTC(), CreatedBy: ind.CreatedBy, UpdatedAt: ind.UpdatedAt.UTC(), UpdatedBy: ind.UpdatedBy}
	if b := ind.Baseline; b != nil {
		r.Baseline = &Baseline{Value: b.Value.String(), Period: period(b.Period), AsOf: b.AsOf}
	}
	if t := ind.Target; t != nil {
		r.Target = &Target{Status: string(t.Status), Value: t.Value.String(), Period: period(t.Period), Note: t.Note}
	}
	if tr := ind.Trajectory; tr != nil {
		r.Trajectory = &Trajectory{Kind: string(tr.Kind), Rate: tr.Rate.String(), End: period(tr.End)}
		for _, p := range tr.Milestones {
			r.Trajectory.Milestones = append(r.Trajectory.Milestones, Point{Period: period(p.Period), Value: p.Value.String()})
		}
	}
	if ind.StatedChange != nil {
		s := ind.StatedChange.String()
		r.StatedChange = &s
	}
	return json.Marshal(r)
}

// DecodeIndicator reads an indicator's stored JSON.
func DecodeIndicator(b []byte) (*outcomes.Indicator, error) {
	var r Indicator
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("indicator record: %w", err)
	}
	if err := check("indicator", r.V); err != nil {
		return nil, err
	}
	ind := &outcomes.Indicator{ID: r.ID, Framework: r.Framework, Title: r.Title, Definition: r.Definition,
		Rationale: r.Rationale, Source: r.Source, Unit: outcomes.Unit(r.Unit), Per: r.Per, ValueType: outcomes.ValueType(r.ValueType),
		Polarity: outcomes.Polarity(r.Polarity), PeriodType: outcomes.PeriodType(r.PeriodType), Decimals: r.Decimals,
		Objective: r.Objective, Strategy: r.Strategy, Programme: r.Programme, Owner: r.Owner, Comparator: r.Comparator,
		FingertipsID: r.FingertipsID, StatedText: r.StatedText, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt.UTC(), UpdatedBy: r.UpdatedBy}
	var err error
	if b := r.Baseline; b != nil {
		x := &outcomes.Baseline{AsOf: b.AsOf}
		if x.Value, err = readDec("baseline value", b.Value); err != nil {
			return nil, err
		}
		if x.Period, err = readPeriod("baseline period", b.Period); err != nil {
			return nil, err
		}
		ind.Baseline = x
	}
	if t := r.Target; t != nil {
		x := &outcomes.Target{Status: outcomes.TargetStatus(t.Status), Note: t.Note}
		if x.Value, err = readDec("target value", t.Value); err != nil {
			return nil, err
		}
		if x.Period, err = readPeriod("target period", t.Period); err != nil {
			return nil, err
		}
		ind.Target = x
	}
	if tr := r.Trajectory; tr != nil {
		x := &outcomes.Trajectory{Kind: outcomes.TrajectoryKind(tr.Kind)}
		if x.Rate, err = readDec("trajectory rate", tr.Rate); err != nil {
			return nil, err
		}
		if x.End, err = readPeriod("trajectory end", tr.End); err != nil {
			return nil, err
		}
		for _, p := range tr.Milestones {
			var pt outcomes.Point
			if pt.Period, err = readPeriod("milestone period", p.Period); err != nil {
				return nil, err
			}
			if pt.Value, err = readDec("milestone value", p.Value); err != nil {
				return nil, err
			}
			x.Milestones = append(x.Milestones, pt)
		}
		ind.Trajectory = x
	}
	if r.StatedChange != nil {
		d, err := readDec("statedChange", *r.StatedChange)
		if err != nil {
			return nil, err
		}
		ind.StatedChange = &d
	}
	return ind, nil
}

// EncodeStory returns st's stored JSON.
func EncodeStory(st *outcomes.Story) ([]byte, error) {
	return json.Marshal(Story{V: Version, ID: st.ID, Framework: st.Framework, Indicator: st.Indicator, Programme: st.Programme,
		Title: st.Title, Body: st.Body, Date: st.Date.UTC(), Tags: st.Tags,
		Consent: Consent{Given: st.Consent.Given, Date: st.Consent.Date.UTC(), RecordedBy: st.Consent.RecordedBy, Scope: string(st.Consent.Scope)},
		Status:  string(st.Status), Version: st.Version,
		CreatedAt: st.CreatedAt.UTC(), CreatedBy: st.CreatedBy, UpdatedAt: st.UpdatedAt.UTC(), UpdatedBy: st.UpdatedBy})
}

// DecodeStory reads a story's stored JSON.
func DecodeStory(b []byte) (*outcomes.Story, error) {
	var r Story
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("story record: %w", err)
	}
	if err := check("story", r.V); err != nil {
		return nil, err
	}
	return &outcomes.Story{ID: r.ID, Framework: r.Framework, Indicator: r.Indicator, Programme: r.Programme,
		Title: r.Title, Body: r.Body, Date: r.Date.UTC(), Tags: r.Tags,
		Consent: outcomes.Consent{Given: r.Consent.Given, Date: r.Consent.Date.UTC(), RecordedBy: r.Consent.RecordedBy, Scope: outcomes.ConsentScope(r.Consent.Scope)},
		Status:  outcomes.StoryStatus(r.Status), Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt.UTC(), UpdatedBy: r.UpdatedBy}, nil
}
