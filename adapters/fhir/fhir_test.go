package fhir_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/fhir"
	"github.com/strongertogether/community/internal/id"
	"github.com/strongertogether/community/prescribing"
)

var t0 = time.Date(2016, 11, 1, 10, 0, 0, 0, time.UTC)

// Ids as the library makes them (prefix, underscore, base32), which FHIR
// ids may not hold as they stand.
var (
	refID, patID, prcID = id.New("ref", t0), id.New("pat", t0), id.New("prc", t0)
	gpID, advID         = id.New("stf", t0), id.New("stf", t0)
)

var (
	fhirID  = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)
	urnUUID = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// The council's configuration, under the reserved .test domain.
const (
	base           = "https://fhir.council.test/"
	referralSystem = base + "Id/social-prescribing-referral"
	stateSystem    = base + "CodeSystem/social-prescribing-state"
	reasonSystem   = base + "CodeSystem/social-prescribing-close-reason"
)

func options() fhir.Options {
	return fhir.Options{
		Sender: fhir.Reference{Type: "Organization", Display: "Test Borough Council",
			Identifier: &fhir.Identifier{System: base + "Id/organisation", Value: "test-borough"}},
		Performer: fhir.Reference{Type: "HealthcareService", Display: "Test Social Prescribing Service",
			Identifier: &fhir.Identifier{System: base + "Id/service", Value: "social-prescribing"}},
		Base: base,
	}
}

func exporter(t *testing.T) *fhir.Exporter {
	t.Helper()
	e, err := fhir.New(options())
	require.NoError(t, err)
	return e
}

// referral returns a referral that moved through the states, one a day
// from t0, and, if it ended closed, closed for reason. It was created
// when it entered its first state.
func referral(reason prescribing.CloseReason, states ...prescribing.State) *prescribing.Referral {
	r := &prescribing.Referral{ID: refID, Practice: prcID, Patient: patID, Source: prescribing.SourceMDT, Referrer: gpID,
		Code: prescribing.SNOMEDReferral, Needs: []prescribing.Need{prescribing.NeedLoneliness}, CreatedAt: t0, Version: 1}
	from := prescribing.State("")
	for i, s := range states {
		r.History = append(r.History, prescribing.Transition{From: from, To: s, At: day(i), By: advID})
		from, r.State, r.UpdatedAt = s, s, day(i)
	}
	switch r.State {
	case prescribing.Declined:
		r.Code, r.CloseReason = prescribing.SNOMEDDeclined, prescribing.ReasonDeclined
	case prescribing.Closed:
		r.CloseReason = reason
		if reason == prescribing.ReasonDeclined {
			r.Code = prescribing.SNOMEDDeclined
		}
	}
	return r
}

func day(i int) time.Time { return t0.AddDate(0, 0, i) }

// A synthetic NHS number from the range NHS England keeps for test data
// (999 000 0000 – 999 999 9999), valid modulus 11.
const nhsNumber = "9990000018"

var (
	patient  = &prescribing.Patient{ID: patID, Practice: prcID, NHSNumber: nhsNumber, Name: "Never Exported"}
	practice = &prescribing.Practice{ID: prcID, ODS: "F81001", Name: "Tilbury Health Centre", Area: "Tilbury"}
)

// The lifecycles the tests walk.
var (
	open      = []prescribing.State{prescribing.Identified, prescribing.Referred, prescribing.Accepted, prescribing.Contacted}
	performed = []prescribing.State{prescribing.Identified, prescribing.Referred, prescribing.Accepted, prescribing.Contacted,
		prescribing.Assessed, prescribing.Connected, prescribing.Reviewing, prescribing.Closed}
	notReferred = []prescribing.State{prescribing.Identified, prescribing.Closed}
)

