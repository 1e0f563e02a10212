package fhir

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/prescribing"
)

// Systems and profiles the resources use.
const (
	ProfileServiceRequest = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"
	ProfileTask           = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Task"
	SystemSNOMED          = "http://snomed.info/sct"
	SystemNHSNumber       = "https://fhir.nhs.uk/Id/nhs-number"
	SystemODS             = "https://fhir.nhs.uk/Id/ods-organization-code"
	// SystemReferral identifies referrals of this library; a council may
	// use its own.
	SystemReferral = "https://strongertogether.example/Id/social-prescribing-referral"
	// SystemState codes a referral's lifecycle state in Task.businessStatus.
	SystemState = "https://strongertogether.example/CodeSystem/social-prescribing-state"
	// SystemStaff identifies members of staff of this library (by their
	// library id) in logical references to a Practitioner.
	SystemStaff = "https://strongertogether.example/Id/staff"
	// Base is the URL under which UUID names resources: a resource's UUID
	// is the name-based (version 5, SHA-1) UUID of Base + type + "/" +
	// library id in the URL namespace of RFC 9562.
	Base = "https://strongertogether.example/fhir/"
)

// idPattern is what FHIR allows as a resource id.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

// ID returns the FHIR resource id for a library id. Library ids (package
// internal/id: a prefix, an underscore and base32 characters) become
// valid FHIR ids by turning the underscore into a hyphen, which is
// one-to-one because they hold no hyphen. Any other id that is not a
// valid FHIR id as it stands, or with its underscores made hyphens, is
// replaced by its UUID (see UUID), also a valid id. The same id always
// gives the same FHIR id.
func ID(kind, id string) string {
	if idPattern.MatchString(id) {
		return id
	}
	if h := strings.ReplaceAll(id, "_", "-"); idPattern.MatchString(h) {
		return h
	}
	return UUID(kind, id)
}

// UUID returns the name-based (version 5) UUID of a resource of the given
// type ("ServiceRequest", "Task") and library id: stable across exports,
// so a receiver can tell a re-export from a new resource.
func UUID(kind, id string) string {
	// The URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(Base + kind + "/" + id))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	b := hex.EncodeToString(u[:])
	return b[0:8] + "-" + b[8:12] + "-" + b[12:16] + "-" + b[16:20] + "-" + b[20:32]
}

// staff is a logical reference to a member of staff as a Practitioner:
// by identifier, as no Practitioner resource is exported.
func staff(id string) *Reference {
	return &Reference{Type: "Practitioner", Identifier: &Identifier{System: SystemStaff, Value: id}}
}

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

// Identifier is a FHIR Identifier.
type Identifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
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

// Annotation is a FHIR note.
type Annotation struct {
	Time string `json:"time,omitempty"`
	Text string `json:"text"`
}

// ServiceRequest is a referral as a FHIR ServiceRequest.
type ServiceRequest struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Meta         Meta              `json:"meta"`
	Identifier   []Identifier      `json:"identifier"`
	Status       string            `json:"status"`
	Intent       string            `json:"intent"`
	Category     []CodeableConcept `json:"category,omitempty"`
	Code         CodeableConcept   `json:"code"`
	Subject      Reference         `json:"subject"`
	AuthoredOn   string            `json:"authoredOn"`
	Requester    *Reference        `json:"requester,omitempty"`
	Performer    []Reference       `json:"performer,omitempty"`
	ReasonCode   []CodeableConcept `json:"reasonCode,omitempty"`
}

