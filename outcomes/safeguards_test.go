package outcomes_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// untouchable fails the test if anything reads it.
type untouchable struct{ t *testing.T }

func (u untouchable) Read([]byte) (int, error) {
	u.t.Error("the input was read before the actor was checked")
	return 0, io.EOF
}

// A stranger's import is refused before a byte of the input is read (a
// stranger's 100 MB file used to cost +518 MB before ErrForbidden).
func TestImportsCheckTheActorFirst(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	stranger := call.As("stranger")
	_, err := f.svc.ImportMeasurements(ctx, stranger.Key("a"), "thurrock-b3", untouchable{t})
	requireField(t, err, outcomes.ErrForbidden, "actor")
	_, err = f.svc.ImportFingertips(ctx, stranger.Key("b"), "thurrock-b3", untouchable{t})
	requireField(t, err, outcomes.ErrForbidden, "actor")
	_, err = f.svc.ImportMeasurements(ctx, stranger.Key("c"), "no-such-framework", untouchable{t})
	requireField(t, err, outcomes.ErrForbidden, "actor")
	_, err = f.svc.LoadFramework(ctx, stranger.Key("d"), untouchable{t})
	requireField(t, err, outcomes.ErrForbidden, "actor")
	src := outcomes.SourceFunc(func(context.Context, time.Time, time.Time) ([]outcomes.NewMeasurement, error) {
		t.Error("the source was read before the actor was checked")
		return nil, nil
	})
	_, err = f.svc.Pull(ctx, stranger.Key("e"), "thurrock-b3", src, t0.AddDate(-1, 0, 0), t0)
	requireField(t, err, outcomes.ErrForbidden, "actor")
}

// endless is a header and then rows of n bytes, without end.
type endless struct {
	head, row string
	sent      int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		s := e.row
		if e.sent < int64(len(e.head)) {
			s = e.head[e.sent:]
		} else {
			s = s[(e.sent-int64(len(e.head)))%int64(len(s)):]
		}
		c := copy(p[n:], s)
		n += c
		e.sent += int64(c)
	}
	return n, nil
}

// An import reads at most MaxImportBytes and refuses a larger file whole.
func TestImportsCapTheirInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	note := strings.Repeat("n", 1000)
	for name, in := range map[string]*endless{
		"measurements": {head: "indicator,area,period,value,note\n", row: "dementia-friends,E06000034,2017,x," + note + "\n"},
		"fingertips":   {head: "Indicator ID,Area Code,Time period,Value,Value note\n", row: "x,E06000034,2017,1," + note + "\n"},
	} {
		var err error
		if name == "measurements" {
			_, err = f.svc.ImportMeasurements(ctx, f.w("officer"), "thurrock-b3", in)
		} else {
			_, err = f.svc.ImportFingertips(ctx, f.w("officer"), "thurrock-b3", in)
		}
		var ie *outcomes.ImportError
		require.True(t, errors.As(err, &ie), "%s: %v", name, err)
		assert.Contains(t, err.Error(), "larger than 64 MiB", name)
		assert.LessOrEqual(t, in.sent, int64(outcomes.MaxImportBytes)+64<<10, "%s: read %d bytes", name, in.sent)
	}
}

