package postgres

import (
	"context"

	"github.com/strongertogether/community/adapters/internal/hubsrec"
	"github.com/strongertogether/community/hubs"
)

// Staff returns a member of staff.
func (s *HubsStore) Staff(ctx context.Context, id string) (*hubs.Staff, error) {
	return hubOne(ctx, s, hubsrec.KindStaff, id, hubsrec.DecodeStaff)
}

// StaffList returns every member of staff.
func (s *HubsStore) StaffList(ctx context.Context) ([]*hubs.Staff, error) {
	return hubAll(ctx, s, hubsrec.KindStaff, hubsrec.DecodeStaff)
}

// Hub returns a hub.
func (s *HubsStore) Hub(ctx context.Context, id string) (*hubs.Hub, error) {
	return hubOne(ctx, s, hubsrec.KindHub, id, hubsrec.DecodeHub)
}

// Hubs returns every hub.
func (s *HubsStore) Hubs(ctx context.Context) ([]*hubs.Hub, error) {
	return hubAll(ctx, s, hubsrec.KindHub, hubsrec.DecodeHub)
}

// Volunteer returns a volunteer.
func (s *HubsStore) Volunteer(ctx context.Context, id string) (*hubs.Volunteer, error) {
	return hubOne(ctx, s, hubsrec.KindVolunteer, id, hubsrec.DecodeVolunteer)
}

// Volunteers returns the volunteers registered in the span.
func (s *HubsStore) Volunteers(ctx context.Context, sp hubs.Span) ([]*hubs.Volunteer, error) {
	return hubInSpan(ctx, s, hubsrec.KindVolunteer, sp, hubsrec.DecodeVolunteer)
}

// Session returns a session.
func (s *HubsStore) Session(ctx context.Context, id string) (*hubs.Session, error) {
	return hubOne(ctx, s, hubsrec.KindSession, id, hubsrec.DecodeSession)
}

// Sessions returns the sessions in the span.
func (s *HubsStore) Sessions(ctx context.Context, sp hubs.Span) ([]*hubs.Session, error) {
	return hubInSpan(ctx, s, hubsrec.KindSession, sp, hubsrec.DecodeSession)
}

// Visits returns the visit counts in the span.
func (s *HubsStore) Visits(ctx context.Context, sp hubs.Span) ([]*hubs.Visit, error) {
	return hubInSpan(ctx, s, hubsrec.KindVisit, sp, hubsrec.DecodeVisit)
}

// Baseline returns a baseline.
func (s *HubsStore) Baseline(ctx context.Context, id string) (*hubs.Baseline, error) {
	return hubOne(ctx, s, hubsrec.KindBaseline, id, hubsrec.DecodeBaseline)
}

// Baselines returns a hub's baselines.
func (s *HubsStore) Baselines(ctx context.Context, hub string) ([]*hubs.Baseline, error) {
	return hubOfHub(ctx, s, hubsrec.KindBaseline, hub, hubsrec.DecodeBaseline)
}

// Group returns a group.
func (s *HubsStore) Group(ctx context.Context, id string) (*hubs.Group, error) {
	return hubOne(ctx, s, hubsrec.KindGroup, id, hubsrec.DecodeGroup)
}

// Groups returns a hub's groups.
func (s *HubsStore) Groups(ctx context.Context, hub string) ([]*hubs.Group, error) {
	return hubOfHub(ctx, s, hubsrec.KindGroup, hub, hubsrec.DecodeGroup)
}

// Event returns an event.
func (s *HubsStore) Event(ctx context.Context, id string) (*hubs.Event, error) {
	return hubOne(ctx, s, hubsrec.KindEvent, id, hubsrec.DecodeEvent)
}

// Events returns the events in the span.
func (s *HubsStore) Events(ctx context.Context, sp hubs.Span) ([]*hubs.Event, error) {
	return hubInSpan(ctx, s, hubsrec.KindEvent, sp, hubsrec.DecodeEvent)
}

// Room returns a room.
func (s *HubsStore) Room(ctx context.Context, id string) (*hubs.Room, error) {
	return hubOne(ctx, s, hubsrec.KindRoom, id, hubsrec.DecodeRoom)
}

// Rooms returns a hub's rooms.
func (s *HubsStore) Rooms(ctx context.Context, hub string) ([]*hubs.Room, error) {
	return hubOfHub(ctx, s, hubsrec.KindRoom, hub, hubsrec.DecodeRoom)
}

// Surgery returns a surgery.
func (s *HubsStore) Surgery(ctx context.Context, id string) (*hubs.Surgery, error) {
	return hubOne(ctx, s, hubsrec.KindSurgery, id, hubsrec.DecodeSurgery)
}

// Surgeries returns the surgeries starting in the span.
func (s *HubsStore) Surgeries(ctx context.Context, sp hubs.Span) ([]*hubs.Surgery, error) {
	return hubInSpan(ctx, s, hubsrec.KindSurgery, sp, hubsrec.DecodeSurgery)
}

