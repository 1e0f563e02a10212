// Package record holds the plain Go values of the CRM plugin protocol
// (v1): the records, batches and descriptions the host and plugin authors
// see, the protocol's size limits, and Protocol, the protocol as one Go
// interface. adapters/crm and adapters/crm/sdk re-export them.
package record

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Size limits on what a plugin may send; a message or batch over them is
// refused as garbage.
const (
	MaxBatch      = 1000    // records per batch
	MaxFields     = 64      // fields per record
	MaxFieldBytes = 4096    // bytes per field value
	MaxIDBytes    = 256     // bytes of an external id or push id
	MaxCursor     = 4096    // bytes of a cursor
	MaxMessage    = 8 << 20 // bytes of one gRPC message
)

// Kind is the kind of a record.
type Kind string

// The kinds of record protocol v1 carries.
const (
	Person           Kind = "person"
	Organisation     Kind = "organisation"
	Volunteer        Kind = "volunteer"
	VolunteerSession Kind = "volunteer_session"
	HubVisit         Kind = "hub_visit"
	HubEvent         Kind = "hub_event"
	GrantApplication Kind = "grant_application"
	Referral         Kind = "referral"
	GrantAward       Kind = "grant_award"
	ReferralStatus   Kind = "referral_status"
	MemberJoined     Kind = "member_joined"
)

// Kinds returns every kind protocol v1 carries, in its wire order.
func Kinds() []Kind {
	return []Kind{Person, Organisation, Volunteer, VolunteerSession, HubVisit, HubEvent, GrantApplication, Referral, GrantAward, ReferralStatus, MemberJoined}
}

func known(k Kind) bool {
	for _, x := range Kinds() {
		if x == k {
			return true
		}
	}
	return false
}

// Capability is something a plugin can do.
type Capability string

// The capabilities of protocol v1.
const (
	CanPull Capability = "pull"
	CanPush Capability = "push"
)

// Description is what Describe returns.
type Description struct {
	Name         string
	Version      string
	Kinds        []Kind
	Capabilities []Capability
}

// Record is one CRM record. ExternalID is the CRM's id; Version increases
// when the CRM changes the record. Fields are named per kind.
type Record struct {
	Kind       Kind
	ExternalID string
	Version    int64
	Fields     map[string]string
}

// Batch is one batch of a pull, with the cursor that resumes after it.
type Batch struct {
	Records []Record
	Cursor  string
}

// PullRequest asks for the records of Kinds changed since Cursor.
type PullRequest struct {
	Cursor    string
	Kinds     []Kind
	BatchSize int
}

// Item is one record or event pushed to the CRM, under an id the plugin
// applies once.
type Item struct {
	ID     string
	Record Record
}

// Result is the outcome of one pushed item.
type Result struct {
	ID        string
	OK        bool
	Duplicate bool
	Error     string
}

// Protocol is protocol v1 as one Go interface: the plugin side implements it,
// the host side's gRPC client satisfies it.
type Protocol interface {
	Describe(ctx context.Context) (Description, error)
	Pull(ctx context.Context, req PullRequest, send func(Batch) error) error
	Push(ctx context.Context, items []Item) ([]Result, error)
}

// Check reports whether r is within the protocol's limits. Its error
// names the record (kind and external id, quoted and cut short) and the
// one limit it breaks.
func Check(r Record) error {
	switch {
	case r.ExternalID == "":
		return fmt.Errorf("record %s: the external id is empty", r.Kind)
	case !utf8.ValidString(r.ExternalID):
		return fmt.Errorf("record %s: the external id is not UTF-8", r.Kind)
	case len(r.ExternalID) > MaxIDBytes:
		return fmt.Errorf("record %s %.40q…: the external id has %d bytes, over %d", r.Kind, r.ExternalID, len(r.ExternalID), MaxIDBytes)
	}
	name := fmt.Sprintf("record %s %.60q", r.Kind, r.ExternalID)
	if !known(r.Kind) {
		return fmt.Errorf("record %.60q: kind %q is unknown", r.ExternalID, r.Kind)
	}
	if r.Version < 1 {
		return fmt.Errorf("%s: version %d; versions start at 1", name, r.Version)
	}
	if len(r.Fields) > MaxFields {
		return fmt.Errorf("%s: %d fields, over %d", name, len(r.Fields), MaxFields)
	}
	for k, v := range r.Fields {
		switch {
		case len(k) > MaxIDBytes:
			return fmt.Errorf("%s: a field name has %d bytes, over %d", name, len(k), MaxIDBytes)
		case !utf8.ValidString(k):
			return fmt.Errorf("%s: a field name is not UTF-8", name)
		case len(v) > MaxFieldBytes:
			return fmt.Errorf("%s: field %.40q has %d bytes, over %d", name, k, len(v), MaxFieldBytes)
		case !utf8.ValidString(v):
			return fmt.Errorf("%s: field %.40q is not UTF-8", name, k)
		}
	}
	return nil
}

// ErrBadCursor is what a plugin returns (wrapped) for a cursor it did not
// make; it reaches the host as codes.InvalidArgument.
var ErrBadCursor = errors.New("bad cursor")
