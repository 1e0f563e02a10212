package borough

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/dementia"
)

// DementiaWorld is Thurrock's dementia work, built through a
// dementia.Service over a store, with a clock the generators move.
type DementiaWorld struct {
	Service *dementia.Service
	// Admin, Coordinator and Recorder are the staff who build it.
	Admin, Coordinator, Recorder call.Actor
	// PrevalenceID is the id of the synthetic prevalence table the world
	// loads.
	PrevalenceID string

	mu  sync.Mutex
	now time.Time
	n   int
	rng *rand.Rand
}

// Clock returns the world's time.
func (w *DementiaWorld) Clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// SetClock moves the world's time.
func (w *DementiaWorld) SetClock(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = t.UTC()
}

func (w *DementiaWorld) key(a call.Actor) call.Write {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n++
	return a.Key(fmt.Sprintf("borough-%d", w.n))
}

// NewDementiaWorld makes a Service over store (which must be empty), with
// opts after the world's clock, and appoints its staff. seed makes the
// generated data repeatable.
func NewDementiaWorld(ctx context.Context, store dementia.Store, seed uint64, opts ...dementia.Option) (*DementiaWorld, error) {
	w := &DementiaWorld{Admin: call.As("dem-admin"), Coordinator: call.As("dem-coord"), Recorder: call.As("dem-rec"),
		PrevalenceID: "synthetic-65plus", now: date(2016, 1, 4).Add(9 * time.Hour), rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	w.Service = dementia.NewService(store, append([]dementia.Option{dementia.WithClock(w.Clock)}, opts...)...)
	if err := w.Service.Bootstrap(ctx, w.Admin); err != nil {
		return nil, err
	}
	if _, err := w.Service.Grant(ctx, w.key(w.Admin), w.Coordinator.ID, dementia.RoleCoordinator); err != nil {
		return nil, err
	}
	if _, err := w.Service.Grant(ctx, w.key(w.Admin), w.Recorder.ID, dementia.RoleRecorder); err != nil {
		return nil, err
	}
	return w, nil
}

// SyntheticPrevalence returns a made-up prevalence table by five-year
// band and sex, shaped like published tables (rising with age, higher for
// women over 80) but not any source's figures. Real use loads the
// council's own table with its source.
func SyntheticPrevalence(id string) dementia.NewPrevalence {
	d := decimal.RequireFromString
	bands := []struct {
		band string
		f, m string
	}{{"65-69", "0.014", "0.015"}, {"70-74", "0.030", "0.031"}, {"75-79", "0.060", "0.052"},
		{"80-84", "0.110", "0.090"}, {"85-89", "0.190", "0.140"}, {"90+", "0.320", "0.210"}}
	p := dementia.NewPrevalence{ID: id, Source: "synthetic rates for examples and tests, not a published table"}
	for _, b := range bands {
		p.Rates = append(p.Rates, dementia.Rate{Band: b.band, Sex: dementia.Female, Rate: d(b.f)}, dementia.Rate{Band: b.band, Sex: dementia.Male, Rate: d(b.m)})
	}
	return p
}

// Population returns a made-up population aged 65+ of about n patients,
// by band and sex, thinning with age.
func (w *DementiaWorld) Population(n int64) []dementia.BandCount {
	shares := []float64{0.30, 0.25, 0.19, 0.14, 0.08, 0.04}
	bands := []string{"65-69", "70-74", "75-79", "80-84", "85-89", "90+"}
	var out []dementia.BandCount
	for i, b := range bands {
		all := float64(n) * shares[i] * (0.9 + 0.2*w.rng.Float64())
		women := 0.5 + 0.03*float64(i)
		out = append(out, dementia.BandCount{Band: b, Sex: dementia.Female, Count: int64(all * women)},
			dementia.BandCount{Band: b, Sex: dementia.Male, Count: int64(all * (1 - women))})
	}
	return out
}

// spread divides total into len(weights) parts proportional to the
// weights, each at most its cap.
func spread(total int64, weights []float64, caps []int64) []int64 {
	var sum float64
	for _, x := range weights {
		sum += x
	}
	parts := make([]int64, len(weights))
	var given int64
	for i, x := range weights {
		parts[i] = min(int64(float64(total)*x/sum), caps[i])
		given += parts[i]
	}
	for i := 0; given < total; i = (i + 1) % len(parts) {
		if parts[i] < caps[i] {
			parts[i]++
			given++
		}
	}
	return parts
}

// Registers generates practices' registers on a day: patients aged 65+
// spread over practices in pcns PCNs, and diagnoses such that the
// borough's diagnosis rate with table p is rate (a proportion, e.g.
// 0.664), to the nearest patient.
func (w *DementiaWorld) Registers(p dementia.NewPrevalence, on time.Time, practices, pcns int, patients int64, rate decimal.Decimal) ([]dementia.NewRegister, error) {
	table := &dementia.Prevalence{ID: p.ID, Source: p.Source, Rates: p.Rates}
	var regs []dementia.NewRegister
	var weights []float64
	var caps []int64
	total := decimal.Zero
	for i := range practices {
		pop := w.Population(patients / int64(practices))
		exp, err := dementia.Expected(table, pop)
		if err != nil {
			return nil, err
		}
		total = total.Add(exp)
		var n int64
		for _, c := range pop {
			n += c.Count
		}
		regs = append(regs, dementia.NewRegister{Practice: fmt.Sprintf("F81%03d", 600+i), PCN: fmt.Sprint("PCN ", 1+i%pcns), On: on, Population: pop})
		weights = append(weights, exp.InexactFloat64()*(0.8+0.4*w.rng.Float64()))
		caps = append(caps, n)
	}
	diag := spread(total.Mul(rate).Round(0).IntPart(), weights, caps)
	for i := range regs {
		regs[i].Diagnosed = diag[i]
	}
	return regs, nil
}

// Reviews generates practices' care-plan review counts for a year, with
// adjustments, such that the borough's achievement is rate.
func (w *DementiaWorld) Reviews(year string, regs []dementia.NewRegister, rate decimal.Decimal) []dementia.NewReview {
	var out []dementia.NewReview
	var weights []float64
	var caps []int64
	var denom int64
	for _, r := range regs {
		reg := r.Diagnosed
		a := dementia.Adjustments{Unsuitable: reg / 40, Dissent: reg / 60, NoResponse: reg / 30, Unavailable: int64(w.rng.IntN(2)), New: reg / 50}
		if a.Total() > reg {
			a = dementia.Adjustments{}
		}
		out = append(out, dementia.NewReview{Practice: r.Practice, PCN: r.PCN, Year: year, Register: reg, Adjustments: a})
		d := reg - a.Total()
		denom += d
		weights = append(weights, float64(d)*(0.85+0.3*w.rng.Float64()))
		caps = append(caps, d)
	}
	num := spread(decimal.NewFromInt(denom).Mul(rate).Round(0).IntPart(), weights, caps)
	for i := range out {
		out[i].Numerator = num[i]
	}
	return out
}

// Thurrock2016 builds the borough's 2016 position from generated records:
// twelve Champions, 2,564 Dementia Friends by May 2016 (information
// sessions the Champions ran, and online), 32 practices in 4 PCNs whose registers on 30
// April 2016 give a diagnosis rate (65+) of 66.4% with the synthetic
// prevalence table, care-plan reviews for 2014/15 whose achievement is
// 70.7%, and the alliance's first members from June 2016. The figures are
// targets the generator spreads over records; reports compute them back.
func (w *DementiaWorld) Thurrock2016(ctx context.Context) error {
	svc, rec, coord := w.Service, w.Recorder, w.Coordinator
	// Twelve Champions, trained in late 2014, then Dementia Friends,
	// January 2015 to May 2016.
	for i := range 12 {
		if _, err := svc.RegisterChampion(ctx, w.key(rec), dementia.NewChampion{ID: fmt.Sprintf("champion-%02d", i+1),
			Name: fmt.Sprintf("Champion %d", i+1), Trained: date(2014, time.Month(9+i%4), 1+i)}); err != nil {
			return err
		}
	}
	months := 17
	weights := make([]float64, months)
	caps := make([]int64, months)
	for i := range weights {
		weights[i] = 0.5 + w.rng.Float64()
		caps[i] = 1 << 30
	}
	per := spread(2564, weights, caps)
	for i, n := range per {
		on := date(2015, time.January+time.Month(i), 10)
		online := n / 5
		if _, err := svc.RecordFriends(ctx, w.key(rec), dementia.NewFriends{On: on, Source: dementia.SourceOnline, Count: online}); err != nil {
			return err
		}
		if _, err := svc.RecordFriends(ctx, w.key(rec), dementia.NewFriends{On: on.AddDate(0, 0, 7), Source: dementia.SourceSession,
			Champion: fmt.Sprintf("champion-%02d", 1+w.rng.IntN(12)), Count: n - online}); err != nil {
			return err
		}
	}
	// The diagnosis rate, April 2016.
	p := SyntheticPrevalence(w.PrevalenceID)
	if _, err := svc.LoadPrevalence(ctx, w.key(rec), p); err != nil {
		return err
	}
	regs, err := w.Registers(p, date(2016, 4, 30), 32, 4, 26000, decimal.RequireFromString("0.664"))
	if err != nil {
		return err
	}
	for _, r := range regs {
		if _, err := svc.RecordRegister(ctx, w.key(rec), r); err != nil {
			return err
		}
	}
	// Care-plan reviews, 2014/15.
	for _, r := range w.Reviews("2014/15", regs, decimal.RequireFromString("0.707")) {
		if _, err := svc.RecordReview(ctx, w.key(rec), r); err != nil {
			return err
		}
	}
	// The alliance's first members, June 2016, with initial plans due by
	// December 2016.
	w.SetClock(date(2016, 6, 15).Add(9 * time.Hour))
	orgs := []struct {
		name   string
		sector dementia.Sector
		area   dementia.Area
		wards  []string // none for a borough-wide organisation
	}{{"Thurrock Council Adult Social Care", dementia.SectorStatutory, dementia.AreaHealth, nil},
		{"Alzheimer's Society Thurrock", dementia.SectorVoluntary, dementia.AreaHealth, []string{"Grays Riverside"}},
		{"Thurrock CVS", dementia.SectorVoluntary, dementia.AreaCommunity, []string{"Grays Riverside"}},
		{"Grays Library", dementia.SectorStatutory, dementia.AreaArts, []string{"Grays Thurrock"}},
		{"Essex Fire and Rescue, Thurrock", dementia.SectorStatutory, dementia.AreaEmergency, nil},
		{"Tilbury Housing Co-operative", dementia.SectorCommunity, dementia.AreaHousing, []string{"Tilbury St Chads", "Tilbury Riverside and Thurrock Park"}},
		{"Grays Town Bus Company", dementia.SectorBusiness, dementia.AreaTransport, []string{"Grays Riverside", "Little Thurrock Blackshots"}},
		{"Chafford Hundred Pharmacy", dementia.SectorBusiness, dementia.AreaBusiness, []string{"South Chafford"}},
		{"South Ockendon Youth Club", dementia.SectorCommunity, dementia.AreaChildren, []string{"Ockendon"}}}
	for i, o := range orgs {
		m, err := svc.Join(ctx, w.key(coord), dementia.NewMember{Name: o.name, Sector: o.sector, Areas: []dementia.Area{o.area}, Wards: o.wards,
			Contact: dementia.Contact{Name: fmt.Sprintf("Contact %d", i+1), Email: fmt.Sprintf("contact%d@example.org", i+1)}, Joined: w.Clock()})
		if err != nil {
			return err
		}
		for j := range 1 + w.rng.IntN(4) {
			if _, err := svc.AddAction(ctx, w.key(coord), dementia.NewAction{Member: m.ID, Title: fmt.Sprintf("Initial plan action %d", j+1),
				Owner: fmt.Sprintf("Owner %d", i+1), Due: date(2016, time.Month(7+w.rng.IntN(6)), 1+w.rng.IntN(28))}); err != nil {
				return err
			}
		}
	}
	return nil
}