// get walks a decoded JSON value by keys and indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// check is a structural check of a FHIR resource decoded from JSON,
// beyond what the JSON schema checks: its resourceType, UK Core profile,
// required elements, value sets, coding systems and who is referred to.
// It reports every problem.
func check(t *testing.T, res map[string]any) {
	t.Helper()
	typ, _ := res["resourceType"].(string)
	profile := map[string]string{"ServiceRequest": fhir.ProfileServiceRequest, "Task": fhir.ProfileTask}[typ]
	if !assert.NotEmpty(t, profile, "resourceType %q", typ) {
		return
	}
	assert.Regexp(t, fhirID, res["id"], "%s.id is not a FHIR id", typ)
	profiles, _ := get(res, "meta", "profile").([]any)
	assert.Contains(t, profiles, profile, "%s.meta.profile", typ)
	status, _ := res["status"].(string)
	assert.Equal(t, "order", res["intent"], "%s.intent", typ)
	nhsRef := func(path string) {
		assert.Equal(t, fhir.SystemNHSNumber, get(res, path, "identifier", "system"), "%s.%s.identifier.system", typ, path)
		assert.Regexp(t, `^999\d{7}$`, get(res, path, "identifier", "value"), "%s.%s: a test-range NHS number", typ, path)
	}
	codings := func(path string, v any) []map[string]any {
		cs, _ := get(v, "coding").([]any)
		var out []map[string]any
		for _, c := range cs {
			m, _ := c.(map[string]any)
			sys, _ := m["system"].(string)
			assert.True(t, strings.HasPrefix(sys, "http"), "%s.coding.system %q is not a URI", path, sys)
			assert.NotEmpty(t, m["code"], "%s.coding.code", path)
			if sys == fhir.SystemSNOMED {
				assert.Regexp(t, `^\d{6,18}$`, m["code"], "%s: a SNOMED CT concept id", path)
			}
			out = append(out, m)
		}
		return out
	}
	// The practice requests; the service performs (and owns the Tasks).
	assert.Equal(t, "Organization", get(res, "requester", "type"), "%s.requester is the practice", typ)
	assert.Equal(t, fhir.SystemODS, get(res, "requester", "identifier", "system"), "%s.requester: by ODS code", typ)
	assert.Equal(t, practice.ODS, get(res, "requester", "identifier", "value"), "%s.requester: the practice", typ)
	performer := map[string]any{"type": "HealthcareService", "display": "Test Social Prescribing Service",
		"identifier": map[string]any{"system": base + "Id/service", "value": "social-prescribing"}}
	switch typ {
	case "ServiceRequest":
		assert.Contains(t, []string{"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}, status)
		nhsRef("subject")
		cs := codings("code", res["code"])
		require.Len(t, cs, 1)
		assert.Equal(t, fhir.SystemSNOMED, cs[0]["system"])
		assert.Equal(t, prescribing.SNOMEDReferral, cs[0]["code"])
		if at, ok := res["authoredOn"].(string); ok {
			_, err := time.Parse(time.RFC3339, at)
			assert.NoError(t, err)
		}
		assert.Equal(t, []any{performer}, res["performer"], "ServiceRequest.performer is the service")
		assert.Equal(t, referralSystem, get(res, "identifier", 0, "system"))
		assert.Equal(t, "test-borough", get(res, "identifier", 0, "assigner", "identifier", "value"), "the sender assigns the identifier")
	case "Task":
		assert.Contains(t, []string{"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"}, status)
		nhsRef("for")
		based, _ := res["basedOn"].([]any)
		require.Len(t, based, 1)
		assert.Equal(t, "ServiceRequest", get(based, 0, "type"))
		assert.NotEmpty(t, get(based, 0, "reference"))
		assert.Equal(t, "ServiceRequest", get(res, "focus", "type"), "Task.focus is the ServiceRequest")
		assert.Equal(t, get(based, 0, "reference"), get(res, "focus", "reference"), "Task.focus is the request it is based on")
		code := codings("code", res["code"])
		if assert.Len(t, code, 1, "Task.code") {
			assert.Equal(t, fhir.SystemTaskCode, code[0]["system"])
			assert.Equal(t, fhir.TaskCodeFulfill, code[0]["code"])
		}
		bs := codings("businessStatus", res["businessStatus"])
		if assert.Len(t, bs, 1) {
			assert.Equal(t, stateSystem, bs[0]["system"])
		}
		if sr, ok := res["statusReason"]; ok {
			cs := codings("statusReason", sr)
			assert.NotEmpty(t, cs)
			assert.NotEmpty(t, get(sr, "text"))
		}
		assert.Equal(t, performer, res["owner"], "Task.owner is the service")
	}
}

// entry is one entry of a decoded Bundle.
type entry struct {
	FullURL  string         `json:"fullUrl"`
	Resource map[string]any `json:"resource"`
}

// decode reads a Bundle and checks it as a whole: valid against the
// FHIR R4 JSON schema, a collection whose entries have distinct
// urn:uuid fullUrls, every literal reference in any resource resolving
// to an entry of the Bundle, and each resource passing check.
func decode(t *testing.T, body []byte) []entry {
	t.Helper()
	requireValid(t, body)
	var b struct {
		ResourceType string  `json:"resourceType"`
		Type         string  `json:"type"`
		Entry        []entry `json:"entry"`
	}
	require.NoError(t, json.Unmarshal(body, &b))
	assert.Equal(t, "Bundle", b.ResourceType)
	assert.Equal(t, "collection", b.Type)
	checkEntries(t, b.Entry)
	for _, e := range b.Entry {
		check(t, e.Resource)
	}
	return b.Entry
}

func checkEntries(t *testing.T, es []entry) {
	urls := map[string]bool{}
	for _, e := range es {
		assert.Regexp(t, urnUUID, e.FullURL, "fullUrl must be absolute: a urn:uuid")
		assert.False(t, urls[e.FullURL], "fullUrl %s twice", e.FullURL)
		urls[e.FullURL] = true
	}
	for _, e := range es {
		for _, ref := range references(e.Resource) {
			assert.True(t, urls[ref], "%s: reference %q does not resolve within the Bundle", e.FullURL, ref)
		}
	}
}

// references returns every Reference.reference in v, at any depth.
func references(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if s, ok := c.(string); ok && k == "reference" {
				out = append(out, s)
			} else {
				out = append(out, references(c)...)
			}
		}
	case []any:
		for _, c := range x {
			out = append(out, references(c)...)
		}
	}
	return out
}

