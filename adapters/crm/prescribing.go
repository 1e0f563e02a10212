package crm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/prescribing"
)

// PrescribingReferrals returns the Applier that stores social prescribing
// referrals made in the CRM through svc, as actor (a GP or other
// referring professional working with practice). Fields of a new
// referral: person (the CRM's id of the person referred, required),
// nhs_number, name and area (the patient, registered with the practice
// the first time the person is referred), needs (separated by ";", from
// prescribing.Needs) and note. A later version of the record carries the
// CRM's change of status: status "declined" (Decline, with note),
// "closed" (CloseReferral with close_reason, from
// prescribing.CloseReasons) or "on-hold" (Hold, with note as the
// reason); the Service's lifecycle decides whether the move is allowed.
// A record the Service refuses (a bad NHS number, an unknown need, a move
// its state does not allow) is rejected; a refusal of the actor stops the
// sync.
// The patient is registered under a key of the practice and a digest of
// the NHS number (never the number itself), so each referral of the same
// NHS number at the practice finds the same patient (a replay), and the
// same actor syncing another practice registers its own. The needs, the
// note and the NHS number are checked before the patient is registered,
// so a record refused for them leaves nothing behind; a referral the
// Service refuses after the registration (the patient has an open
// referral already) leaves the patient as it was, registered by an
// earlier referral. A record naming an NHS number the practice has
// registered itself refers that patient as the practice keeps them. A
// later record of a patient the CRM registered, whose name or area (not
// empty) differs from the practice's record, corrects it (CorrectPatient,
// under the record's key and "/patient", once per record): the CRM's
// correction of a name reaches the practice. A record of a patient the
// CRM registered and the practice has since erased is rejected
// (ErrErased): no new referral, and no new personal data, is hung on an
// erased record. (The practice's own registrations leave no such trace:
// after it erases one, the CRM's next record of that NHS number registers
// the patient anew.)
func PrescribingReferrals(svc *prescribing.Service, actor call.Actor, practice string) Applier {
	return &prescribingReferrals{svc: svc, actor: actor, practice: practice}
}

// ErrErased is the error of a CRM record whose patient was erased at
// the practice: the record is rejected, not stored.
var ErrErased = errors.New("crm: the record's patient was erased")

// maxReferralNote is the longest note of a referral the prescribing
// Service takes, in bytes.
const maxReferralNote = 2000

// patientKey is the idempotency key a patient is registered under: the
// practice and the first 16 bytes of the SHA-256 of the NHS number, so
// the number itself is never kept in a key.
func patientKey(practice string, nhs prescribing.NHSNumber) string {
	sum := sha256.Sum256([]byte(nhs))
	return "crm:patient:" + strconv.Itoa(len(practice)) + ":" + practice + ":" + hex.EncodeToString(sum[:16])
}

type prescribingReferrals struct {
	svc      *prescribing.Service
	actor    call.Actor
	practice string
}

func prescribingErr(err error) error {
	return rejectIf(err, prescribing.ErrInvalid, prescribing.ErrNotFound, prescribing.ErrConflict, prescribing.ErrInvalidTransition)
}

func prescribingField(field, reason string) error {
	return Reject(&prescribing.FieldError{Field: field, Reason: reason, Err: prescribing.ErrInvalid})
}

func (a *prescribingReferrals) Create(ctx context.Context, key string, r Record) (string, error) {
	f := r.Fields
	person := f["person"]
	if person == "" {
		return "", prescribingField("person", "is required: the CRM's id of the person referred")
	}
	// Needs, the note and the NHS number are checked before the patient
	// is registered, so a bad one leaves nothing behind.
	var needs []prescribing.Need
	for i, n := range splitList(f["needs"]) {
		if !slices.Contains(prescribing.Needs(), prescribing.Need(n)) {
			// The value is not repeated: it came from outside and may
			// be free text about the person.
			return "", prescribingField("needs", fmt.Sprintf("need %d is not one of prescribing.Needs", i+1))
		}
		needs = append(needs, prescribing.Need(n))
	}
	if len(strings.TrimSpace(f["note"])) > maxReferralNote {
		return "", prescribingField("note", fmt.Sprintf("is longer than %d bytes", maxReferralNote))
	}
	nhs, err := prescribing.ParseNHSNumber(f["nhs_number"])
	if err != nil {
		return "", Reject(err)
	}
	p, err := a.svc.RegisterPatient(ctx, a.actor.Key(patientKey(a.practice, nhs)), prescribing.NewPatient{Practice: a.practice,
		NHSNumber: string(nhs), Name: f["name"], Area: f["area"]})
	if errors.Is(err, prescribing.ErrConflict) {
		// Registered already: by an earlier record that named or placed
		// the patient otherwise (the key's first request differs: the
		// CRM's correction), or by the practice itself (its record
		// stands).
		var fe *prescribing.FieldError
		corrected := errors.As(err, &fe) && fe.Field == "key"
		p, err = a.registered(ctx, key, nhs, f, corrected)
	}
	if err != nil {
		return "", prescribingErr(err)
	}
	if p.NHSNumber == "" {
		return "", Reject(&prescribing.FieldError{Field: "nhs_number", Reason: "the patient's record at the practice was erased: " +
			"no referral is made for it", Err: ErrErased})
	}
	ref, err := a.svc.Refer(ctx, a.actor.Key(key), a.practice, prescribing.NewReferral{Patient: p.ID, Needs: needs, Note: f["note"]})
	if err != nil {
		return "", prescribingErr(err)
	}
	return ref.ID, nil
}

