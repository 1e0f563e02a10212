package hubsrec

import "github.com/strongertogether/community/hubs"

// each converts every element of xs with f; nil stays nil.
func each[T, U any](xs []T, f func(T) U) []U {
	if xs == nil {
		return nil
	}
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// hubRecord is the stored form of x.
func hubRecord(x *hubs.Hub) Hub {
	return Hub{
		ID:          x.ID,
		Name:        x.Name,
		Ward:        x.Ward,
		PCN:         x.PCN,
		Address:     x.Address,
		Postcode:    x.Postcode,
		Lat:         x.Lat,
		Long:        x.Long,
		Opened:      x.Opened,
		Status:      x.Status,
		History:     each(x.History, func(v hubs.StatusChange) StatusChange { return StatusChange(v) }),
		Hours:       each(x.Hours, func(v hubs.Hours) Hours { return Hours(v) }),
		Partners:    x.Partners,
		Offer:       x.Offer,
		OfferAgreed: x.OfferAgreed,
		Version:     x.Version,
		CreatedAt:   x.CreatedAt,
		UpdatedAt:   x.UpdatedAt,
	}
}

// hub is the hubs.Hub r stores.
func (r Hub) hub() hubs.Hub {
	return hubs.Hub{
		ID:          r.ID,
		Name:        r.Name,
		Ward:        r.Ward,
		PCN:         r.PCN,
		Address:     r.Address,
		Postcode:    r.Postcode,
		Lat:         r.Lat,
		Long:        r.Long,
		Opened:      r.Opened,
		Status:      r.Status,
		History:     each(r.History, func(v StatusChange) hubs.StatusChange { return hubs.StatusChange(v) }),
		Hours:       each(r.Hours, func(v Hours) hubs.Hours { return hubs.Hours(v) }),
		Partners:    r.Partners,
		Offer:       r.Offer,
		OfferAgreed: r.OfferAgreed,
		Version:     r.Version,
		CreatedAt:   r.CreatedAt,
		UpdatedAt:   r.UpdatedAt,
	}
}

// volunteerRecord is the stored form of x.
func volunteerRecord(x *hubs.Volunteer) Volunteer {
	return Volunteer{
		ID:         x.ID,
		Hub:        x.Hub,
		Name:       x.Name,
		Email:      x.Email,
		Phone:      x.Phone,
		Roles:      x.Roles,
		Training:   each(x.Training, func(v hubs.Training) Training { return Training(v) }),
		Registered: x.Registered,
		Erased:     x.Erased,
		Version:    x.Version,
		CreatedAt:  x.CreatedAt,
		UpdatedAt:  x.UpdatedAt,
	}
}

// volunteer is the hubs.Volunteer r stores.
func (r Volunteer) volunteer() hubs.Volunteer {
	return hubs.Volunteer{
		ID:         r.ID,
		Hub:        r.Hub,
		Name:       r.Name,
		Email:      r.Email,
		Phone:      r.Phone,
		Roles:      r.Roles,
		Training:   each(r.Training, func(v Training) hubs.Training { return hubs.Training(v) }),
		Registered: r.Registered,
		Erased:     r.Erased,
		Version:    r.Version,
		CreatedAt:  r.CreatedAt,
		UpdatedAt:  r.UpdatedAt,
	}
}

// enterpriseRecord is the stored form of x.
func enterpriseRecord(x *hubs.Enterprise) Enterprise {
	return Enterprise{
		ID:          x.ID,
		Hub:         x.Hub,
		Name:        x.Name,
		Paid:        x.Paid,
		Unpaid:      x.Unpaid,
		Independent: x.Independent,
		Registered:  x.Registered,
		History:     each(x.History, func(v hubs.EnterpriseChange) EnterpriseChange { return EnterpriseChange(v) }),
		Version:     x.Version,
		CreatedAt:   x.CreatedAt,
	}
}

// enterprise is the hubs.Enterprise r stores.
func (r Enterprise) enterprise() hubs.Enterprise {
	return hubs.Enterprise{
		ID:          r.ID,
		Hub:         r.Hub,
		Name:        r.Name,
		Paid:        r.Paid,
		Unpaid:      r.Unpaid,
		Independent: r.Independent,
		Registered:  r.Registered,
		History:     each(r.History, func(v EnterpriseChange) hubs.EnterpriseChange { return hubs.EnterpriseChange(v) }),
		Version:     r.Version,
		CreatedAt:   r.CreatedAt,
	}
}

// listingRecord is the stored form of x.
func listingRecord(x *hubs.Listing) Listing {
	return Listing{
		ID:             x.ID,
		OrganizationID: x.OrganizationID,
		Name:           x.Name,
		Description:    x.Description,
		URL:            x.URL,
		Email:          x.Email,
		Status:         x.Status,
		MinimumAge:     x.MinimumAge,
		MaximumAge:     x.MaximumAge,
		Schedules:      each(x.Schedules, func(v hubs.Schedule) Schedule { return Schedule(v) }),
		Contacts:       each(x.Contacts, func(v hubs.Contact) Contact { return Contact(v) }),
		Costs:          each(x.Costs, func(v hubs.CostOption) CostOption { return CostOption(v) }),
		TermIDs:        x.TermIDs,
		AtLocations:    each(x.AtLocations, func(v hubs.ServiceAtLocation) ServiceAtLocation { return ServiceAtLocation(v) }),
		Version:        x.Version,
		UpdatedAt:      x.UpdatedAt,
	}
}

// listing is the hubs.Listing r stores.
func (r Listing) listing() hubs.Listing {
	return hubs.Listing{
		ID:             r.ID,
		OrganizationID: r.OrganizationID,
		Name:           r.Name,
		Description:    r.Description,
		URL:            r.URL,
		Email:          r.Email,
		Status:         r.Status,
		MinimumAge:     r.MinimumAge,
		MaximumAge:     r.MaximumAge,
		Schedules:      each(r.Schedules, func(v Schedule) hubs.Schedule { return hubs.Schedule(v) }),
		Contacts:       each(r.Contacts, func(v Contact) hubs.Contact { return hubs.Contact(v) }),
		Costs:          each(r.Costs, func(v CostOption) hubs.CostOption { return hubs.CostOption(v) }),
		TermIDs:        r.TermIDs,
		AtLocations:    each(r.AtLocations, func(v ServiceAtLocation) hubs.ServiceAtLocation { return hubs.ServiceAtLocation(v) }),
		Version:        r.Version,
		UpdatedAt:      r.UpdatedAt,
	}
}