// export exports the referral with the test options and decodes it.
func export(t *testing.T, r *prescribing.Referral) (sr map[string]any, tasks []map[string]any) {
	t.Helper()
	body, err := exporter(t).Export(r, patient, practice)
	require.NoError(t, err)
	assert.NotContains(t, string(body), "Never Exported", "the patient's name is not exported")
	es := decode(t, body)
	require.Len(t, es, 1+len(r.History))
	for _, e := range es[1:] {
		tasks = append(tasks, e.Resource)
	}
	return es[0].Resource, tasks
}

// TestExportLifecycle: each lifecycle maps to the ServiceRequest status
// and the latest Task's status; the export is valid R4, deterministic,
// and every earlier step is a completed Task.
func TestExportLifecycle(t *testing.T) {
	for _, c := range []struct {
		states   []prescribing.State
		reason   prescribing.CloseReason
		sr, task string
	}{
		{[]prescribing.State{prescribing.Identified}, "", "draft", "draft"},
		{[]prescribing.State{prescribing.Referred}, "", "active", "requested"},
		{[]prescribing.State{prescribing.Referred, prescribing.Accepted}, "", "active", "accepted"},
		{open, "", "active", "in-progress"},
		{[]prescribing.State{prescribing.Referred, prescribing.Accepted, prescribing.OnHold}, "", "on-hold", "on-hold"},
		{[]prescribing.State{prescribing.Referred, prescribing.Declined}, "", "revoked", "cancelled"},
		{performed, prescribing.GoalsMet, "completed", "completed"},
		{performed, prescribing.Died, "revoked", "cancelled"},
		{notReferred, prescribing.NotReferred, "revoked", "cancelled"},
	} {
		r := referral(c.reason, c.states...)
		sr, tasks := export(t, r)
		assert.Equal(t, c.sr, sr["status"], "%v %s", c.states, c.reason)
		last := tasks[len(tasks)-1]
		assert.Equal(t, c.task, last["status"], "%v %s", c.states, c.reason)
		for _, x := range tasks[:len(tasks)-1] {
			assert.Equal(t, "completed", x["status"], "an earlier step is done")
			assert.NotContains(t, x, "statusReason")
		}
		_, hasReason := last["statusReason"]
		assert.Equal(t, r.State.Final(), hasReason, "%v: an ended referral says why", c.states)
		for i, x := range tasks {
			assert.Equal(t, string(c.states[i]), get(x, "businessStatus", "coding", 0, "code"))
		}
		e := exporter(t)
		body, err := e.Export(r, patient, practice)
		require.NoError(t, err)
		again, err := e.Export(r, patient, practice)
		require.NoError(t, err)
		assert.Equal(t, string(body), string(again), "the export is deterministic")
	}
}

