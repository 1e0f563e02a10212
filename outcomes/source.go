package outcomes

import (
	"context"
	"fmt"
	"time"

	"github.com/strongertogether/community/call"
)

// MeasurementSource is what another domain's report can feed into a
// framework without this package importing it: the time bank's hours
// exchanged per month, the hubs' events per quarter, the grants' money
// awarded. The application wires a source to a framework (see Pull); the
// source names the indicator each measurement belongs to.
type MeasurementSource interface {
	// Measurements returns the measurements for periods starting in
	// [from, to).
	Measurements(ctx context.Context, from, to time.Time) ([]NewMeasurement, error)
}

// SourceFunc adapts a function to a MeasurementSource.
type SourceFunc func(ctx context.Context, from, to time.Time) ([]NewMeasurement, error)

// Measurements calls f.
func (f SourceFunc) Measurements(ctx context.Context, from, to time.Time) ([]NewMeasurement, error) {
	return f(ctx, from, to)
}

// Pull reads a source's measurements for [from, to) and records them in a
// framework as ImportMeasurements does: all or nothing, with every bad
// measurement reported in an *ImportError (Line is the measurement's place
// in the source's list, from 1), and unchanged figures not written again.
// Contributors and above may pull; the actor is checked before the source
// is read. It returns ErrForbidden, ErrInvalid and the source's errors.
func (s *Service) Pull(ctx context.Context, w call.Write, framework string, src MeasurementSource, from, to time.Time) (*ImportResult, error) {
	if err := s.allowImport(ctx, w, framework); err != nil {
		return nil, fmt.Errorf("pull into %s: %w", framework, err)
	}
	if src == nil {
		return nil, invalid("src", "is required")
	}
	if !from.Before(to) {
		return nil, invalid("to", "%s is not after %s", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	ms, err := src.Measurements(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("pull into %s: %w", framework, err)
	}
	lines := make([]line, len(ms))
	for i, m := range ms {
		own := NewMeasurement{Indicator: m.Indicator, Area: m.Area, Period: m.Period, Value: m.Value,
			Count: cloneDec(m.Count), Denominator: cloneDec(m.Denominator), Lower: cloneDec(m.Lower), Upper: cloneDec(m.Upper),
			Source: m.Source, Note: m.Note}
		lines[i] = line{Line: i + 1, Measurement: own.measurement()}
	}
	return s.importLines(ctx, w, "measurement.pull", framework, lines, 0)
}
