package fhir

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/prescribing"
)

// Profiles, code systems and identifier systems defined by HL7, NHS
// England and SNOMED International that the resources use. Systems that
// belong to the council (its referral ids, its code systems) are not
// here: they are Options.
const (
	ProfileServiceRequest = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"
	ProfileTask           = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Task"
	SystemSNOMED          = "http://snomed.info/sct"
	SystemNHSNumber       = "https://fhir.nhs.uk/Id/nhs-number"
	SystemODS             = "https://fhir.nhs.uk/Id/ods-organization-code"
	// SystemTaskCode is HL7's code system for what a Task does; every
	// Task here has the code TaskCodeFulfill.
	SystemTaskCode = "http://hl7.org/fhir/CodeSystem/task-code"
	// TaskCodeFulfill ("Fulfill the focal request") says a Task is the
	// work of carrying out the ServiceRequest that is its focus.
	TaskCodeFulfill = "fulfill"
)

// ErrInvalid is returned, wrapped with the field and the reason, for
// Options an Exporter cannot use and for a referral, patient or practice
// that cannot be exported as it stands.
var ErrInvalid = errors.New("fhir: invalid")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Options are the council-specific parts of an export: who sends it,
// who performs the referrals, and the URIs of the council's own
// identifier and code systems. Nothing here has a built-in value; a
// receiver relies on every one of them, so each belongs to the council
// that runs the programme.
type Options struct {
	// Sender is the organisation that sends the export and assigns the
	// referral identifiers (the council, or the social prescribing
	// service if it runs the system): a logical reference with Type
	// "Organization" and an Identifier, ideally a Display. It is the
	// assigner of every ServiceRequest.identifier. Required.
	Sender Reference
	// Performer is the social prescribing service that performs the
	// referrals: a reference with Type "Organization" or
	// "HealthcareService" and an Identifier (and, optionally, an absolute
	// URL as Reference, where the service is on a FHIR server). It is
	// ServiceRequest.performer and every Task's owner. The referring GP
	// practice is the requester, never the performer. Required.
	Performer Reference

	// Base is the council's own base URI (for example
	// "https://fhir.example-council.gov.uk/"). When set, any of the
	// three systems below left empty defaults to Base followed by
	// "Id/social-prescribing-referral",
	// "CodeSystem/social-prescribing-state" and
	// "CodeSystem/social-prescribing-close-reason". Optional if all
	// three are given.
	Base string
	// ReferralSystem is the identifier system (an absolute URI) of
	// referral ids in ServiceRequest.identifier. It also names the
	// resources' UUIDs, so two councils' exports never share one.
	ReferralSystem string
	// StateSystem is the code system (an absolute URI) of a referral's
	// lifecycle states (prescribing.State) in Task.businessStatus.
	StateSystem string
	// CloseReasonSystem is the code system (an absolute URI) of the
	// reasons a referral was closed (prescribing.CloseReason) in
	// Task.statusReason.
	CloseReasonSystem string
}

// Exporter turns referrals into FHIR resources under one set of
// Options. Make it with New; the zero Exporter refuses to export. It
// holds no state beyond its options and is safe for concurrent use.
type Exporter struct{ o Options }

// New returns an Exporter for the options, after checking them: Sender
// and Performer must be logical references of the right type with an
// identifier whose system is an absolute URI, and the three systems
// (given, or derived from Base) absolute URIs. Errors: ErrInvalid, naming
// the field.
func New(o Options) (*Exporter, error) {
	if o.Base != "" {
		if err := absolute("Base", o.Base); err != nil {
			return nil, err
		}
		base := o.Base
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
		def := func(s *string, path string) {
			if *s == "" {
				*s = base + path
			}
		}
		def(&o.ReferralSystem, "Id/social-prescribing-referral")
		def(&o.StateSystem, "CodeSystem/social-prescribing-state")
		def(&o.CloseReasonSystem, "CodeSystem/social-prescribing-close-reason")
	}
	for _, f := range []struct{ name, v string }{
		{"ReferralSystem", o.ReferralSystem}, {"StateSystem", o.StateSystem}, {"CloseReasonSystem", o.CloseReasonSystem},
	} {
		if err := absolute(f.name, f.v); err != nil {
			return nil, err
		}
	}
	if err := party("Sender", o.Sender, "Organization"); err != nil {
		return nil, err
	}
	if err := party("Performer", o.Performer, "Organization", "HealthcareService"); err != nil {
		return nil, err
	}
	o.Sender = clone(o.Sender)
	o.Performer = clone(o.Performer)
	return &Exporter{o: o}, nil
}