// TestClosedByReason: a closed referral is completed only when it was
// fully performed (goals met); every other ending revokes the request,
// and the closing Task is cancelled or failed with the reason as its
// statusReason; a decline carries the SNOMED CT concept for declined.
func TestClosedByReason(t *testing.T) {
	want := map[prescribing.CloseReason]string{
		prescribing.GoalsMet:       "completed",
		prescribing.ReasonDeclined: "cancelled",
		prescribing.MovedAway:      "cancelled",
		prescribing.Died:           "cancelled",
		prescribing.NotContactable: "failed",
		prescribing.NotReferred:    "cancelled",
	}
	// Every reason prescribing knows is mapped here.
	for _, reason := range prescribing.CloseReasons() {
		task, ok := want[reason]
		if !assert.True(t, ok, "close reason %q has no expected mapping", reason) {
			continue
		}
		states := performed
		if reason == prescribing.NotReferred {
			states = notReferred
		}
		sr, tasks := export(t, referral(reason, states...))
		if reason == prescribing.GoalsMet {
			assert.Equal(t, "completed", sr["status"], reason)
		} else {
			assert.Equal(t, "revoked", sr["status"], "%s: ended before it was fully performed", reason)
		}
		last := tasks[len(tasks)-1]
		assert.Equal(t, task, last["status"], reason)
		cs, _ := get(last, "statusReason", "coding").([]any)
		var codes []string
		for _, c := range cs {
			codes = append(codes, get(c, "system").(string)+"|"+get(c, "code").(string))
		}
		if reason == prescribing.ReasonDeclined {
			assert.Equal(t, []string{fhir.SystemSNOMED + "|" + prescribing.SNOMEDDeclined, reasonSystem + "|declined"}, codes)
		} else {
			assert.Equal(t, []string{reasonSystem + "|" + string(reason)}, codes, "%s: no SNOMED declined", reason)
		}
	}

	// Declined (the person declined while the referral was open).
	sr, tasks := export(t, referral("", prescribing.Referred, prescribing.Accepted, prescribing.Declined))
	assert.Equal(t, "revoked", sr["status"])
	last := tasks[len(tasks)-1]
	assert.Equal(t, "cancelled", last["status"])
	assert.Equal(t, prescribing.SNOMEDDeclined, get(last, "statusReason", "coding", 0, "code"))
	assert.Equal(t, fhir.SystemSNOMED, get(last, "statusReason", "coding", 0, "system"))
	assert.Equal(t, "declined", get(last, "statusReason", "coding", 1, "code"))

	// A closed referral that does not say why cannot be exported: it
	// would have to claim completed or revoked without knowing.
	for _, reason := range []prescribing.CloseReason{"", "finished"} {
		_, err := exporter(t).Export(referral(reason, performed...), patient, practice)
		assert.ErrorIs(t, err, fhir.ErrInvalid, "%q", reason)
		_, err = fhir.RequestStatus(referral(reason, performed...))
		assert.ErrorIs(t, err, fhir.ErrInvalid, "%q", reason)
		_, err = fhir.TaskStatus(prescribing.Closed, reason)
		assert.ErrorIs(t, err, fhir.ErrInvalid, "%q", reason)
	}
	// Every state and reason maps to a status in R4's value sets.
	for _, s := range prescribing.States() {
		r := referral(prescribing.GoalsMet, s)
		got, err := fhir.RequestStatus(r)
		require.NoError(t, err, s)
		assert.Contains(t, []string{"draft", "active", "on-hold", "revoked", "completed"}, got, s)
		task, err := fhir.TaskStatus(s, prescribing.GoalsMet)
		require.NoError(t, err, s)
		assert.Contains(t, []string{"draft", "requested", "accepted", "in-progress", "on-hold", "cancelled", "completed"}, task, s)
	}
}

