package prescribing_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/strongertogether/community/call"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	rx "github.com/strongertogether/community/prescribing"
)

var start = time.Date(2016, time.October, 3, 9, 0, 0, 0, time.UTC)

// world is a scheme with two pilot practices and their staff, over a
// memory store, with a clock tests move on.
type world struct {
	t     *testing.T
	ctx   context.Context
	svc   *rx.Service
	store rx.Store
	mu    sync.Mutex
	now   time.Time
	logs  *bytes.Buffer
	n     int

	tilbury, aveley          *rx.Practice
	mgr, gp, nurse, adv, gp2 *rx.Staff
	gpAveley                 *rx.Staff
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, ctx: t.Context(), now: start, logs: &bytes.Buffer{}}
	w.store = memory.NewPrescribingStore()
	logger := slog.New(slog.NewJSONHandler(lockedWriter{w}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w.svc = rx.NewService(w.store, rx.WithClock(w.clock), rx.WithLogger(logger))
	var err error
	require.NoError(t, w.svc.Bootstrap(w.ctx, call.As("stf-manager")))
	w.mgr, err = w.svc.Staff(w.ctx, call.As("stf-manager"), "stf-manager")
	require.NoError(t, err)
	w.tilbury = w.practice("F81001", "Tilbury")
	w.aveley = w.practice("F81002", "Aveley")
	w.gp = w.staff(rx.RoleGP, 0, w.tilbury.ID)
	w.gp2 = w.staff(rx.RoleGP, 0, w.tilbury.ID)
	w.nurse = w.staff(rx.RolePracticeNurse, 0, w.tilbury.ID)
	w.adv = w.staff(rx.RoleAdvisor, 3, w.tilbury.ID, w.aveley.ID)
	w.gpAveley = w.staff(rx.RoleGP, 0, w.aveley.ID)
	return w
}

type lockedWriter struct{ w *world }

func (l lockedWriter) Write(p []byte) (int, error) {
	l.w.mu.Lock()
	defer l.w.mu.Unlock()
	return l.w.logs.Write(p)
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *world) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func (w *world) key() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n++
	return fmt.Sprintf("key-%d", w.n)
}

func (w *world) practice(ods, area string) *rx.Practice {
	p, err := w.svc.RegisterPractice(w.ctx, call.As(w.mgr.ID).Key(w.key()), rx.NewPractice{ODS: ods, Name: area + " Medical Centre", PCN: "Thurrock", Area: area})
	require.NoError(w.t, err)
	return p
}

func (w *world) staff(role rx.Role, caseload int, practices ...string) *rx.Staff {
	s, err := w.svc.AddStaff(w.ctx, call.As(w.mgr.ID).Key(w.key()), rx.NewStaff{Name: "Dr " + string(role), Role: role, Practices: practices, Caseload: caseload})
	require.NoError(w.t, err)
	return s
}

// nhs returns the i-th valid NHS number, spaced as people type it.
func nhs(i int) string {
	for n := 999000000 + i*13; ; n++ {
		s := fmt.Sprintf("%09d", n)
		sum := 0
		for j := 0; j < 9; j++ {
			sum += int(s[j]-'0') * (10 - j)
		}
		c := 11 - sum%11
		if c == 10 {
			continue
		}
		if c == 11 {
			c = 0
		}
		d := fmt.Sprintf("%s%d", s, c)
		return d[:3] + " " + d[3:6] + " " + d[6:]
	}
}

func (w *world) patient(practice *rx.Practice, i int, area string) *rx.Patient {
	gp := w.gp
	if practice.ID == w.aveley.ID {
		gp = w.gpAveley
	}
	p, err := w.svc.RegisterPatient(w.ctx, call.As(gp.ID).Key(w.key()), rx.NewPatient{Practice: practice.ID, NHSNumber: nhs(i), Name: fmt.Sprintf("Patient Name%d", i), Area: area})
	require.NoError(w.t, err)
	return p
}

// referred makes a direct GP referral for a new patient of Tilbury.
func (w *world) referred(i int) *rx.Referral {
	p := w.patient(w.tilbury, i, "Tilbury")
	r, err := w.svc.Refer(w.ctx, call.As(w.gp.ID).Key(w.key()), w.tilbury.ID, rx.NewReferral{Patient: p.ID})
	require.NoError(w.t, err)
	return r
}

// fieldIs asserts err wraps sentinel and is a *FieldError for field.
func fieldIs(t *testing.T, err error, sentinel error, field string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, sentinel)
	var fe *rx.FieldError
	if assert.True(t, errors.As(err, &fe), "not a *FieldError: %v", err) {
		assert.Equal(t, field, fe.Field, "field of %v", err)
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func csvOf(rows ...string) *strings.Reader {
	return strings.NewReader("nhs_number,score\n" + strings.Join(rows, "\n") + "\n")
}
