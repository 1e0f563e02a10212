package hubstest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/hubs"
)

// testBatchReceipts checks a batch's further receipts: recorded with it,
// read back many at once, and any key recorded already, or twice in a
// batch, refusing the whole batch.
func testBatchReceipts(t *testing.T, s hubs.Store) {
	ctx := t.Context()
	rcpt := func(k string) hubs.Receipt { return hubs.Receipt{Key: k, Hash: "h-" + k, Result: "r-" + k, At: base} }
	vol := func(id string) *hubs.Volunteer {
		return &hubs.Volunteer{ID: id, Hub: "h1", Name: "V " + id, Registered: base, Version: 1, CreatedAt: base, UpdatedAt: base}
	}
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Volunteers: []*hubs.Volunteer{vol("v1")}, Key: "k0", Hash: "h-k0", Result: "v1", At: base,
		Receipts: []hubs.Receipt{rcpt("a"), rcpt("b")}}))
	got, err := s.Receipts(ctx, []string{"a", "nope", "b", "a", "k0"})
	require.NoError(t, err)
	byKey := map[string]hubs.Receipt{}
	for _, r := range got {
		byKey[r.Key] = *r
	}
	assert.Len(t, got, 3, "each recorded key once, the unknown left out")
	assert.Equal(t, map[string]hubs.Receipt{"a": rcpt("a"), "b": rcpt("b"), "k0": {Key: "k0", Hash: "h-k0", Result: "v1", At: base}}, byKey)
	none, err := s.Receipts(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, none)

	for name, b := range map[string]*hubs.Batch{
		"a receipt recorded already":      {Volunteers: []*hubs.Volunteer{vol("v2")}, Receipts: []hubs.Receipt{rcpt("c"), rcpt("b")}},
		"a key twice in the batch":        {Volunteers: []*hubs.Volunteer{vol("v2")}, Receipts: []hubs.Receipt{rcpt("c"), rcpt("c")}},
		"a receipt under the batch's key": {Volunteers: []*hubs.Volunteer{vol("v2")}, Key: "c", Hash: "x", Result: "v2", At: base, Receipts: []hubs.Receipt{rcpt("c")}},
		"the batch's key recorded":        {Volunteers: []*hubs.Volunteer{vol("v2")}, Key: "a", Hash: "x", Result: "v2", At: base, Receipts: []hubs.Receipt{rcpt("c")}},
	} {
		assert.ErrorIs(t, s.Apply(ctx, b), hubs.ErrDuplicateKey, name)
		_, err := s.Volunteer(ctx, "v2")
		assert.ErrorIs(t, err, hubs.ErrNotFound, "%s: the batch's volunteer was written", name)
		got, err := s.Receipts(ctx, []string{"c"})
		require.NoError(t, err)
		assert.Empty(t, got, "%s: the batch's receipts were written", name)
	}
	err = s.Apply(ctx, &hubs.Batch{Volunteers: []*hubs.Volunteer{vol("v2")}, Receipts: []hubs.Receipt{rcpt("c"), {Hash: "x", Result: "v2", At: base}}})
	assert.Error(t, err, "a receipt without a key")
	_, err = s.Volunteer(ctx, "v2")
	assert.ErrorIs(t, err, hubs.ErrNotFound)

	// Many receipts in one batch, read back in one call.
	var many []hubs.Receipt
	var keys []string
	for i := range 150 {
		many = append(many, rcpt(fmt.Sprint("m", i)))
		keys = append(keys, fmt.Sprint("m", i))
	}
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Volunteers: []*hubs.Volunteer{vol("v3")}, Receipts: many}))
	got, err = s.Receipts(ctx, keys)
	require.NoError(t, err)
	assert.Len(t, got, 150)
	r, err := s.Receipt(ctx, "m149")
	require.NoError(t, err)
	assert.Equal(t, rcpt("m149"), *r)

	// Many new records in one batch: one taken id, or one id twice,
	// refuses them all.
	for name, vs := range map[string][]*hubs.Volunteer{
		"an id taken":        {vol("n1"), vol("n2"), vol("v1"), vol("n3")},
		"an id twice":        {vol("n1"), vol("n2"), vol("n1")},
		"an update of none":  {vol("n1"), vol("n2"), {ID: "nope", Hub: "h1", Name: "X", Registered: base, Version: 2}},
		"a stale update too": {vol("n1"), vol("n2"), {ID: "v1", Hub: "h1", Name: "X", Registered: base, Version: 3}},
	} {
		err := s.Apply(ctx, &hubs.Batch{Volunteers: vs, Receipts: []hubs.Receipt{rcpt("n")}})
		assert.Error(t, err, name)
		for _, id := range []string{"n1", "n2", "n3"} {
			_, err := s.Volunteer(ctx, id)
			assert.ErrorIs(t, err, hubs.ErrNotFound, "%s: %s was written", name, id)
		}
		got, err := s.Receipts(ctx, []string{"n"})
		require.NoError(t, err)
		assert.Empty(t, got, name)
	}
	assert.ErrorIs(t, s.Apply(ctx, &hubs.Batch{Volunteers: []*hubs.Volunteer{vol("n1"), vol("v1")}}), hubs.ErrConflict)
	var vs []*hubs.Volunteer
	for i := range 200 {
		vs = append(vs, vol(fmt.Sprint("bulk-", i)))
	}
	require.NoError(t, s.Apply(ctx, &hubs.Batch{Volunteers: vs}))
	all, err := s.Volunteers(ctx, hubs.Span{})
	require.NoError(t, err)
	assert.Len(t, all, 2+200, "v1, v3 and the 200")
	v, err := s.Volunteer(ctx, "bulk-199")
	require.NoError(t, err)
	assert.Equal(t, "V bulk-199", v.Name)
}