// Every free-text field has a stated limit, and no text holds a NUL byte
// or invalid UTF-8: the Service refuses them with a *FieldError before any
// store sees them.
func TestTextIsChecked(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	before := f.events(t)
	long := func(n int) string { return strings.Repeat("é", n+1) }
	nul, bad := "a\x00b", "a\xffb"
	fw := func(mod func(*outcomes.NewFramework)) error {
		x := outcomes.NewFramework{ID: "fw2", Title: "T", Area: "A"}
		mod(&x)
		_, err := f.svc.CreateFramework(ctx, f.w("officer"), x)
		return err
	}
	ind := func(mod func(*outcomes.NewIndicator)) error {
		x := percentIndicator()
		x.ID = "new"
		mod(&x)
		_, err := f.svc.PutIndicator(ctx, f.w("officer"), x)
		return err
	}
	rec := func(mod func(*outcomes.NewMeasurement)) error {
		x := outcomes.NewMeasurement{Indicator: "dementia-friends", Area: "E06000034", Period: outcomes.MustPeriod("2017"), Value: dec("1")}
		mod(&x)
		_, err := f.svc.Record(ctx, f.w("officer"), x)
		return err
	}
	story := func(mod func(*outcomes.NewStory)) error {
		x := outcomes.NewStory{Framework: "thurrock-b3", Programme: "p", Title: "T", Body: "B", Date: t0}
		mod(&x)
		_, err := f.svc.AddStory(ctx, f.w("officer"), x)
		return err
	}
	for _, c := range []struct {
		name, field string
		err         error
	}{
		{"framework title NUL", "Title", fw(func(x *outcomes.NewFramework) { x.Title = nul })},
		{"framework title too long", "Title", fw(func(x *outcomes.NewFramework) { x.Title = long(300) })},
		{"framework goal invalid UTF-8", "Goal", fw(func(x *outcomes.NewFramework) { x.Goal = bad })},
		{"framework strategy too long", "Strategy", fw(func(x *outcomes.NewFramework) { x.Strategy = long(outcomes.MaxText) })},
		{"framework id NUL", "ID", fw(func(x *outcomes.NewFramework) { x.ID = nul })},
		{"role holder NUL", "Roles", fw(func(x *outcomes.NewFramework) { x.Roles = map[string]outcomes.Role{nul: outcomes.RoleEditor} })},
		{"indicator definition NUL", "Definition", ind(func(x *outcomes.NewIndicator) { x.Definition = nul })},
		{"indicator rationale too long", "Rationale", ind(func(x *outcomes.NewIndicator) { x.Rationale = long(outcomes.MaxText) })},
		{"indicator owner too long", "Owner", ind(func(x *outcomes.NewIndicator) { x.Owner = long(200) })},
		{"indicator comparator invalid", "Comparator", ind(func(x *outcomes.NewIndicator) { x.Comparator = bad })},
		{"indicator programme too long", "Programme", ind(func(x *outcomes.NewIndicator) { x.Programme = long(200) })},
		{"baseline as-of too long", "Baseline.AsOf", ind(func(x *outcomes.NewIndicator) {
			x.Baseline = &outcomes.Baseline{Value: dec("1"), Period: outcomes.MustPeriod("2016"), AsOf: long(200)}
		})},
		{"target note NUL", "Target.Note", ind(func(x *outcomes.NewIndicator) {
			x.Target = &outcomes.Target{Status: outcomes.TargetTBC, Note: nul}
		})},
		{"measurement note NUL", "Note", rec(func(x *outcomes.NewMeasurement) { x.Note = nul })},
		{"measurement source too long", "Source", rec(func(x *outcomes.NewMeasurement) { x.Source = long(200) })},
		{"measurement area invalid", "Area", rec(func(x *outcomes.NewMeasurement) { x.Area = bad })},
		{"story body NUL", "Body", story(func(x *outcomes.NewStory) { x.Body = nul })},
		{"story body too long", "Body", story(func(x *outcomes.NewStory) { x.Body = long(20000) })},
		{"story title invalid", "Title", story(func(x *outcomes.NewStory) { x.Title = bad })},
		{"story programme too long", "Programme", story(func(x *outcomes.NewStory) { x.Programme = long(200) })},
		{"consent recorder NUL", "Consent.RecordedBy", story(func(x *outcomes.NewStory) { x.Consent.RecordedBy = nul })},
		{"tag NUL", "Tags", story(func(x *outcomes.NewStory) { x.Tags = []string{nul} })},
	} {
		t.Run(c.name, func(t *testing.T) { requireField(t, c.err, outcomes.ErrInvalid, c.field) })
	}
	st, err := f.svc.AddStory(ctx, f.w("officer"), outcomes.NewStory{Framework: "thurrock-b3", Programme: "p", Title: "T", Body: "B", Date: t0})
	require.NoError(t, err)
	_, err = f.svc.WithdrawStory(ctx, f.w("officer"), st.ID, long(outcomes.MaxText))
	requireField(t, err, outcomes.ErrInvalid, "reason")
	_, err = f.svc.WithdrawStory(ctx, f.w("officer"), st.ID, nul)
	requireField(t, err, outcomes.ErrInvalid, "reason")
	assert.Equal(t, before+1, f.events(t), "nothing but the good story was written")
}