// TestTaskFocusAndCode: every Task is the work of fulfilling the
// ServiceRequest: its code is "fulfill" and its focus the ServiceRequest,
// by fullUrl in the Bundle and by id standing alone.
func TestTaskFocusAndCode(t *testing.T) {
	e := exporter(t)
	for _, states := range [][]prescribing.State{{prescribing.Identified}, open, performed} {
		r := referral(prescribing.GoalsMet, states...)
		body, err := e.Export(r, patient, practice)
		require.NoError(t, err)
		es := decode(t, body)
		for _, x := range es[1:] {
			assert.Equal(t, es[0].FullURL, get(x.Resource, "focus", "reference"), "a Task's focus is the Bundle's ServiceRequest")
			assert.Equal(t, es[0].FullURL, get(x.Resource, "basedOn", 0, "reference"), "a Task is based on the Bundle's ServiceRequest")
			assert.Equal(t, fhir.TaskCodeFulfill, get(x.Resource, "code", "coding", 0, "code"))
			assert.Equal(t, fhir.SystemTaskCode, get(x.Resource, "code", "coding", 0, "system"))
		}
		tasks, err := e.Tasks(r, patient, practice)
		require.NoError(t, err)
		require.Len(t, tasks, len(states))
		for _, task := range tasks {
			assert.Equal(t, fhir.Reference{Reference: "ServiceRequest/" + e.ID("ServiceRequest", r.ID), Type: "ServiceRequest"}, task.Focus)
			assert.Equal(t, []fhir.Coding{{System: fhir.SystemTaskCode, Code: fhir.TaskCodeFulfill, Display: "Fulfill the focal request"}}, task.Code.Coding)
		}
	}
}

// TestPerformerAndRequester: the service the options name performs the
// request and owns its Tasks; the referring practice requests it and is
// never the performer.
func TestPerformerAndRequester(t *testing.T) {
	e := exporter(t)
	r := referral(prescribing.GoalsMet, open...)
	sr, err := e.ServiceRequest(r, patient, practice)
	require.NoError(t, err)
	opts := options()
	assert.Equal(t, []fhir.Reference{opts.Performer}, sr.Performer)
	for _, p := range sr.Performer {
		assert.NotEqual(t, fhir.SystemODS, p.Identifier.System, "the practice is not the performer")
		assert.NotEqual(t, practice.Name, p.Display)
	}
	practiceRef := &fhir.Reference{Type: "Organization", Display: practice.Name, Identifier: &fhir.Identifier{System: fhir.SystemODS, Value: practice.ODS}}
	assert.Equal(t, practiceRef, sr.Requester, "the practice is the requester")
	tasks, err := e.Tasks(r, patient, practice)
	require.NoError(t, err)
	for _, task := range tasks {
		assert.Equal(t, practiceRef, task.Requester)
		assert.Equal(t, &opts.Performer, task.Owner)
	}
	body, err := e.Export(r, patient, practice)
	require.NoError(t, err)
	assert.NotContains(t, string(body), gpID, "no member of staff is exported")
	assert.NotContains(t, string(body), advID, "no member of staff is exported")

	// An Organization on a FHIR server, referred to by URL and identifier.
	opts.Performer = fhir.Reference{Type: "Organization", Reference: "https://fhir.council.test/Organization/sp",
		Identifier: &fhir.Identifier{System: fhir.SystemODS, Value: "NL3"}, Display: "Social prescribing service"}
	e2, err := fhir.New(opts)
	require.NoError(t, err)
	body, err = e2.Export(r, patient, practice)
	require.NoError(t, err)
	requireValid(t, body)
	sr, err = e2.ServiceRequest(r, patient, practice)
	require.NoError(t, err)
	assert.Equal(t, []fhir.Reference{opts.Performer}, sr.Performer)
}

// TestAuthoredOn: authoredOn is the date of the referral, not the date
// risk stratification identified the patient (the referral's CreatedAt).
func TestAuthoredOn(t *testing.T) {
	e := exporter(t)
	// Identified on day 0, referred on day 1.
	r := referral(prescribing.GoalsMet, performed...)
	sr, err := e.ServiceRequest(r, patient, practice)
	require.NoError(t, err)
	assert.Equal(t, "2016-11-02T10:00:00.000Z", sr.AuthoredOn)
	assert.NotEqual(t, r.CreatedAt.Format("2006-01-02T15:04:05.000Z"), sr.AuthoredOn)
	// Referred directly, without stratification: the day it was made.
	r = referral("", prescribing.Referred, prescribing.Accepted)
	r.CreatedAt = day(0)
	sr, err = e.ServiceRequest(r, patient, practice)
	require.NoError(t, err)
	assert.Equal(t, "2016-11-01T10:00:00.000Z", sr.AuthoredOn)
	// Held and resumed: still the day it was first referred.
	r = referral("", prescribing.Identified, prescribing.Referred, prescribing.OnHold, prescribing.Referred)
	sr, err = e.ServiceRequest(r, patient, practice)
	require.NoError(t, err)
	assert.Equal(t, "2016-11-02T10:00:00.000Z", sr.AuthoredOn, "the first referral, not the resumption on day 3")
	// Never referred: no authoredOn at all.
	for _, states := range [][]prescribing.State{{prescribing.Identified}, notReferred} {
		sr, _ := export(t, referral(prescribing.NotReferred, states...))
		assert.NotContains(t, sr, "authoredOn", "%v", states)
	}
}