// registered returns the practice's patient with the NHS number. When
// the CRM registered the patient (correct is set), the name and area the
// record carries (those of its fields present and not empty) are
// corrected where they differ, under the record's own step key, so a
// replay of the record corrects nothing again; a patient the practice
// registered itself is referred as the practice keeps it. A patient
// registered from the CRM but not found now was erased: it comes back as
// erased (no NHS number).
func (a *prescribingReferrals) registered(ctx context.Context, key string, nhs prescribing.NHSNumber, f map[string]string, correct bool) (*prescribing.Patient, error) {
	p, err := a.svc.PatientByNHS(ctx, a.actor, a.practice, string(nhs))
	if errors.Is(err, prescribing.ErrNotFound) && correct {
		return &prescribing.Patient{Practice: a.practice}, nil
	}
	if err != nil || !correct {
		return p, err
	}
	// Every field the record carries, changed or not, so that the
	// correction's receipt holds the record's values: a replay finds it,
	// and undoes nothing the practice corrected since.
	var c prescribing.PatientCorrection
	if v := strings.TrimSpace(f["name"]); v != "" {
		c.Name = &v
	}
	if v := strings.TrimSpace(f["area"]); v != "" {
		c.Area = &v
	}
	if c.Name == nil && c.Area == nil {
		return p, nil
	}
	return a.svc.CorrectPatient(ctx, a.actor.Key(stepKey(key, "patient")), p.ID, c)
}

func (a *prescribingReferrals) Update(ctx context.Context, key string, id string, r Record) error {
	f := r.Fields
	w := a.actor.Key(key)
	var err error
	switch f["status"] {
	case "declined":
		_, err = a.svc.Decline(ctx, w, id, f["note"])
	case "closed":
		_, err = a.svc.CloseReferral(ctx, w, id, prescribing.CloseReason(f["close_reason"]), f["note"])
	case "on-hold":
		_, err = a.svc.Hold(ctx, w, id, f["note"])
	default:
		return prescribingField("status", "a change of a referral from the CRM is declined, closed or on-hold")
	}
	return prescribingErr(err)
}

// referralMoves maps the prescribing audit trail's actions that move a
// referral to the status it moves to.
var referralMoves = map[string]string{
	"referral.refer":   string(prescribing.Referred),
	"referral.accept":  string(prescribing.Accepted),
	"referral.contact": string(prescribing.Contacted),
	"referral.assess":  string(prescribing.Assessed),
	"referral.connect": string(prescribing.Connected),
	"referral.review":  string(prescribing.Reviewing),
	"referral.decline": string(prescribing.Declined),
	"referral.close":   string(prescribing.Closed),
	"referral.hold":    string(prescribing.OnHold),
	"referral.resume":  "resumed", // back to the state it was held in
}

// ReferralStatuses returns the EventSource of the changes of status of a
// practice's social prescribing referrals, read through svc as actor
// (staff who work with the practice) from the prescribing audit trail.
// Each change is an item of kind referral_status with the id
// "referral_status:REFERRAL:SEQ", the referral's id as its ExternalID,
// the event's Seq as its Version, and the fields referral, practice,
// status (referred, accepted, contacted, assessed, connected, reviewing,
// declined, closed, on-hold, or resumed) and at (RFC 3339). It carries
// ids only: never an NHS number or a name. The mark is the Seq of the
// last event read.
func ReferralStatuses(svc *prescribing.Service, actor call.Actor, practice string) EventSource {
	return &referralStatuses{svc: svc, actor: actor, practice: practice}
}

type referralStatuses struct {
	svc      *prescribing.Service
	actor    call.Actor
	practice string
}

func (r *referralStatuses) Since(ctx context.Context, mark string, limit int) ([]Pending, string, error) {
	after, err := seqMark(mark)
	if err != nil {
		return nil, mark, err
	}
	evs, err := r.svc.Events(ctx, r.actor, prescribing.EventFilter{Practice: r.practice, After: after, Limit: limit})
	if err != nil {
		return nil, mark, fmt.Errorf("referral statuses: %w", err)
	}
	next := mark
	var out []Pending
	for _, e := range evs {
		next = seqString(e.Seq)
		status, ok := referralMoves[e.Action]
		if !ok {
			continue
		}
		out = append(out, Pending{Mark: next, Item: Item{ID: "referral_status:" + e.Subject + ":" + next, Record: Record{
			Kind: ReferralStatus, ExternalID: e.Subject, Version: e.Seq, Fields: map[string]string{"referral": e.Subject,
				"practice": e.Practice, "status": status, "at": e.At.UTC().Format(time.RFC3339)}}}})
	}
	return out, next, nil
}
