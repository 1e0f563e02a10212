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

func referral(states ...prescribing.State) *prescribing.Referral {
	r := &prescribing.Referral{ID: refID, Practice: prcID, Patient: patID, Source: prescribing.SourceMDT, Referrer: gpID,
		Code: prescribing.SNOMEDReferral, Needs: []prescribing.Need{prescribing.NeedLoneliness}, CreatedAt: t0, UpdatedAt: t0, Version: 1}
	from := prescribing.State("")
	for i, s := range states {
		r.History = append(r.History, prescribing.Transition{From: from, To: s, At: t0.Add(time.Duration(i) * time.Hour), By: advID})
		from, r.State = s, s
	}
	if r.State == prescribing.Declined {
		r.Code = prescribing.SNOMEDDeclined
	}
	return r
}

var (
	patient  = &prescribing.Patient{ID: patID, Practice: prcID, NHSNumber: "9434765919", Name: "Never Exported"}
	practice = &prescribing.Practice{ID: prcID, ODS: "F81001", Name: "Tilbury Health Centre", Area: "Tilbury"}
)

// check is a structural check of a FHIR resource decoded from JSON: its
// resourceType, UK Core profile, required elements, value sets and coding
// systems. It reports every problem.
func check(t *testing.T, res map[string]any) {
	t.Helper()
	typ, _ := res["resourceType"].(string)
	profile := map[string]string{"ServiceRequest": fhir.ProfileServiceRequest, "Task": fhir.ProfileTask}[typ]
	if !assert.NotEmpty(t, profile, "resourceType %q", typ) {
		return
	}
	assert.Regexp(t, fhirID, res["id"], "%s.id is not a FHIR id", typ)
	meta, _ := res["meta"].(map[string]any)
	profiles, _ := meta["profile"].([]any)
	assert.Contains(t, profiles, profile, "%s.meta.profile", typ)
	status, _ := res["status"].(string)
	intent, _ := res["intent"].(string)
	assert.Contains(t, []string{"proposal", "plan", "directive", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option"}, intent, "%s.intent", typ)
	nhsRef := func(path string, v any) {
		ref, _ := v.(map[string]any)
		id, _ := ref["identifier"].(map[string]any)
		assert.Equal(t, fhir.SystemNHSNumber, id["system"], "%s.identifier.system", path)
		assert.Regexp(t, `^\d{10}$`, id["value"], "%s.identifier.value", path)
	}
	codings := func(path string, v any) []map[string]any {
		cc, _ := v.(map[string]any)
		cs, _ := cc["coding"].([]any)
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
	// Staff are referred to logically, by identifier.
	for _, path := range []string{"requester", "owner"} {
		if v, ok := res[path]; ok {
			ref, _ := v.(map[string]any)
			assert.Equal(t, "Practitioner", ref["type"], "%s.%s.type", typ, path)
			assert.NotContains(t, ref, "reference", "%s.%s: no literal reference to a resource not exported", typ, path)
			id, _ := ref["identifier"].(map[string]any)
			assert.Equal(t, fhir.SystemStaff, id["system"], "%s.%s.identifier.system", typ, path)
			assert.NotEmpty(t, id["value"], "%s.%s.identifier.value", typ, path)
		}
	}
	switch typ {
	case "ServiceRequest":
		assert.Contains(t, []string{"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}, status)
		nhsRef("subject", res["subject"])
		cs := codings("code", res["code"])
		require.Len(t, cs, 1)
		assert.Equal(t, fhir.SystemSNOMED, cs[0]["system"])
		assert.Equal(t, prescribing.SNOMEDReferral, cs[0]["code"])
		_, err := time.Parse(time.RFC3339, res["authoredOn"].(string))
		assert.NoError(t, err)
	case "Task":
		assert.Contains(t, []string{"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"}, status)
		nhsRef("for", res["for"])
		based, _ := res["basedOn"].([]any)
		require.Len(t, based, 1)
		assert.Equal(t, "ServiceRequest", based[0].(map[string]any)["type"])
		assert.NotEmpty(t, based[0].(map[string]any)["reference"])
		codings("businessStatus", res["businessStatus"])
		if sr, ok := res["statusReason"]; ok {
			codings("statusReason", sr)
		}
	}
}

// entry is one entry of a decoded Bundle.
type entry struct {
	FullURL  string         `json:"fullUrl"`
	Resource map[string]any `json:"resource"`
}

// decode reads a Bundle and checks it as a whole: valid against the
// FHIR R4 JSON schema, a collection whose
// entries have distinct urn:uuid fullUrls, and every literal reference in
// any resource resolves to an entry of the Bundle.
func decode(t *testing.T, body []byte) []map[string]any {
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
	var out []map[string]any
	for _, e := range b.Entry {
		out = append(out, e.Resource)
	}
	return out
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

func TestExportLifecycle(t *testing.T) {
	for _, c := range []struct {
		states   []prescribing.State
		sr, task string
	}{
		{[]prescribing.State{prescribing.Identified}, "draft", "draft"},
		{[]prescribing.State{prescribing.Referred}, "active", "requested"},
		{[]prescribing.State{prescribing.Referred, prescribing.Accepted}, "active", "accepted"},
		{[]prescribing.State{prescribing.Referred, prescribing.Accepted, prescribing.Contacted, prescribing.Assessed, prescribing.Connected}, "active", "in-progress"},
		{[]prescribing.State{prescribing.Referred, prescribing.Accepted, prescribing.OnHold}, "on-hold", "on-hold"},
		{[]prescribing.State{prescribing.Referred, prescribing.Declined}, "revoked", "cancelled"},
		{[]prescribing.State{prescribing.Referred, prescribing.Accepted, prescribing.Contacted, prescribing.Assessed, prescribing.Connected, prescribing.Reviewing, prescribing.Closed}, "completed", "completed"},
	} {
		r := referral(c.states...)
		body, err := fhir.Export(r, patient, practice)
		require.NoError(t, err)
		assert.NotContains(t, string(body), "Never Exported", "the patient's name is not exported")
		res := decode(t, body)
		require.Len(t, res, 1+len(c.states))
		for _, x := range res {
			check(t, x)
		}
		var b struct{ Entry []entry }
		require.NoError(t, json.Unmarshal(body, &b))
		for _, x := range res[1:] {
			assert.Equal(t, b.Entry[0].FullURL, x["basedOn"].([]any)[0].(map[string]any)["reference"], "a Task is based on the Bundle's ServiceRequest")
		}
		again, err := fhir.Export(r, patient, practice)
		require.NoError(t, err)
		assert.Equal(t, string(body), string(again), "the export is deterministic")
		assert.Equal(t, c.sr, res[0]["status"], "%v", c.states)
		last := res[len(res)-1]
		assert.Equal(t, c.task, last["status"], "%v", c.states)
		for _, x := range res[1 : len(res)-1] {
			assert.Equal(t, "completed", x["status"])
		}
		declined := slices.Contains(c.states, prescribing.Declined)
		_, hasReason := last["statusReason"]
		assert.Equal(t, declined, hasReason)
		if declined {
			assert.Contains(t, string(body), prescribing.SNOMEDDeclined)
		}
	}
	// Every state maps to a valid status.
	for _, s := range prescribing.States {
		assert.NotEqual(t, "unknown", fhir.RequestStatus(s), s)
		assert.NotEqual(t, "failed", fhir.TaskStatus(s), s)
	}
}

func TestExportRefusesMismatch(t *testing.T) {
	r := referral(prescribing.Referred)
	other := *patient
	other.ID = "pat-2"
	_, err := fhir.Export(r, &other, practice)
	assert.Error(t, err)
	_, err = fhir.Export(r, nil, practice)
	assert.Error(t, err)
}

// TestCheckCatchesProblems makes sure the structural check can fail.
func TestCheckCatchesProblems(t *testing.T) {
	body, err := fhir.Export(referral(prescribing.Referred), patient, practice)
	require.NoError(t, err)
	res := decode(t, body)[0]
	res["meta"] = map[string]any{"profile": []any{"http://hl7.org/fhir/StructureDefinition/ServiceRequest"}}
	res["status"] = "referred"
	ft := &testing.T{}
	done := make(chan struct{})
	go func() { defer close(done); check(ft, res) }()
	<-done
	assert.True(t, ft.Failed(), "a wrong profile and status pass the check")

	// A library id as the resource id, relative fullUrls and a reference
	// to nothing in the Bundle all fail.
	for name, bad := range map[string]func() (map[string]any, []entry){
		"library id": func() (map[string]any, []entry) {
			res := decode(t, body)[0]
			res["id"] = refID
			return res, nil
		},
		"relative fullUrl": func() (map[string]any, []entry) {
			res := decode(t, body)
			return nil, []entry{{FullURL: "ServiceRequest/" + res[0]["id"].(string), Resource: res[0]}}
		},
		"dangling reference": func() (map[string]any, []entry) {
			res := decode(t, body)
			return nil, []entry{{FullURL: "urn:uuid:" + fhir.UUID("Task", "x"), Resource: res[1]}}
		},
	} {
		res, es := bad()
		ft := &testing.T{}
		done := make(chan struct{})
		go func() {
			defer close(done)
			if res != nil {
				check(ft, res)
			} else {
				checkEntries(ft, es)
			}
		}()
		<-done
		assert.True(t, ft.Failed(), "%s passes the check", name)
	}

	// The R4 schema refuses a Task status outside R4's value set.
	require.NoError(t, validate(body))
	bad := strings.Replace(string(body), `"status": "requested"`, `"status": "closed"`, 1)
	require.NotEqual(t, string(body), bad)
	assert.Error(t, validate([]byte(bad)), "a Task status outside R4 passes the schema")
}

// TestIDs: library ids map to valid FHIR ids one-to-one and the same every
// time; anything else falls back to the resource's UUID.
func TestIDs(t *testing.T) {
	seen := map[string]string{}
	for range 1000 {
		lib := id.New("ref", t0)
		got := fhir.ID("ServiceRequest", lib)
		require.Regexp(t, fhirID, got)
		assert.Equal(t, strings.ReplaceAll(lib, "_", "-"), got)
		assert.Equal(t, got, fhir.ID("ServiceRequest", lib), "deterministic")
		if prev, dup := seen[got]; dup {
			assert.Equal(t, prev, lib, "two library ids give one FHIR id")
		}
		seen[got] = lib
		task := fhir.TaskID(lib, 12)
		assert.Regexp(t, fhirID, task)
		assert.Equal(t, got+"-12", task)
	}
	assert.Equal(t, "ref-1", fhir.ID("ServiceRequest", "ref-1"), "a valid id is kept")
	for _, odd := range []string{"", "ref 1/2", strings.Repeat("x", 65), "ünïcode_id"} {
		got := fhir.ID("Task", odd)
		assert.Regexp(t, fhirID, got, "%q", odd)
		assert.Equal(t, fhir.UUID("Task", odd), got, "%q falls back to its UUID", odd)
	}
	// Name-based UUIDs (version 5) in the URL namespace, as RFC 9562 and
	// Python's uuid.uuid5(uuid.NAMESPACE_URL, …) compute them.
	assert.Equal(t, "a21ee2b5-6190-58db-b5ab-be10f50cab4e", fhir.UUID("ServiceRequest", "ref_1"))
	assert.NotEqual(t, fhir.UUID("ServiceRequest", "ref_1"), fhir.UUID("Task", "ref_1"))

	sr, err := fhir.ExportServiceRequest(referral(prescribing.Referred), patient, practice)
	require.NoError(t, err)
	assert.Equal(t, strings.ReplaceAll(refID, "_", "-"), sr.ID)
	assert.Equal(t, refID, sr.Identifier[0].Value, "the business identifier keeps the library id")
	tasks := fhir.ExportTasks(referral(prescribing.Referred, prescribing.Accepted), patient)
	require.Len(t, tasks, 2)
	assert.Equal(t, fhir.TaskID(refID, 2), tasks[1].ID)
	assert.Equal(t, "ServiceRequest/"+sr.ID, tasks[1].BasedOn[0].Reference, "standalone, a Task refers to the ServiceRequest by its id")
}