// TestOptions: the council's systems and sender are what the export
// uses; nothing of this library's own is left in it; New refuses options
// a receiver could not rely on.
func TestOptions(t *testing.T) {
	r := referral(prescribing.NotContactable, performed...)
	body, err := exporter(t).Export(r, patient, practice)
	require.NoError(t, err)
	assert.NotContains(t, string(body), "strongertogether", "no built-in system is left")
	sr, tasks := export(t, r)
	assert.Equal(t, referralSystem, get(sr, "identifier", 0, "system"))
	assert.Equal(t, r.ID, get(sr, "identifier", 0, "value"), "the business identifier keeps the library id")
	assert.Equal(t, map[string]any{"type": "Organization", "display": "Test Borough Council",
		"identifier": map[string]any{"system": base + "Id/organisation", "value": "test-borough"}}, get(sr, "identifier", 0, "assigner"))
	assert.Equal(t, stateSystem, get(tasks[0], "businessStatus", "coding", 0, "system"))
	assert.Equal(t, reasonSystem, get(tasks[len(tasks)-1], "statusReason", "coding", 0, "system"))

	// Systems given explicitly win over Base; without Base all are needed.
	o := options()
	o.Base, o.ReferralSystem, o.StateSystem, o.CloseReasonSystem = "", "urn:oid:2.16.840.1.113883.2.1.999.1", "https://other.test/state", "https://other.test/reason"
	e, err := fhir.New(o)
	require.NoError(t, err)
	body, err = e.Export(r, patient, practice)
	require.NoError(t, err)
	requireValid(t, body)
	for _, s := range []string{o.ReferralSystem, o.StateSystem, o.CloseReasonSystem} {
		assert.Contains(t, string(body), `"`+s+`"`)
	}
	assert.NotContains(t, string(body), base+"Id/social")
	assert.NotEqual(t, exporter(t).UUID("ServiceRequest", r.ID), e.UUID("ServiceRequest", r.ID), "two councils' resources never share a UUID")

	// The exporter keeps its own copy of the options.
	o = options()
	e, err = fhir.New(o)
	require.NoError(t, err)
	o.Performer.Identifier.Value = "changed"
	o.Sender.Identifier.Value = "changed"
	body, err = e.Export(r, patient, practice)
	require.NoError(t, err)
	assert.NotContains(t, string(body), "changed")
	sr2, err := e.ServiceRequest(r, patient, practice)
	require.NoError(t, err)
	sr2.Performer[0].Identifier.Value = "changed"
	sr2.Identifier[0].Assigner.Identifier.Value = "changed"
	body, err = e.Export(r, patient, practice)
	require.NoError(t, err)
	assert.NotContains(t, string(body), "changed")

	for name, bad := range map[string]func(*fhir.Options){
		"no sender":                 func(o *fhir.Options) { o.Sender = fhir.Reference{} },
		"sender not an org":         func(o *fhir.Options) { o.Sender.Type = "Practitioner" },
		"sender without identifier": func(o *fhir.Options) { o.Sender.Identifier = nil },
		"sender relative system":    func(o *fhir.Options) { o.Sender.Identifier.System = "Id/organisation" },
		"no performer":              func(o *fhir.Options) { o.Performer = fhir.Reference{} },
		"performer a practitioner":  func(o *fhir.Options) { o.Performer.Type = "Practitioner" },
		"performer without value":   func(o *fhir.Options) { o.Performer.Identifier.Value = "" },
		"performer relative url":    func(o *fhir.Options) { o.Performer.Reference = "HealthcareService/sp" },
		"no systems":                func(o *fhir.Options) { o.Base = "" },
		"relative base":             func(o *fhir.Options) { o.Base = "fhir.council.test" },
		"relative referral system":  func(o *fhir.Options) { o.ReferralSystem = "referrals" },
		"system with a space":       func(o *fhir.Options) { o.StateSystem = "https://fhir.council.test/a state" },
	} {
		o := options()
		bad(&o)
		_, err := fhir.New(o)
		assert.ErrorIs(t, err, fhir.ErrInvalid, name)
		_, err = fhir.Export(o, r, patient, practice)
		assert.ErrorIs(t, err, fhir.ErrInvalid, name)
	}
	got, err := fhir.Export(options(), r, patient, practice)
	require.NoError(t, err)
	want, err := exporter(t).Export(r, patient, practice)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "Export is New then Exporter.Export")
}

