package hubsrec

import "github.com/strongertogether/community/hubs"

// Kinds of record.
const (
	KindStaff        = "staff"
	KindHub          = "hub"
	KindVolunteer    = "volunteer"
	KindSession      = "session"
	KindVisit        = "visit"
	KindBaseline     = "baseline"
	KindGroup        = "group"
	KindEvent        = "event"
	KindRoom         = "room"
	KindSurgery      = "surgery"
	KindBooking      = "booking"
	KindWaiting      = "waiting"
	KindPlacement    = "placement"
	KindEnterprise   = "enterprise"
	KindWorkOutcome  = "outcome"
	KindOrganization = "organization"
	KindListing      = "listing"
	KindLocation     = "location"
	KindTaxonomyTerm = "term"
	KindPostcode     = "postcode"
)

// Rows flattens b into the rows a store writes, in a fixed order.
func Rows(b *hubs.Batch) ([]Row, error) {
	var rows []Row
	for _, x := range b.Staff {
		if x == nil {
			return nil, nilRecord("Staff")
		}
		body, err := encode(KindStaff, Staff(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindStaff, ID: x.ID, Hub: "", Parent: "", On: 0, Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Hubs {
		if x == nil {
			return nil, nilRecord("Hubs")
		}
		body, err := encode(KindHub, hubRecord(x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindHub, ID: x.ID, Hub: "", Parent: "", On: 0, Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Volunteers {
		if x == nil {
			return nil, nilRecord("Volunteers")
		}
		body, err := encode(KindVolunteer, volunteerRecord(x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindVolunteer, ID: x.ID, Hub: x.Hub, Parent: "", On: micros(x.Registered), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Sessions {
		if x == nil {
			return nil, nilRecord("Sessions")
		}
		body, err := encode(KindSession, Session(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindSession, ID: x.ID, Hub: x.Hub, Parent: x.Volunteer, On: micros(x.On), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Visits {
		if x == nil {
			return nil, nilRecord("Visits")
		}
		body, err := encode(KindVisit, Visit(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindVisit, ID: x.ID, Hub: x.Hub, Parent: "", On: micros(x.On), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Baselines {
		if x == nil {
			return nil, nilRecord("Baselines")
		}
		body, err := encode(KindBaseline, Baseline(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindBaseline, ID: x.ID, Hub: x.Hub, Parent: "", On: micros(x.From), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Groups {
		if x == nil {
			return nil, nilRecord("Groups")
		}
		body, err := encode(KindGroup, Group(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindGroup, ID: x.ID, Hub: x.Hub, Parent: "", On: micros(x.Since), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Events {
		if x == nil {
			return nil, nilRecord("Events")
		}
		body, err := encode(KindEvent, Event(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindEvent, ID: x.ID, Hub: x.Hub, Parent: "", On: micros(x.On), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Rooms {
		if x == nil {
			return nil, nilRecord("Rooms")
		}
		body, err := encode(KindRoom, Room(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindRoom, ID: x.ID, Hub: x.Hub, Parent: "", On: 0, Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Surgeries {
		if x == nil {
			return nil, nilRecord("Surgeries")
		}
		body, err := encode(KindSurgery, Surgery(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindSurgery, ID: x.ID, Hub: x.Hub, Parent: x.Room, On: micros(x.Starts), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Bookings {
		if x == nil {
			return nil, nilRecord("Bookings")
		}
		body, err := encode(KindBooking, Booking(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindBooking, ID: x.ID, Hub: x.Hub, Parent: x.Surgery, On: micros(x.CreatedAt), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Waiting {
		if x == nil {
			return nil, nilRecord("Waiting")
		}
		body, err := encode(KindWaiting, Waiting(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindWaiting, ID: x.ID, Hub: x.Hub, Parent: x.Surgery, On: micros(x.CreatedAt), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Placements {
		if x == nil {
			return nil, nilRecord("Placements")
		}
		body, err := encode(KindPlacement, Placement(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindPlacement, ID: x.ID, Hub: x.Hub, Parent: "", On: micros(x.Offered), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Enterprises {
		if x == nil {
			return nil, nilRecord("Enterprises")
		}
		body, err := encode(KindEnterprise, enterpriseRecord(x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindEnterprise, ID: x.ID, Hub: x.Hub, Parent: "", On: 0, Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.WorkOutcomes {
		if x == nil {
			return nil, nilRecord("WorkOutcomes")
		}
		body, err := encode(KindWorkOutcome, WorkOutcome(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindWorkOutcome, ID: x.ID, Hub: x.Hub, Parent: x.Volunteer, On: micros(x.On), Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Organizations {
		if x == nil {
			return nil, nilRecord("Organizations")
		}
		body, err := encode(KindOrganization, Organization(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindOrganization, ID: x.ID, Hub: "", Parent: "", On: 0, Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Listings {
		if x == nil {
			return nil, nilRecord("Listings")
		}
		body, err := encode(KindListing, listingRecord(x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindListing, ID: x.ID, Hub: "", Parent: x.OrganizationID, On: 0, Version: x.Version, Body: body}
		row.Text, row.Terms = ListingText(x), x.TermIDs
		rows = append(rows, row)
	}
	for _, x := range b.Locations {
		if x == nil {
			return nil, nilRecord("Locations")
		}
		body, err := encode(KindLocation, Location(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindLocation, ID: x.ID, Hub: x.Hub, Parent: "", On: 0, Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Terms {
		if x == nil {
			return nil, nilRecord("Terms")
		}
		body, err := encode(KindTaxonomyTerm, TaxonomyTerm(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindTaxonomyTerm, ID: x.ID, Hub: "", Parent: x.ParentID, On: 0, Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	for _, x := range b.Postcodes {
		if x == nil {
			return nil, nilRecord("Postcodes")
		}
		body, err := encode(KindPostcode, Postcode(*x))
		if err != nil {
			return nil, err
		}
		row := Row{Kind: KindPostcode, ID: x.ID, Hub: "", Parent: "", On: 0, Version: x.Version, Body: body}
		rows = append(rows, row)
	}
	return rows, checkRows(rows)
}

// DecodeStaff reads a stored hubs.Staff.
func DecodeStaff(body []byte) (*hubs.Staff, error) {
	var rec Staff
	if err := decode(KindStaff, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Staff(rec)
	return &x, nil
}

// DecodeHub reads a stored hubs.Hub.
func DecodeHub(body []byte) (*hubs.Hub, error) {
	var rec Hub
	if err := decode(KindHub, body, &rec); err != nil {
		return nil, err
	}
	x := rec.hub()
	return &x, nil
}

// DecodeVolunteer reads a stored hubs.Volunteer.
func DecodeVolunteer(body []byte) (*hubs.Volunteer, error) {
	var rec Volunteer
	if err := decode(KindVolunteer, body, &rec); err != nil {
		return nil, err
	}
	x := rec.volunteer()
	return &x, nil
}

// DecodeSession reads a stored hubs.Session.
func DecodeSession(body []byte) (*hubs.Session, error) {
	var rec Session
	if err := decode(KindSession, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Session(rec)
	return &x, nil
}

// DecodeVisit reads a stored hubs.Visit.
func DecodeVisit(body []byte) (*hubs.Visit, error) {
	var rec Visit
	if err := decode(KindVisit, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Visit(rec)
	return &x, nil
}

// DecodeBaseline reads a stored hubs.Baseline.
func DecodeBaseline(body []byte) (*hubs.Baseline, error) {
	var rec Baseline
	if err := decode(KindBaseline, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Baseline(rec)
	return &x, nil
}

// DecodeGroup reads a stored hubs.Group.
func DecodeGroup(body []byte) (*hubs.Group, error) {
	var rec Group
	if err := decode(KindGroup, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Group(rec)
	return &x, nil
}

// DecodeEvent reads a stored hubs.Event.
func DecodeEvent(body []byte) (*hubs.Event, error) {
	var rec Event
	if err := decode(KindEvent, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Event(rec)
	return &x, nil
}

// DecodeRoom reads a stored hubs.Room.
func DecodeRoom(body []byte) (*hubs.Room, error) {
	var rec Room
	if err := decode(KindRoom, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Room(rec)
	return &x, nil
}

// DecodeSurgery reads a stored hubs.Surgery.
func DecodeSurgery(body []byte) (*hubs.Surgery, error) {
	var rec Surgery
	if err := decode(KindSurgery, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Surgery(rec)
	return &x, nil
}

// DecodeBooking reads a stored hubs.Booking.
func DecodeBooking(body []byte) (*hubs.Booking, error) {
	var rec Booking
	if err := decode(KindBooking, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Booking(rec)
	return &x, nil
}

// DecodeWaiting reads a stored hubs.Waiting.
func DecodeWaiting(body []byte) (*hubs.Waiting, error) {
	var rec Waiting
	if err := decode(KindWaiting, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Waiting(rec)
	return &x, nil
}

// DecodePlacement reads a stored hubs.Placement.
func DecodePlacement(body []byte) (*hubs.Placement, error) {
	var rec Placement
	if err := decode(KindPlacement, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Placement(rec)
	return &x, nil
}

// DecodeEnterprise reads a stored hubs.Enterprise.
func DecodeEnterprise(body []byte) (*hubs.Enterprise, error) {
	var rec Enterprise
	if err := decode(KindEnterprise, body, &rec); err != nil {
		return nil, err
	}
	x := rec.enterprise()
	return &x, nil
}

// DecodeWorkOutcome reads a stored hubs.WorkOutcome.
func DecodeWorkOutcome(body []byte) (*hubs.WorkOutcome, error) {
	var rec WorkOutcome
	if err := decode(KindWorkOutcome, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.WorkOutcome(rec)
	return &x, nil
}

// DecodeOrganization reads a stored hubs.Organization.
func DecodeOrganization(body []byte) (*hubs.Organization, error) {
	var rec Organization
	if err := decode(KindOrganization, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Organization(rec)
	return &x, nil
}

// DecodeListing reads a stored hubs.Listing.
func DecodeListing(body []byte) (*hubs.Listing, error) {
	var rec Listing
	if err := decode(KindListing, body, &rec); err != nil {
		return nil, err
	}
	x := rec.listing()
	return &x, nil
}

// DecodeLocation reads a stored hubs.Location.
func DecodeLocation(body []byte) (*hubs.Location, error) {
	var rec Location
	if err := decode(KindLocation, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Location(rec)
	return &x, nil
}

// DecodeTaxonomyTerm reads a stored hubs.TaxonomyTerm.
func DecodeTaxonomyTerm(body []byte) (*hubs.TaxonomyTerm, error) {
	var rec TaxonomyTerm
	if err := decode(KindTaxonomyTerm, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.TaxonomyTerm(rec)
	return &x, nil
}

// DecodePostcode reads a stored hubs.Postcode.
func DecodePostcode(body []byte) (*hubs.Postcode, error) {
	var rec Postcode
	if err := decode(KindPostcode, body, &rec); err != nil {
		return nil, err
	}
	x := hubs.Postcode(rec)
	return &x, nil
}