// Printing or logging a story shows its ids, never what the person told.
func TestStoryRedacts(t *testing.T) {
	st := &outcomes.Story{ID: "story-1", Framework: "fw", Title: "Winifred's year", Body: "Winifred Openshaw came every week.",
		Tags: []string{"openshaw"}, Status: outcomes.StoryPublished}
	var buf strings.Builder
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("story", "story", st)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("story", "story", st)
	buf.WriteString(fmt.Sprintf("%v %s %+v %#v", st, st, st, st))
	buf.WriteString(fmt.Sprintf("%v %s %+v %#v", *st, *st, *st, *st))
	in := outcomes.NewStory{Framework: "fw", Title: st.Title, Body: st.Body, Tags: st.Tags}
	log.Info("new story", "in", in)
	buf.WriteString(fmt.Sprintf("%v %s %+v %#v", in, in, in, in))
	assert.Contains(t, buf.String(), "story-1")
	assert.NotContains(t, buf.String(), "Winifred")
	assert.NotContains(t, buf.String(), "penshaw")
}

// An editor of one framework learns nothing of another's indicator by
// claiming it for their own.
func TestPutIndicatorChecksWhereTheIndicatorIs(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	_, err := f.svc.CreateFramework(ctx, f.w("officer"), outcomes.NewFramework{ID: "other", Title: "Other", Area: "A",
		Roles: map[string]outcomes.Role{"eve": outcomes.RoleEditor}})
	require.NoError(t, err)
	ind, err := f.svc.Indicator(ctx, "dementia-friends")
	require.NoError(t, err)
	ed := ind.Edit()
	ed.Framework, ed.Title = "other", "Taken"
	_, err = f.svc.PutIndicator(ctx, f.w("eve"), ed)
	requireField(t, err, outcomes.ErrForbidden, "actor")
	ed.ID = "no-such-indicator"
	_, err = f.svc.PutIndicator(ctx, f.w("eve"), ed)
	requireField(t, err, outcomes.ErrForbidden, "actor")
}

// The first administrator's id is checked like any other id: a blank,
// padded, over-long or control-laden id is refused and makes nobody admin.
func TestBootstrapChecksTheID(t *testing.T) {
	for _, id := range []string{"", "   ", " admin", "admin\n", "ad\x00min", strings.Repeat("a", 1000), "\xff"} {
		svc := outcomes.NewService(memory.NewOutcomesStore())
		err := svc.Bootstrap(t.Context(), call.As(id))
		assert.ErrorIs(t, err, outcomes.ErrInvalid, "%q", id)
		require.NoError(t, svc.Bootstrap(t.Context(), call.As("officer-1")), "nobody was made admin by %q", id)
	}
}

// A framework's roles are capped and their ids checked, so one call
// cannot store an unbounded record.
func TestFrameworkRolesAreBounded(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	many := map[string]outcomes.Role{}
	for i := range outcomes.MaxRoles + 1 {
		many[fmt.Sprintf("contributor-%d", i)] = outcomes.RoleContributor
	}
	_, err := f.svc.CreateFramework(ctx, f.w("officer"), outcomes.NewFramework{ID: "big", Title: "Big", Area: "A", Roles: many})
	require.ErrorIs(t, err, outcomes.ErrInvalid)
	assert.Contains(t, err.Error(), "Roles")
	_, err = f.svc.CreateFramework(ctx, f.w("officer"), outcomes.NewFramework{ID: "pad", Title: "Padded", Area: "A",
		Roles: map[string]outcomes.Role{" eve": outcomes.RoleEditor}})
	require.ErrorIs(t, err, outcomes.ErrInvalid, "a padded id is refused")
	_, err = f.svc.Framework(ctx, "big")
	assert.ErrorIs(t, err, outcomes.ErrNotFound, "nothing was written")
}