func TestExportRefusesMismatch(t *testing.T) {
	e := exporter(t)
	r := referral("", prescribing.Referred)
	other := *patient
	other.ID = "pat-2"
	noNHS := *patient
	noNHS.NHSNumber = ""
	noODS := *practice
	noODS.ODS = ""
	empty := referral("")
	empty.State = prescribing.Referred
	_, err := new(fhir.Exporter).Export(r, patient, practice)
	assert.ErrorIs(t, err, fhir.ErrInvalid, "an Exporter not made by New")
	for name, c := range map[string]struct {
		r   *prescribing.Referral
		pat *prescribing.Patient
		prc *prescribing.Practice
	}{
		"another patient": {r, &other, practice},
		"no patient":      {r, nil, practice},
		"no practice":     {r, patient, nil},
		"no referral":     {nil, patient, practice},
		"no NHS number":   {r, &noNHS, practice},
		"no ODS code":     {r, patient, &noODS},
		"no history":      {empty, patient, practice},
	} {
		_, err := e.Export(c.r, c.pat, c.prc)
		assert.ErrorIs(t, err, fhir.ErrInvalid, name)
		_, err = e.Tasks(c.r, c.pat, c.prc)
		assert.ErrorIs(t, err, fhir.ErrInvalid, name)
	}
}

// failsCheck runs f against a throwaway testing.T and reports whether it
// failed.
func failsCheck(f func(t *testing.T)) bool {
	ft := &testing.T{}
	done := make(chan struct{})
	go func() { defer close(done); f(ft) }()
	<-done
	return ft.Failed()
}

// TestCheckCatchesProblems makes sure the structural check, the Bundle
// check and the R4 schema can fail.
func TestCheckCatchesProblems(t *testing.T) {
	body, err := exporter(t).Export(referral(prescribing.GoalsMet, open...), patient, practice)
	require.NoError(t, err)
	fresh := func() []entry {
		var b struct{ Entry []entry }
		require.NoError(t, json.Unmarshal(body, &b))
		return b.Entry
	}
	for name, spoil := range map[string]func(sr, task map[string]any){
		"wrong profile": func(sr, _ map[string]any) {
			sr["meta"] = map[string]any{"profile": []any{"http://hl7.org/fhir/StructureDefinition/ServiceRequest"}}
		},
		"not an R4 status":    func(sr, _ map[string]any) { sr["status"] = "referred" },
		"practice performs":   func(sr, _ map[string]any) { sr["performer"] = []any{sr["requester"]} },
		"staff requests":      func(sr, _ map[string]any) { sr["requester"] = map[string]any{"type": "Practitioner"} },
		"task without focus":  func(_, task map[string]any) { delete(task, "focus") },
		"task without code":   func(_, task map[string]any) { delete(task, "code") },
		"task owned by staff": func(_, task map[string]any) { task["owner"] = map[string]any{"type": "Practitioner"} },
		"real NHS number": func(sr, _ map[string]any) {
			sr["subject"].(map[string]any)["identifier"].(map[string]any)["value"] = "4343066223"
		},
	} {
		es := fresh()
		spoil(es[0].Resource, es[1].Resource)
		assert.True(t, failsCheck(func(t *testing.T) { check(t, es[0].Resource); check(t, es[1].Resource) }), "%s passes the check", name)
	}
	for name, spoil := range map[string]func([]entry) []entry{
		"relative fullUrl": func(es []entry) []entry {
			es[0].FullURL = "ServiceRequest/" + es[0].Resource["id"].(string)
			return es
		},
		"dangling reference": func(es []entry) []entry { return es[1:] },
		"fullUrl twice":      func(es []entry) []entry { es[1].FullURL = es[2].FullURL; return es },
	} {
		es := spoil(fresh())
		assert.True(t, failsCheck(func(t *testing.T) { checkEntries(t, es) }), "%s passes the check", name)
	}
	// The R4 schema refuses a library id (with its underscore), a Task
	// status outside R4's value set and an element R4 does not have.
	for name, spoil := range map[string]func([]entry){
		"library id":      func(es []entry) { es[0].Resource["id"] = refID },
		"task status":     func(es []entry) { es[1].Resource["status"] = "closed" },
		"unknown element": func(es []entry) { es[0].Resource["performerOrganisation"] = "F81001" },
		"no subject":      func(es []entry) { delete(es[0].Resource, "subject") },
	} {
		es := fresh()
		spoil(es)
		bad, err := json.Marshal(map[string]any{"resourceType": "Bundle", "type": "collection", "entry": es})
		require.NoError(t, err)
		assert.Error(t, validate(bad), "%s passes the R4 schema", name)
	}
	require.NoError(t, validate(body))
}