// RoomSurgeries returns a room's surgeries.
func (s *HubsStore) RoomSurgeries(ctx context.Context, room string) ([]*hubs.Surgery, error) {
	return hubOfParent(ctx, s, hubsrec.KindSurgery, room, hubsrec.DecodeSurgery)
}

// Booking returns a booking.
func (s *HubsStore) Booking(ctx context.Context, id string) (*hubs.Booking, error) {
	return hubOne(ctx, s, hubsrec.KindBooking, id, hubsrec.DecodeBooking)
}

// Bookings returns a surgery's bookings.
func (s *HubsStore) Bookings(ctx context.Context, surgery string) ([]*hubs.Booking, error) {
	return hubOfParent(ctx, s, hubsrec.KindBooking, surgery, hubsrec.DecodeBooking)
}

// Waiting returns a waiting-list entry.
func (s *HubsStore) Waiting(ctx context.Context, id string) (*hubs.Waiting, error) {
	return hubOne(ctx, s, hubsrec.KindWaiting, id, hubsrec.DecodeWaiting)
}

// WaitingList returns a surgery's waiting list.
func (s *HubsStore) WaitingList(ctx context.Context, surgery string) ([]*hubs.Waiting, error) {
	return hubOfParent(ctx, s, hubsrec.KindWaiting, surgery, hubsrec.DecodeWaiting)
}

// Placement returns a placement.
func (s *HubsStore) Placement(ctx context.Context, id string) (*hubs.Placement, error) {
	return hubOne(ctx, s, hubsrec.KindPlacement, id, hubsrec.DecodePlacement)
}

// Placements returns every placement.
func (s *HubsStore) Placements(ctx context.Context) ([]*hubs.Placement, error) {
	return hubAll(ctx, s, hubsrec.KindPlacement, hubsrec.DecodePlacement)
}

// Enterprise returns an enterprise.
func (s *HubsStore) Enterprise(ctx context.Context, id string) (*hubs.Enterprise, error) {
	return hubOne(ctx, s, hubsrec.KindEnterprise, id, hubsrec.DecodeEnterprise)
}

// Enterprises returns every enterprise.
func (s *HubsStore) Enterprises(ctx context.Context) ([]*hubs.Enterprise, error) {
	return hubAll(ctx, s, hubsrec.KindEnterprise, hubsrec.DecodeEnterprise)
}

// WorkOutcome returns an outcome.
func (s *HubsStore) WorkOutcome(ctx context.Context, id string) (*hubs.WorkOutcome, error) {
	return hubOne(ctx, s, hubsrec.KindWorkOutcome, id, hubsrec.DecodeWorkOutcome)
}

// WorkOutcomes returns the outcomes in the span.
func (s *HubsStore) WorkOutcomes(ctx context.Context, sp hubs.Span) ([]*hubs.WorkOutcome, error) {
	return hubInSpan(ctx, s, hubsrec.KindWorkOutcome, sp, hubsrec.DecodeWorkOutcome)
}

// Organization returns an organisation.
func (s *HubsStore) Organization(ctx context.Context, id string) (*hubs.Organization, error) {
	return hubOne(ctx, s, hubsrec.KindOrganization, id, hubsrec.DecodeOrganization)
}

// Organizations returns every organisation.
func (s *HubsStore) Organizations(ctx context.Context) ([]*hubs.Organization, error) {
	return hubAll(ctx, s, hubsrec.KindOrganization, hubsrec.DecodeOrganization)
}

// Listing returns a listing.
func (s *HubsStore) Listing(ctx context.Context, id string) (*hubs.Listing, error) {
	return hubOne(ctx, s, hubsrec.KindListing, id, hubsrec.DecodeListing)
}

// Location returns a location.
func (s *HubsStore) Location(ctx context.Context, id string) (*hubs.Location, error) {
	return hubOne(ctx, s, hubsrec.KindLocation, id, hubsrec.DecodeLocation)
}

// Locations returns every location.
func (s *HubsStore) Locations(ctx context.Context) ([]*hubs.Location, error) {
	return hubAll(ctx, s, hubsrec.KindLocation, hubsrec.DecodeLocation)
}

// Term returns a taxonomy term.
func (s *HubsStore) Term(ctx context.Context, id string) (*hubs.TaxonomyTerm, error) {
	return hubOne(ctx, s, hubsrec.KindTaxonomyTerm, id, hubsrec.DecodeTaxonomyTerm)
}

// Terms returns every taxonomy term.
func (s *HubsStore) Terms(ctx context.Context) ([]*hubs.TaxonomyTerm, error) {
	return hubAll(ctx, s, hubsrec.KindTaxonomyTerm, hubsrec.DecodeTaxonomyTerm)
}

// Postcode returns a postcode's centroid.
func (s *HubsStore) Postcode(ctx context.Context, id string) (*hubs.Postcode, error) {
	return hubOne(ctx, s, hubsrec.KindPostcode, id, hubsrec.DecodePostcode)
}