// absolute checks that v is an absolute URI.
func absolute(field, v string) error {
	if v == "" {
		return invalid("%s: is required (an absolute URI)", field)
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "") || strings.ContainsAny(v, " \t\r\n") {
		return invalid("%s: %q is not an absolute URI", field, v)
	}
	return nil
}

// party checks a configured reference to an organisation or service.
func party(field string, r Reference, types ...string) error {
	ok := false
	for _, t := range types {
		ok = ok || r.Type == t
	}
	switch {
	case !ok:
		return invalid("%s.Type: %q is not %s", field, r.Type, strings.Join(types, " or "))
	case r.Identifier == nil || r.Identifier.Value == "":
		return invalid("%s.Identifier: is required (a system and a value)", field)
	case r.Identifier.Assigner != nil:
		return invalid("%s.Identifier.Assigner: is not supported", field)
	}
	if err := absolute(field+".Identifier.System", r.Identifier.System); err != nil {
		return err
	}
	if r.Reference != "" {
		if u, err := url.Parse(r.Reference); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalid("%s.Reference: %q is not an absolute http(s) URL", field, r.Reference)
		}
	}
	return nil
}

// clone copies a reference so the caller's later changes do not reach
// the Exporter.
func clone(r Reference) Reference {
	if r.Identifier != nil {
		id := *r.Identifier
		r.Identifier = &id
	}
	return r
}

// idPattern is what FHIR allows as a resource id.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

// ID returns the FHIR resource id for a library id. Library ids (a
// prefix, an underscore and base32 characters) become valid FHIR ids by
// turning the underscore into a hyphen, which is one-to-one because they
// hold no hyphen. Any other id that is not a valid FHIR id as it stands,
// or with its underscores made hyphens, is replaced by its UUID (see
// UUID), also a valid id. The same id always gives the same FHIR id.
func (e *Exporter) ID(kind, id string) string {
	if idPattern.MatchString(id) {
		return id
	}
	if h := strings.ReplaceAll(id, "_", "-"); idPattern.MatchString(h) {
		return h
	}
	return e.UUID(kind, id)
}

// UUID returns the name-based (version 5, SHA-1, RFC 9562) UUID of a
// resource of the given type ("ServiceRequest", "Task") and library id,
// in the URL namespace, of the name ReferralSystem + "|" + kind + "/" +
// id: stable across exports, so a receiver can tell a re-export from a
// new resource, and distinct between councils.
func (e *Exporter) UUID(kind, id string) string {
	// The URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(e.o.ReferralSystem + "|" + kind + "/" + id))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	b := hex.EncodeToString(u[:])
	return b[0:8] + "-" + b[8:12] + "-" + b[12:16] + "-" + b[16:20] + "-" + b[20:32]
}

// taskKey is the library-side name of a referral's i-th step (from 0).
func taskKey(referral string, i int) string { return referral + "-" + strconv.Itoa(i+1) }

// TaskID returns the FHIR id of the Task for step n (from 1) of a
// referral's history.
func (e *Exporter) TaskID(referral string, n int) string { return e.ID("Task", taskKey(referral, n-1)) }

// Coding is a FHIR Coding.
type Coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is a FHIR CodeableConcept.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Identifier is a FHIR Identifier, with the organisation that assigned
// it where that is known.
type Identifier struct {
	System   string     `json:"system"`
	Value    string     `json:"value"`
	Assigner *Reference `json:"assigner,omitempty"`
}

