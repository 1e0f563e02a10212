package dementiarec

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/strongertogether/community/dementia"
)

// Rows turns a batch into the rows a store writes, in the batch's order.
// It refuses nil records, records without an id and versions below 1.
func Rows(b *dementia.Batch) ([]Row, error) {
	var rows []Row
	add := func(kind, id, parent string, on time.Time, version int64, rec any) error {
		if id == "" {
			return &dementia.FieldError{Field: "ID", Reason: kind + " id is required"}
		}
		if version < 1 {
			return &dementia.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s: version must be at least 1, got %d", kind, id, version)}
		}
		body, err := encode(kind, rec)
		if err != nil {
			return err
		}
		rows = append(rows, Row{Kind: kind, ID: id, Parent: parent, On: Micros(on), Version: version, Body: body})
		return nil
	}
	nilRec := func(kind string) error { return &dementia.FieldError{Field: "Batch", Reason: "holds a nil " + kind} }
	for _, x := range b.Staff {
		if x == nil {
			return nil, nilRec(KindStaff)
		}
		if err := add(KindStaff, x.ID, "", time.Time{}, x.Version, Staff{x.ID, slices.Clone(x.Roles), x.Active, x.Version, x.CreatedAt, x.UpdatedAt}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Members {
		if x == nil {
			return nil, nilRec(KindMember)
		}
		if err := add(KindMember, x.ID, "", x.Joined, x.Version, FromMember(x)); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Actions {
		if x == nil {
			return nil, nilRec(KindAction)
		}
		if err := add(KindAction, x.ID, x.Member, x.Due, x.Version, FromAction(x)); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Meetings {
		if x == nil {
			return nil, nilRec(KindMeeting)
		}
		if err := add(KindMeeting, x.ID, "", x.On, x.Version, Meeting{x.ID, x.On, x.Title, slices.Clone(x.Attended), x.Version, x.CreatedAt}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Communities {
		if x == nil {
			return nil, nilRec(KindCommunity)
		}
		if err := add(KindCommunity, x.ID, "", x.Registered, x.Version, FromCommunity(x)); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Champions {
		if x == nil {
			return nil, nilRec(KindChampion)
		}
		if err := add(KindChampion, x.ID, "", x.Trained, x.Version, Champion{x.ID, x.Name, x.Trained, x.Erased, x.Version, x.CreatedAt}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Friends {
		if x == nil {
			return nil, nilRec(KindFriends)
		}
		if err := add(KindFriends, x.ID, "", x.On, x.Version, Friends{x.ID, x.On, x.Source, x.Champion, x.Count, x.Version, x.CreatedAt}); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Prevalence {
		if x == nil {
			return nil, nilRec(KindPrevalence)
		}
		p := Prevalence{ID: x.ID, Source: x.Source, Rates: []Rate{}, Version: x.Version, CreatedAt: x.CreatedAt}
		for _, r := range x.Rates {
			p.Rates = append(p.Rates, Rate{r.Band, r.Sex, r.Rate})
		}
		if err := add(KindPrevalence, x.ID, "", time.Time{}, x.Version, p); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Registers {
		if x == nil {
			return nil, nilRec(KindRegister)
		}
		r := Register{ID: x.ID, Practice: x.Practice, PCN: x.PCN, On: x.On, Diagnosed: x.Diagnosed, Version: x.Version, CreatedAt: x.CreatedAt}
		for _, c := range x.Population {
			r.Population = append(r.Population, BandCount{c.Band, c.Sex, c.Count})
		}
		if err := add(KindRegister, x.ID, "", x.On, x.Version, r); err != nil {
			return nil, err
		}
	}
	for _, x := range b.Reviews {
		if x == nil {
			return nil, nilRec(KindReview)
		}
		a := x.Adjustments
		r := Review{x.ID, x.Practice, x.PCN, x.Year, x.Numerator, x.Register, Adjustments{a.Unsuitable, a.Dissent, a.NoResponse, a.Unavailable, a.New}, x.Version, x.CreatedAt}
		if err := add(KindReview, x.ID, x.Year, time.Time{}, x.Version, r); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// FromMember returns m's stored form.
func FromMember(m *dementia.Member) Member {
	return Member{m.ID, m.Name, m.Sector, slices.Clone(m.Areas), slices.Clone(m.Wards), m.Contact.Name, m.Contact.Email, m.Contact.Phone, m.Joined, slices.Clone(m.Assessed), m.Erased, m.Version, m.CreatedAt, m.UpdatedAt}
}

// FromAction returns a's stored form.
func FromAction(a *dementia.Action) Action {
	r := Action{ID: a.ID, Member: a.Member, Title: a.Title, Owner: a.Owner, Due: a.Due, Status: a.Status, Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	for _, p := range a.Progress {
		r.Progress = append(r.Progress, Progress{p.On, p.Status, p.Note, p.By})
	}
	return r
}

// FromCommunity returns c's stored form.
func FromCommunity(c *dementia.Community) Community {
	r := Community{ID: c.ID, Name: c.Name, Registered: c.Registered, Updates: slices.Clone(c.Updates), Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	for _, s := range c.Criteria {
		r.Criteria = append(r.Criteria, Criterion{s.Criterion, s.Met, s.Evidence, s.On})
	}
	for _, a := range c.Assessments {
		r.Assessments = append(r.Assessments, Assessment{a.On, maps.Clone(a.Scores)})
	}
	return r
}

// DecodeStaff decodes a stored member of staff.
func DecodeStaff(data []byte) (*dementia.Staff, error) {
	var r Staff
	if err := decode(KindStaff, data, &r); err != nil {
		return nil, err
	}
	return &dementia.Staff{ID: r.ID, Roles: r.Roles, Active: r.Active, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}, nil
}

// DecodeMember decodes a stored member.
func DecodeMember(data []byte) (*dementia.Member, error) {
	var r Member
	if err := decode(KindMember, data, &r); err != nil {
		return nil, err
	}
	return &dementia.Member{ID: r.ID, Name: r.Name, Sector: r.Sector, Areas: r.Areas, Wards: r.Wards,
		Contact: dementia.Contact{Name: r.ContactName, Email: r.ContactEmail, Phone: r.ContactPhone},
		Joined:  r.Joined, Assessed: r.Assessed, Erased: r.Erased, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}, nil
}

// DecodeAction decodes a stored action.
func DecodeAction(data []byte) (*dementia.Action, error) {
	var r Action
	if err := decode(KindAction, data, &r); err != nil {
		return nil, err
	}
	a := &dementia.Action{ID: r.ID, Member: r.Member, Title: r.Title, Owner: r.Owner, Due: r.Due, Status: r.Status, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, p := range r.Progress {
		a.Progress = append(a.Progress, dementia.Progress{On: p.On, Status: p.Status, Note: p.Note, By: p.By})
	}
	return a, nil
}

// DecodeMeeting decodes a stored meeting.
func DecodeMeeting(data []byte) (*dementia.Meeting, error) {
	var r Meeting
	if err := decode(KindMeeting, data, &r); err != nil {
		return nil, err
	}
	return &dementia.Meeting{ID: r.ID, On: r.On, Title: r.Title, Attended: r.Attended, Version: r.Version, CreatedAt: r.CreatedAt}, nil
}

// DecodeCommunity decodes a stored community.
func DecodeCommunity(data []byte) (*dementia.Community, error) {
	var r Community
	if err := decode(KindCommunity, data, &r); err != nil {
		return nil, err
	}
	c := &dementia.Community{ID: r.ID, Name: r.Name, Registered: r.Registered, Updates: r.Updates, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, s := range r.Criteria {
		c.Criteria = append(c.Criteria, dementia.CriterionState{Criterion: s.Criterion, Met: s.Met, Evidence: s.Evidence, On: s.On})
	}
	for _, a := range r.Assessments {
		c.Assessments = append(c.Assessments, dementia.Assessment{On: a.On, Scores: a.Scores})
	}
	return c, nil
}

// DecodeChampion decodes a stored Champion.
func DecodeChampion(data []byte) (*dementia.Champion, error) {
	var r Champion
	if err := decode(KindChampion, data, &r); err != nil {
		return nil, err
	}
	return &dementia.Champion{ID: r.ID, Name: r.Name, Trained: r.Trained, Erased: r.Erased, Version: r.Version, CreatedAt: r.CreatedAt}, nil
}

// DecodeFriends decodes a stored count of Dementia Friends.
func DecodeFriends(data []byte) (*dementia.Friends, error) {
	var r Friends
	if err := decode(KindFriends, data, &r); err != nil {
		return nil, err
	}
	return &dementia.Friends{ID: r.ID, On: r.On, Source: r.Source, Champion: r.Champion, Count: r.Count, Version: r.Version, CreatedAt: r.CreatedAt}, nil
}

// DecodePrevalence decodes a stored prevalence table.
func DecodePrevalence(data []byte) (*dementia.Prevalence, error) {
	var r Prevalence
	if err := decode(KindPrevalence, data, &r); err != nil {
		return nil, err
	}
	p := &dementia.Prevalence{ID: r.ID, Source: r.Source, Version: r.Version, CreatedAt: r.CreatedAt}
	for _, x := range r.Rates {
		p.Rates = append(p.Rates, dementia.Rate{Band: x.Band, Sex: x.Sex, Rate: x.Rate})
	}
	return p, nil
}

// DecodeRegister decodes a stored register.
func DecodeRegister(data []byte) (*dementia.Register, error) {
	var r Register
	if err := decode(KindRegister, data, &r); err != nil {
		return nil, err
	}
	g := &dementia.Register{ID: r.ID, Practice: r.Practice, PCN: r.PCN, On: r.On, Diagnosed: r.Diagnosed, Version: r.Version, CreatedAt: r.CreatedAt}
	for _, c := range r.Population {
		g.Population = append(g.Population, dementia.BandCount{Band: c.Band, Sex: c.Sex, Count: c.Count})
	}
	return g, nil
}

// DecodeReview decodes stored care-plan review counts.
func DecodeReview(data []byte) (*dementia.Review, error) {
	var r Review
	if err := decode(KindReview, data, &r); err != nil {
		return nil, err
	}
	a := r.Adjustments
	return &dementia.Review{ID: r.ID, Practice: r.Practice, PCN: r.PCN, Year: r.Year, Numerator: r.Numerator, Register: r.Register,
		Adjustments: dementia.Adjustments{Unsuitable: a.Unsuitable, Dissent: a.Dissent, NoResponse: a.NoResponse, Unavailable: a.Unavailable, New: a.New},
		Version:     r.Version, CreatedAt: r.CreatedAt}, nil
}