// Task is one step of a referral's progress as a FHIR Task.
type Task struct {
	ResourceType   string           `json:"resourceType"`
	ID             string           `json:"id"`
	Meta           Meta             `json:"meta"`
	BasedOn        []Reference      `json:"basedOn"`
	Status         string           `json:"status"`
	StatusReason   *CodeableConcept `json:"statusReason,omitempty"`
	BusinessStatus *CodeableConcept `json:"businessStatus,omitempty"`
	Intent         string           `json:"intent"`
	Code           *CodeableConcept `json:"code,omitempty"`
	For            Reference        `json:"for"`
	AuthoredOn     string           `json:"authoredOn"`
	LastModified   string           `json:"lastModified,omitempty"`
	Owner          *Reference       `json:"owner,omitempty"`
	Note           []Annotation     `json:"note,omitempty"`
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

// RequestStatus maps a referral's state to ServiceRequest.status:
// identified is a draft; referred to reviewing are active; on hold is
// on-hold; closed is completed; declined is revoked.
func RequestStatus(s prescribing.State) string {
	switch s {
	case prescribing.Identified:
		return "draft"
	case prescribing.OnHold:
		return "on-hold"
	case prescribing.Closed:
		return "completed"
	case prescribing.Declined:
		return "revoked"
	case prescribing.Referred, prescribing.Accepted, prescribing.Contacted, prescribing.Assessed, prescribing.Connected, prescribing.Reviewing:
		return "active"
	}
	return "unknown"
}

// TaskStatus maps the state a step of the referral reached to Task.status.
func TaskStatus(s prescribing.State) string {
	switch s {
	case prescribing.Identified:
		return "draft"
	case prescribing.Referred:
		return "requested"
	case prescribing.Accepted:
		return "accepted"
	case prescribing.Contacted, prescribing.Assessed, prescribing.Connected, prescribing.Reviewing:
		return "in-progress"
	case prescribing.OnHold:
		return "on-hold"
	case prescribing.Declined:
		return "cancelled"
	case prescribing.Closed:
		return "completed"
	}
	return "failed"
}

func instant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// ExportServiceRequest returns the referral as a ServiceRequest. patient
// gives the NHS number; practice the ODS code of the performer's practice.
func ExportServiceRequest(r *prescribing.Referral, patient *prescribing.Patient, practice *prescribing.Practice) (*ServiceRequest, error) {
	if r == nil || patient == nil || practice == nil {
		return nil, fmt.Errorf("fhir: referral, patient and practice are required")
	}
	if patient.ID != r.Patient || practice.ID != r.Practice {
		return nil, fmt.Errorf("fhir: referral %s: patient or practice does not match", r.ID)
	}
	sr := &ServiceRequest{
		ResourceType: "ServiceRequest", ID: ID("ServiceRequest", r.ID),
		Meta:       Meta{Profile: []string{ProfileServiceRequest}, LastUpdated: instant(r.UpdatedAt)},
		Identifier: []Identifier{{System: SystemReferral, Value: r.ID}},
		Status:     RequestStatus(r.State), Intent: "order",
		Code: CodeableConcept{Coding: []Coding{{System: SystemSNOMED, Code: prescribing.SNOMEDReferral,
			Display: "Referral to social prescribing service"}}},
		Subject:    Reference{Identifier: &Identifier{System: SystemNHSNumber, Value: string(patient.NHSNumber)}},
		AuthoredOn: instant(r.CreatedAt),
		Performer:  []Reference{{Identifier: &Identifier{System: SystemODS, Value: practice.ODS}, Display: practice.Name}},
	}
	if r.Referrer != "" {
		sr.Requester = staff(r.Referrer)
	}
	for _, n := range r.Needs {
		sr.ReasonCode = append(sr.ReasonCode, CodeableConcept{Text: string(n)})
	}
	return sr, nil
}

// ExportTasks returns the referral's progress as Tasks, one per move in
// its history, in order. Every step but the last is completed; the last
// has the status of the state the referral is in. A decline carries the
// SNOMED CT concept for social prescribing declined as its statusReason.
// Each Task is based on the ServiceRequest by a relative reference
// ("ServiceRequest/" + its id); Export makes that a reference within the
// Bundle. A Task's id is the FHIR id of the referral's id, a hyphen and
// the step's number (see TaskID).
func ExportTasks(r *prescribing.Referral, patient *prescribing.Patient) []Task {
	var out []Task
	for i, t := range r.History {
		status := "completed"
		if i == len(r.History)-1 {
			status = TaskStatus(t.To)
		}
		task := Task{
			ResourceType: "Task", ID: ID("Task", taskKey(r.ID, i)),
			Meta:           Meta{Profile: []string{ProfileTask}},
			BasedOn:        []Reference{{Reference: "ServiceRequest/" + ID("ServiceRequest", r.ID), Type: "ServiceRequest"}},
			Status:         status,
			BusinessStatus: &CodeableConcept{Coding: []Coding{{System: SystemState, Code: string(t.To)}}},
			Intent:         "order",
			For:            Reference{Identifier: &Identifier{System: SystemNHSNumber, Value: string(patient.NHSNumber)}},
			AuthoredOn:     instant(t.At), LastModified: instant(t.At),
			Owner: staff(t.By),
		}
		if t.To == prescribing.Declined || (t.To == prescribing.Closed && r.CloseReason == prescribing.ReasonDeclined) {
			task.StatusReason = &CodeableConcept{Coding: []Coding{{System: SystemSNOMED, Code: prescribing.SNOMEDDeclined, Display: "Social prescribing declined"}}}
		}
		out = append(out, task)
	}
	return out
}

// taskKey is the library-side name of a referral's i-th step (from 0).
func taskKey(referral string, i int) string { return referral + "-" + strconv.Itoa(i+1) }

// TaskID returns the FHIR id of the Task for step n (from 1) of a
// referral's history.
func TaskID(referral string, n int) string { return ID("Task", taskKey(referral, n-1)) }

// Export returns a collection Bundle holding the referral's ServiceRequest
// and Tasks, as JSON. Every entry's fullUrl is "urn:uuid:" and the
// resource's UUID, the same on every export, and each Task's basedOn
// refers to the ServiceRequest by that fullUrl, so references resolve
// within the Bundle. Staff are referred to by identifier (SystemStaff).
func Export(r *prescribing.Referral, patient *prescribing.Patient, practice *prescribing.Practice) ([]byte, error) {
	sr, err := ExportServiceRequest(r, patient, practice)
	if err != nil {
		return nil, err
	}
	srURL := "urn:uuid:" + UUID("ServiceRequest", r.ID)
	b := Bundle{ResourceType: "Bundle", Type: "collection", Entry: []Entry{{FullURL: srURL, Resource: sr}}}
	for i, t := range ExportTasks(r, patient) {
		t.BasedOn = []Reference{{Reference: srURL, Type: "ServiceRequest"}}
		b.Entry = append(b.Entry, Entry{FullURL: "urn:uuid:" + UUID("Task", taskKey(r.ID, i)), Resource: t})
	}
	return json.MarshalIndent(b, "", "  ")
}