// Reference is a FHIR Reference: a literal one (Reference) to a resource
// in the same Bundle or on a server, or a logical one (Identifier).
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Type       string      `json:"type,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Meta is a resource's metadata: the profiles it claims.
type Meta struct {
	Profile     []string `json:"profile"`
	LastUpdated string   `json:"lastUpdated,omitempty"`
}

// ServiceRequest is a referral as a FHIR ServiceRequest.
type ServiceRequest struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Meta         Meta              `json:"meta"`
	Identifier   []Identifier      `json:"identifier"`
	Status       string            `json:"status"`
	Intent       string            `json:"intent"`
	Code         CodeableConcept   `json:"code"`
	Subject      Reference         `json:"subject"`
	AuthoredOn   string            `json:"authoredOn,omitempty"`
	Requester    *Reference        `json:"requester,omitempty"`
	Performer    []Reference       `json:"performer,omitempty"`
	ReasonCode   []CodeableConcept `json:"reasonCode,omitempty"`
}

// Task is one step of a referral's progress as a FHIR Task: the work of
// fulfilling the ServiceRequest that is its focus.
type Task struct {
	ResourceType   string           `json:"resourceType"`
	ID             string           `json:"id"`
	Meta           Meta             `json:"meta"`
	BasedOn        []Reference      `json:"basedOn"`
	Status         string           `json:"status"`
	StatusReason   *CodeableConcept `json:"statusReason,omitempty"`
	BusinessStatus *CodeableConcept `json:"businessStatus,omitempty"`
	Intent         string           `json:"intent"`
	Code           CodeableConcept  `json:"code"`
	Focus          Reference        `json:"focus"`
	For            Reference        `json:"for"`
	AuthoredOn     string           `json:"authoredOn"`
	LastModified   string           `json:"lastModified,omitempty"`
	Requester      *Reference       `json:"requester,omitempty"`
	Owner          *Reference       `json:"owner,omitempty"`
}

// Bundle is a FHIR collection Bundle.
type Bundle struct {
	ResourceType string  `json:"resourceType"`
	Type         string  `json:"type"`
	Entry        []Entry `json:"entry"`
}

// Entry is one resource of a Bundle.
type Entry struct {
	FullURL  string `json:"fullUrl,omitempty"`
	Resource any    `json:"resource"`
}

// RequestStatus maps a referral to ServiceRequest.status (FHIR R4's
// RequestStatus): identified is a draft; referred to reviewing are
// active; on hold is on-hold. A request that has ended is completed only
// when it was fully performed — closed with GoalsMet; one ended before
// that (declined, or closed as declined, moved away, died, not
// contactable or not referred) is revoked. Errors: ErrInvalid for a
// closed referral with no or an unknown close reason, or an unknown
// state.
func RequestStatus(r *prescribing.Referral) (string, error) {
	switch r.State {
	case prescribing.Identified:
		return "draft", nil
	case prescribing.OnHold:
		return "on-hold", nil
	case prescribing.Declined:
		return "revoked", nil
	case prescribing.Closed:
		switch r.CloseReason {
		case prescribing.GoalsMet:
			return "completed", nil
		case prescribing.ReasonDeclined, prescribing.MovedAway, prescribing.Died, prescribing.NotContactable, prescribing.NotReferred:
			return "revoked", nil
		}
		return "", invalid("referral %s: closed with reason %q, which says neither that it was fully performed nor why it ended", r.ID, r.CloseReason)
	case prescribing.Referred, prescribing.Accepted, prescribing.Contacted, prescribing.Assessed, prescribing.Connected, prescribing.Reviewing:
		return "active", nil
	}
	return "", invalid("referral %s: unknown state %q", r.ID, r.State)
}

// TaskStatus maps the state the latest step of a referral reached, with
// the referral's close reason, to Task.status (FHIR R4's TaskStatus).
// Open states map to draft, requested, accepted, in-progress and
// on-hold. Of the ends: closed with GoalsMet is completed; not
// contactable is failed (contact was attempted but the work could not be
// done); declined, moved away, died and not referred are cancelled (the
// work was not completed). Errors: ErrInvalid as for RequestStatus.
func TaskStatus(s prescribing.State, reason prescribing.CloseReason) (string, error) {
	switch s {
	case prescribing.Identified:
		return "draft", nil
	case prescribing.Referred:
		return "requested", nil
	case prescribing.Accepted:
		return "accepted", nil
	case prescribing.Contacted, prescribing.Assessed, prescribing.Connected, prescribing.Reviewing:
		return "in-progress", nil
	case prescribing.OnHold:
		return "on-hold", nil
	case prescribing.Declined:
		return "cancelled", nil
	case prescribing.Closed:
		switch reason {
		case prescribing.GoalsMet:
			return "completed", nil
		case prescribing.NotContactable:
			return "failed", nil
		case prescribing.ReasonDeclined, prescribing.MovedAway, prescribing.Died, prescribing.NotReferred:
			return "cancelled", nil
		}
		return "", invalid("closed with reason %q, which says neither that it was fully performed nor why it ended", reason)
	}
	return "", invalid("unknown state %q", s)
}

// reasonDisplay is the plain-English display of each close reason.
var reasonDisplay = map[prescribing.CloseReason]string{
	prescribing.GoalsMet:       "Goals met",
	prescribing.ReasonDeclined: "Declined by the person",
	prescribing.MovedAway:      "Moved away",
	prescribing.Died:           "Died",
	prescribing.NotContactable: "Not contactable",
	prescribing.NotReferred:    "Not referred: the MDT chose the medical pathway or no action",
}

// statusReason is why a referral ended: the SNOMED CT concept for social
// prescribing declined first where the person declined, then the close
// reason in the council's code system.
func (e *Exporter) statusReason(s prescribing.State, reason prescribing.CloseReason) *CodeableConcept {
	if s == prescribing.Declined {
		reason = prescribing.ReasonDeclined
	}
	cc := &CodeableConcept{Text: reasonDisplay[reason]}
	if reason == prescribing.ReasonDeclined {
		cc.Coding = append(cc.Coding, Coding{System: SystemSNOMED, Code: prescribing.SNOMEDDeclined, Display: "Social prescribing declined"})
	}
	cc.Coding = append(cc.Coding, Coding{System: e.o.CloseReasonSystem, Code: string(reason), Display: reasonDisplay[reason]})
	return cc
}

func instant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// check refuses what cannot be exported as it stands, and an Exporter
// not made by New.
func (e *Exporter) check(r *prescribing.Referral, patient *prescribing.Patient, practice *prescribing.Practice) error {
	switch {
	case e == nil || e.o.ReferralSystem == "":
		return invalid("the Exporter has no options: make it with New")
	case r == nil || patient == nil || practice == nil:
		return invalid("referral, patient and practice are required")
	case patient.ID != r.Patient || practice.ID != r.Practice:
		return invalid("referral %s: patient or practice does not match", r.ID)
	case !patient.NHSNumber.Valid():
		return invalid("referral %s: the patient has no valid NHS number", r.ID)
	case practice.ODS == "":
		return invalid("referral %s: the practice has no ODS code", r.ID)
	case len(r.History) == 0:
		return invalid("referral %s: has no history", r.ID)
	}
	_, err := RequestStatus(r)
	return err
}

// practiceRef is the referring GP practice, by its ODS code.
func practiceRef(p *prescribing.Practice) *Reference {
	return &Reference{Type: "Organization", Identifier: &Identifier{System: SystemODS, Value: p.ODS}, Display: p.Name}
}

func nhs(p *prescribing.Patient) Reference {
	return Reference{Type: "Patient", Identifier: &Identifier{System: SystemNHSNumber, Value: string(p.NHSNumber)}}
}

// ServiceRequest returns the referral as a ServiceRequest: identified by
// the referral id in ReferralSystem, assigned by the Sender; the patient
// by NHS number; requested by the referring GP practice (by ODS code);
// performed by the Performer. authoredOn is when the referral was made
// (it first entered prescribing.Referred), not when risk stratification
// identified the patient; a referral never referred has none. Errors:
// ErrInvalid (missing or mismatched patient or practice, no NHS number or
// ODS code, no history, a closed referral without a known reason).
func (e *Exporter) ServiceRequest(r *prescribing.Referral, patient *prescribing.Patient, practice *prescribing.Practice) (*ServiceRequest, error) {
	if err := e.check(r, patient, practice); err != nil {
		return nil, err
	}
	status, _ := RequestStatus(r)
	sender := clone(e.o.Sender)
	sr := &ServiceRequest{
		ResourceType: "ServiceRequest", ID: e.ID("ServiceRequest", r.ID),
		Meta:       Meta{Profile: []string{ProfileServiceRequest}, LastUpdated: instant(r.UpdatedAt)},
		Identifier: []Identifier{{System: e.o.ReferralSystem, Value: r.ID, Assigner: &sender}},
		Status:     status, Intent: "order",
		Code: CodeableConcept{Coding: []Coding{{System: SystemSNOMED, Code: prescribing.SNOMEDReferral,
			Display: "Referral to social prescribing service"}}},
		Subject:   nhs(patient),
		Requester: practiceRef(practice),
		Performer: []Reference{clone(e.o.Performer)},
	}
	if at := r.Entered(prescribing.Referred); at != nil {
		sr.AuthoredOn = instant(*at)
	}
	for _, n := range r.Needs {
		sr.ReasonCode = append(sr.ReasonCode, CodeableConcept{Text: string(n)})
	}
	return sr, nil
}

// Tasks returns the referral's progress as Tasks, one per move in its
// history, in order. Each is the work of fulfilling the ServiceRequest
// (code TaskCodeFulfill), which is its focus and what it is based on, by
// a relative reference ("ServiceRequest/" + its id; Export makes that a
// reference within the Bundle). Every step but the last is completed;
// the last has the status TaskStatus gives, and, where the referral has
// ended, a statusReason: the close reason in CloseReasonSystem, after
// the SNOMED CT concept for social prescribing declined where the person
// declined. businessStatus is the state the step reached, in
// StateSystem. The practice is the requester and the Performer the
// owner. A Task's id is the FHIR id of the referral's id, a hyphen and
// the step's number (see TaskID). Errors: as for ServiceRequest.
func (e *Exporter) Tasks(r *prescribing.Referral, patient *prescribing.Patient, practice *prescribing.Practice) ([]Task, error) {
	if err := e.check(r, patient, practice); err != nil {
		return nil, err
	}
	sr := Reference{Reference: "ServiceRequest/" + e.ID("ServiceRequest", r.ID), Type: "ServiceRequest"}
	var out []Task
	for i, t := range r.History {
		status, last := "completed", i == len(r.History)-1
		if last {
			s, err := TaskStatus(t.To, r.CloseReason)
			if err != nil {
				return nil, fmt.Errorf("referral %s: %w", r.ID, err)
			}
			status = s
		}
		owner := clone(e.o.Performer)
		task := Task{
			ResourceType: "Task", ID: e.ID("Task", taskKey(r.ID, i)),
			Meta:           Meta{Profile: []string{ProfileTask}},
			BasedOn:        []Reference{sr},
			Status:         status,
			BusinessStatus: &CodeableConcept{Coding: []Coding{{System: e.o.StateSystem, Code: string(t.To)}}},
			Intent:         "order",
			Code:           CodeableConcept{Coding: []Coding{{System: SystemTaskCode, Code: TaskCodeFulfill, Display: "Fulfill the focal request"}}},
			Focus:          sr,
			For:            nhs(patient),
			AuthoredOn:     instant(t.At), LastModified: instant(t.At),
			Requester: practiceRef(practice),
			Owner:     &owner,
		}
		if last && t.To.Final() {
			task.StatusReason = e.statusReason(t.To, r.CloseReason)
		}
		out = append(out, task)
	}
	return out, nil
}

// Export returns a collection Bundle holding the referral's
// ServiceRequest and Tasks, as JSON. Every entry's fullUrl is
// "urn:uuid:" and the resource's UUID, the same on every export, and
// each Task's basedOn and focus refer to the ServiceRequest by that
// fullUrl, so references resolve within the Bundle. The patient appears
// only as an NHS number; no name or other personal detail, and no member
// of staff, is exported. Errors: as for ServiceRequest.
func (e *Exporter) Export(r *prescribing.Referral, patient *prescribing.Patient, practice *prescribing.Practice) ([]byte, error) {
	sr, err := e.ServiceRequest(r, patient, practice)
	if err != nil {
		return nil, fmt.Errorf("fhir: export: %w", err)
	}
	tasks, err := e.Tasks(r, patient, practice)
	if err != nil {
		return nil, fmt.Errorf("fhir: export: %w", err)
	}
	srRef := Reference{Reference: "urn:uuid:" + e.UUID("ServiceRequest", r.ID), Type: "ServiceRequest"}
	b := Bundle{ResourceType: "Bundle", Type: "collection", Entry: []Entry{{FullURL: srRef.Reference, Resource: sr}}}
	for i, t := range tasks {
		t.BasedOn, t.Focus = []Reference{srRef}, srRef
		b.Entry = append(b.Entry, Entry{FullURL: "urn:uuid:" + e.UUID("Task", taskKey(r.ID, i)), Resource: t})
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("fhir: export %s: %w", r.ID, err)
	}
	return data, nil
}

// Export exports one referral under the options, as Exporter.Export does,
// after checking them as New does. An app exporting many referrals makes
// one Exporter with New instead. Errors: ErrInvalid.
func Export(o Options, r *prescribing.Referral, patient *prescribing.Patient, practice *prescribing.Practice) ([]byte, error) {
	e, err := New(o)
	if err != nil {
		return nil, err
	}
	return e.Export(r, patient, practice)
}
