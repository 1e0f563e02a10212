package fhir_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/fhir"
	"github.com/strongertogether/community/prescribing"
)

var t0 = time.Date(2016, 11, 1, 10, 0, 0, 0, time.UTC)

func referral(states ...prescribing.State) *prescribing.Referral {
	r := &prescribing.Referral{ID: "ref-1", Practice: "prc-1", Patient: "pat-1", Source: prescribing.SourceMDT, Referrer: "stf-gp",
		Code: prescribing.SNOMEDReferral, Needs: []prescribing.Need{prescribing.NeedLoneliness}, CreatedAt: t0, UpdatedAt: t0, Version: 1}
	from := prescribing.State("")
	for i, s := range states {
		r.History = append(r.History, prescribing.Transition{From: from, To: s, At: t0.Add(time.Duration(i) * time.Hour), By: "stf-adv"})
		from, r.State = s, s
	}
	if r.State == prescribing.Declined {
		r.Code = prescribing.SNOMEDDeclined
	}
	return r
}

var (
	patient  = &prescribing.Patient{ID: "pat-1", Practice: "prc-1", NHSNumber: "9434765919", Name: "Never Exported"}
	practice = &prescribing.Practice{ID: "prc-1", ODS: "F81001", Name: "Tilbury Health Centre", Area: "Tilbury"}
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
	assert.NotEmpty(t, res["id"], "%s.id", typ)
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
		assert.Regexp(t, `^ServiceRequest/`, based[0].(map[string]any)["reference"])
		codings("businessStatus", res["businessStatus"])
		if sr, ok := res["statusReason"]; ok {
			codings("statusReason", sr)
		}
	}
}

func decode(t *testing.T, body []byte) []map[string]any {
	var b struct {
		ResourceType string `json:"resourceType"`
		Type         string `json:"type"`
		Entry        []struct {
			Resource map[string]any `json:"resource"`
		} `json:"entry"`
	}
	require.NoError(t, json.Unmarshal(body, &b))
	assert.Equal(t, "Bundle", b.ResourceType)
	assert.Equal(t, "collection", b.Type)
	var out []map[string]any
	for _, e := range b.Entry {
		out = append(out, e.Resource)
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
}