// TestIDs: library ids map to valid FHIR ids one-to-one and the same every
// time; anything else falls back to the resource's UUID.
func TestIDs(t *testing.T) {
	e := exporter(t)
	seen := map[string]string{}
	for range 1000 {
		lib := id.New("ref", t0)
		got := e.ID("ServiceRequest", lib)
		require.Regexp(t, fhirID, got)
		assert.Equal(t, strings.ReplaceAll(lib, "_", "-"), got)
		assert.Equal(t, got, e.ID("ServiceRequest", lib), "deterministic")
		if prev, dup := seen[got]; dup {
			assert.Equal(t, prev, lib, "two library ids give one FHIR id")
		}
		seen[got] = lib
		task := e.TaskID(lib, 12)
		assert.Regexp(t, fhirID, task)
		assert.Equal(t, got+"-12", task)
	}
	assert.Equal(t, "ref-1", e.ID("ServiceRequest", "ref-1"), "a valid id is kept")
	for _, odd := range []string{"", "ref 1/2", strings.Repeat("x", 65), "ünïcode_id"} {
		got := e.ID("Task", odd)
		assert.Regexp(t, fhirID, got, "%q", odd)
		assert.Equal(t, e.UUID("Task", odd), got, "%q falls back to its UUID", odd)
	}
	// Name-based UUIDs (version 5) in the URL namespace, as RFC 9562 and
	// Python's uuid.uuid5(uuid.NAMESPACE_URL, referralSystem+"|ServiceRequest/ref_1") compute them.
	assert.Equal(t, "728ca825-959b-54ad-8e66-d323f3775aad", e.UUID("ServiceRequest", "ref_1"))
	assert.NotEqual(t, e.UUID("ServiceRequest", "ref_1"), e.UUID("Task", "ref_1"))

	sr, err := e.ServiceRequest(referral("", prescribing.Referred), patient, practice)
	require.NoError(t, err)
	assert.Equal(t, strings.ReplaceAll(refID, "_", "-"), sr.ID)
	assert.Equal(t, refID, sr.Identifier[0].Value, "the business identifier keeps the library id")
	tasks, err := e.Tasks(referral("", prescribing.Referred, prescribing.Accepted), patient, practice)
	require.NoError(t, err)
	require.Len(t, tasks, 2)
	assert.Equal(t, e.TaskID(refID, 2), tasks[1].ID)
	assert.Equal(t, "ServiceRequest/"+sr.ID, tasks[1].BasedOn[0].Reference, "standalone, a Task refers to the ServiceRequest by its id")

	// Each entry of a long history keeps a valid id and a distinct urn:uuid.
	long := []prescribing.State{prescribing.Referred, prescribing.Accepted, prescribing.Contacted, prescribing.Assessed, prescribing.Connected}
	for range 10 {
		long = append(long, prescribing.Reviewing)
	}
	r := referral(prescribing.GoalsMet, append(long, prescribing.Closed)...)
	body, err := e.Export(r, patient, practice)
	require.NoError(t, err)
	es := decode(t, body)
	ids := map[string]bool{}
	for _, x := range es {
		ids[x.Resource["id"].(string)] = true
	}
	assert.Len(t, ids, len(es), "ids are distinct")
	assert.True(t, slices.ContainsFunc(es, func(x entry) bool { return x.Resource["id"] == e.TaskID(r.ID, 16) }))
}

// TestNHSNumberIsTestRange: the test data holds no real NHS number.
func TestNHSNumberIsTestRange(t *testing.T) {
	n := prescribing.NHSNumber(nhsNumber)
	assert.True(t, n.Valid(), "modulus 11")
	assert.True(t, strings.HasPrefix(nhsNumber, "999"), "from the 999 test range")
}
