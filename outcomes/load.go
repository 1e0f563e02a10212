package outcomes

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/strongertogether/community/call"
)

// File is an outcome framework written down as data: the framework and its
// indicators, as JSON. examples/frameworks/thurrock-b3.json is the B3
// framework of the seed in this form:
//
//	{
//	  "framework": {"id": "thurrock-b3", "title": "…", "area": "E06000034", "end": "2021"},
//	  "indicators": [
//	    {"id": "dementia-diagnosis-rate", "title": "…", "unit": "percentage",
//	     "valueType": "proportion", "polarity": "higher-is-better",
//	     "periodType": "calendar-year", "decimals": 2,
//	     "baseline": {"value": "66.4", "period": "2016", "asOf": "April 2016"},
//	     "target": {"status": "set", "value": "67", "period": "2021"},
//	     "trajectory": {"kind": "linear"}}
//	  ]
//	}
//
// An indicator's "framework" may be left out. A trajectory with no "end"
// runs to the framework's "end" when that is of the indicator's period
// type. Unknown fields are refused, so a misspelt one is not silently
// ignored.
type File struct {
	Framework  NewFramework    `json:"framework"`
	Indicators []*NewIndicator `json:"indicators"`
}

// maxFile bounds a framework file, in bytes.
const maxFile = 8 << 20

// parseFile reads a framework file and checks every record in it. It
// returns ErrInvalid (a *FieldError naming the indicator and field) for
// bad content; the actor and times are filled in by LoadFramework.
func parseFile(r io.Reader) (*File, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("read framework file: %w", err)
	}
	if len(body) > maxFile {
		return nil, invalid("file", "is larger than %d bytes", maxFile)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, invalid("file", "%v", err)
	}
	if dec.More() {
		return nil, invalid("file", "has more than one JSON value")
	}
	if f.Framework.Policy.AmberShare.IsZero() && f.Framework.Policy.Confidence.IsZero() {
		f.Framework.Policy = DefaultPolicy()
	}
	if len(f.Indicators) == 0 {
		return nil, invalid("indicators", "a framework file lists its indicators")
	}
	seen := map[string]bool{}
	for i, ind := range f.Indicators {
		if ind == nil {
			return nil, invalid(fmt.Sprintf("indicators[%d]", i), "is null")
		}
		if ind.Framework == "" {
			ind.Framework = f.Framework.ID
		}
		if ind.Framework != f.Framework.ID {
			return nil, invalid(fmt.Sprintf("indicators[%d].framework", i), "%q is not the file's framework %q", ind.Framework, f.Framework.ID)
		}
		if seen[ind.ID] {
			return nil, invalid(fmt.Sprintf("indicators[%d].id", i), "%q appears twice", ind.ID)
		}
		seen[ind.ID] = true
		if tr := ind.Trajectory; tr != nil && tr.End.IsZero() && f.Framework.End.Type == ind.PeriodType {
			tr.End = f.Framework.End
		}
		ind.Replaces = 0
		if err := ind.indicator().validate(); err != nil {
			return nil, within(fmt.Sprintf("indicators[%d](%s)", i, clip(ind.ID)), err)
		}
	}
	return &f, nil
}

// Loaded is a framework as LoadFramework wrote it, with the
// inconsistencies found in it (Warnings): stated changes that do not match
// baseline and target, targets worse than baselines, trajectories that
// miss their targets, baselines measured at another time.
type Loaded struct {
	Framework  *Framework
	Indicators []*Indicator
	Warnings   []Warning
}

// LoadFramework reads a framework file (see File) and creates the
// framework and all its indicators in one write; the administrator
// loading it becomes the framework's owner. Inconsistencies that are not
// errors — a stated change that does not match baseline and target — are
// returned as Warnings, not silently accepted. Only an administrator may;
// the actor is checked before the file is read. It returns ErrForbidden,
// ErrInvalid for a bad file (nothing is written) and ErrConflict if the
// framework or an indicator exists.
func (s *Service) LoadFramework(ctx context.Context, w call.Write, r io.Reader) (*Loaded, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error { return s.requireAdmin(ctx, actor) }
	if err := checkActor(w.Actor); err != nil {
		return nil, err
	}
	if err := allow(ctx); err != nil {
		return nil, fmt.Errorf("load framework: %w", err)
	}
	file, err := parseFile(r)
	if err != nil {
		return nil, err
	}
	return write(ctx, s, w, "framework.load", file, allow,
		func(now time.Time) (*Batch, string, error) {
			f := s.newFramework(file.Framework, actor, now)
			if err := f.validate(); err != nil {
				return nil, "", within("framework", err)
			}
			b := &Batch{Frameworks: []*Framework{f}}
			for _, ind := range file.Indicators {
				ni := ind.indicator()
				ni.Framework = f.ID
				ni.Version, ni.CreatedAt, ni.CreatedBy, ni.UpdatedAt, ni.UpdatedBy = 1, now, actor, now, actor
				b.Indicators = append(b.Indicators, ni)
			}
			b.Events = []Event{event(f.ID, now, actor, "framework.load", f.ID, fmt.Sprintf("%d indicators", len(b.Indicators)))}
			return b, f.ID, nil
		}, s.loaded)
}

// loaded reads back a framework with its indicators and warnings.
func (s *Service) loaded(ctx context.Context, id string) (*Loaded, error) {
	f, err := s.store.Framework(ctx, id)
	if err != nil {
		return nil, err
	}
	inds, err := s.store.Indicators(ctx, IndicatorFilter{Framework: &id})
	if err != nil {
		return nil, err
	}
	return &Loaded{Framework: f, Indicators: inds, Warnings: check(f, inds)}, nil
}

// Framework returns a framework with its indicators and the warnings
// found in them (see Loaded). It returns only definitions (no personal
// data) and checks no role; ErrNotFound for an unknown id.
func (s *Service) Framework(ctx context.Context, id string) (*Loaded, error) {
	l, err := s.loaded(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("framework %s: %w", id, err)
	}
	return l, err
}