// testImportVolunteers checks the batched path of RegisterVolunteer and
// UpdateVolunteer: the same rules per change, a bad change reported and
// skipped, a replay (of the batch, of a change within it, or of a single
// call's key) changing nothing.
func testImportVolunteers(t *testing.T, s hubs.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	h := f.hub(t, "Hub", base)
	on := base.AddDate(0, 0, 3).Add(6 * time.Hour) // the afternoon: stored as the day
	nv := func(name string) hubs.NewVolunteer {
		return hubs.NewVolunteer{Hub: h.ID, Name: name, Email: strings.ToLower(name) + "@example.invalid", Roles: []string{"welcome desk"}, Registered: on}
	}
	old, err := f.svc.RegisterVolunteer(ctx, f.coord.Key("single-1"), nv("Olu"))
	require.NoError(t, err)
	gone, err := f.svc.RegisterVolunteer(ctx, f.coord.Key("single-2"), nv("Gone"))
	require.NoError(t, err)
	require.NoError(t, f.svc.EraseVolunteer(ctx, f.coord.Key("erase"), gone.ID))

	email := "olu.new@example.invalid"
	roles := []string{"cafe"}
	changes := []hubs.VolunteerChange{
		{Key: "c-ann", New: nv("Ann")},
		{Key: "c-bad", New: hubs.NewVolunteer{Hub: h.ID, Registered: on}},                  // no name
		{Key: "c-nohub", New: hubs.NewVolunteer{Hub: "nope", Name: "Nia", Registered: on}}, // unknown hub
		{Key: "c-olu", ID: old.ID, Update: hubs.VolunteerUpdate{Email: &email}},
		{Key: "c-olu2", ID: old.ID, Update: hubs.VolunteerUpdate{Roles: &roles}},
		{Key: "c-none", ID: "no-such-volunteer", Update: hubs.VolunteerUpdate{Email: &email}},
		{Key: "c-gone", ID: gone.ID, Update: hubs.VolunteerUpdate{Email: &email}},
		{Key: "c-ann", New: nv("Ann")},    // the same key and request again: a replay
		{Key: "c-ann", New: nv("Other")},  // the same key, another request
		{Key: "single-1", New: nv("Olu")}, // a single call's key and request
		{Key: "", New: nv("Keyless")},
	}
	res, err := f.svc.ImportVolunteers(ctx, f.coord, changes)
	require.NoError(t, err)
	require.Len(t, res, len(changes))
	ok := func(i int) {
		t.Helper()
		assert.NoError(t, res[i].Err, "change %d", i)
		assert.NotEmpty(t, res[i].ID, "change %d", i)
	}
	ok(0)
	assert.False(t, res[0].Replay)
	assert.ErrorIs(t, res[1].Err, hubs.ErrInvalid)
	var fe *hubs.FieldError
	require.ErrorAs(t, res[1].Err, &fe)
	assert.Equal(t, "Name", fe.Field)
	assert.ErrorIs(t, res[2].Err, hubs.ErrUnknownHub)
	ok(3)
	ok(4)
	assert.Equal(t, old.ID, res[3].ID)
	assert.ErrorIs(t, res[5].Err, hubs.ErrNotFound)
	assert.ErrorIs(t, res[6].Err, hubs.ErrInvalid, "an erased volunteer stays erased")
	ok(7)
	assert.True(t, res[7].Replay)
	assert.Equal(t, res[0].ID, res[7].ID)
	assert.ErrorIs(t, res[8].Err, hubs.ErrConflict, "a key reused for another request")
	ok(9)
	assert.True(t, res[9].Replay)
	assert.Equal(t, old.ID, res[9].ID, "a single call's receipt replays")
	assert.ErrorIs(t, res[10].Err, hubs.ErrInvalid)
	for i, r := range res {
		if r.Err != nil {
			assert.Empty(t, r.ID, "a refused change %d has no id", i)
		}
	}

	ann, err := f.svc.Volunteer(ctx, f.coord, res[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "Ann", ann.Name)
	assert.Equal(t, time.Date(2013, time.March, 4, 0, 0, 0, 0, time.UTC), ann.Registered, "registered on the day, as RegisterVolunteer stores it")
	assert.Equal(t, int64(1), ann.Version)
	olu, err := f.svc.Volunteer(ctx, f.coord, old.ID)
	require.NoError(t, err)
	assert.Equal(t, email, olu.Email)
	assert.Equal(t, roles, olu.Roles)
	assert.Equal(t, int64(3), olu.Version, "two updates in one batch are two versions")
	all, err := f.svc.Volunteers(ctx, f.coord, hubs.Span{})
	require.NoError(t, err)
	assert.Len(t, all, 3, "Olu, Gone and Ann: nothing of a refused change was written")

	// The same batch again changes nothing and returns the first ids.
	before := snapshot(t, s)
	again, err := f.svc.ImportVolunteers(ctx, f.coord, changes)
	require.NoError(t, err)
	for i := range changes {
		assert.Equal(t, res[i].ID, again[i].ID, "change %d", i)
		assert.Equal(t, res[i].Err == nil, again[i].Err == nil, "change %d", i)
		if again[i].Err == nil {
			assert.True(t, again[i].Replay, "change %d", i)
		}
	}
	assert.Equal(t, before, snapshot(t, s), "a batch sent twice wrote something")

	// The single call with a change's key and request replays the change.
	v, err := f.svc.RegisterVolunteer(ctx, f.coord.Key("c-ann"), nv("Ann"))
	require.NoError(t, err)
	assert.Equal(t, res[0].ID, v.ID)
	_, err = f.svc.UpdateVolunteer(ctx, f.coord.Key("c-olu"), old.ID, hubs.VolunteerUpdate{Email: &email})
	require.NoError(t, err)
	assert.Equal(t, before, snapshot(t, s))

	// Only a coordinator may; a refused call writes nothing.
	_, err = f.svc.ImportVolunteers(ctx, f.rec, []hubs.VolunteerChange{{Key: "r-1", New: nv("Rec")}})
	assert.ErrorIs(t, err, hubs.ErrForbidden)
	too := make([]hubs.VolunteerChange, hubs.MaxVolunteerChanges+1)
	for i := range too {
		too[i] = hubs.VolunteerChange{Key: fmt.Sprint("t-", i), New: nv("Many")}
	}
	_, err = f.svc.ImportVolunteers(ctx, f.coord, too)
	assert.ErrorIs(t, err, hubs.ErrInvalid)
	assert.Equal(t, before, snapshot(t, s))

	// A full batch stores every change in one call.
	full := too[:hubs.MaxVolunteerChanges]
	res, err = f.svc.ImportVolunteers(ctx, f.coord, full)
	require.NoError(t, err)
	seen := map[string]bool{}
	for i, r := range res {
		require.NoError(t, r.Err, "change %d", i)
		seen[r.ID] = true
	}
	assert.Len(t, seen, len(full), "one volunteer per change")
	all, err = f.svc.Volunteers(ctx, f.coord, hubs.Span{})
	require.NoError(t, err)
	assert.Len(t, all, 3+len(full))
}
