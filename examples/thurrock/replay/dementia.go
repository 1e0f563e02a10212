package replay

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/outcomes"
)

// The Dementia Friends figures of seed 001 (action I): 2,564 in May 2016,
// 3,750 by 2021. They are the generator's inputs; every figure printed is
// counted from the records it makes.
const (
	friendsBaseline = 2564
	friendsTarget   = 3750
)

var (
	friendsOn       = time.Date(2016, 5, 31, 0, 0, 0, 0, time.UTC)
	friendsTargetOn = time.Date(2021, 3, 31, 0, 0, 0, 0, time.UTC)
)

// The B3 framework's dementia baselines (seed 001): a diagnosis rate
// (65+) of 66.4% in April 2016 and 70.7% of care plans reviewed in
// 2014/15. The generator spreads them over practices' registers and
// review counts; the dementia package computes them back, and those
// figures feed the framework.
var (
	diagnosisOn   = time.Date(2016, 4, 30, 0, 0, 0, 0, time.UTC)
	diagnosisRate = decimal.RequireFromString("0.664")
	reviewYear    = "2014/15"
	reviewRate    = decimal.RequireFromString("0.707")
)

// The synthetic registers: patients aged 65+ on the practices' lists,
// spread over practices in PCNs (times the scale).
const (
	dementiaPractices = 32
	dementiaPCNs      = 4
	dementiaPatients  = 26_000
)

// Dementia is what the dementia step printed.
type Dementia struct {
	Friends    *dementia.FriendsTotal
	Trajectory *dementia.Trajectory
	Membership *dementia.MembershipReport
	Diagnosis  *dementia.DiagnosisReport // the registers of 30 April 2016
	CarePlans  *dementia.CarePlanReport  // the reviews of 2014/15
}

// runDementia builds the Dementia Action Alliance, the Dementia Friends
// count, the practices' dementia registers and their care-plan reviews
// (seed 001) in the database, and prints the friends, the alliance, the
// diagnosis rate and the care plans reviewed.
func (a *app) runDementia(ctx context.Context, w io.Writer, sum *Summary, _ string) error {
	n := 0
	world, err := borough.NewDementiaWorld(ctx, a.dementiaStore, 2016,
		dementia.WithIDs(func(p string) string { n++; return fmt.Sprintf("%s-%d", p, n) }))
	if err != nil {
		return fmt.Errorf("dementia: %w", err)
	}
	world.SetClock(time.Date(2016, 6, 1, 9, 0, 0, 0, time.UTC))
	svc, coord, rec := world.Service, world.Coordinator, world.Recorder
	a.dementia = svc
	for i := 1; i <= 5; i++ {
		if _, err := svc.RegisterChampion(ctx, rec.Key(fmt.Sprintf("champion-%d", i)), dementia.NewChampion{ID: fmt.Sprintf("champion-%d", i),
			Name: fmt.Sprintf("Champion %d", i), Trained: time.Date(2012, 5, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			return fmt.Errorf("dementia champions: %w", err)
		}
	}
	// Friends made from 2012 to May 2016, in sessions and online, in
	// monthly batches that add up to the seed's count.
	rng := rand.New(rand.NewPCG(2016, 1))
	start := time.Date(2012, 6, 1, 0, 0, 0, 0, time.UTC)
	months := 48
	weights := make([]float64, months)
	total := 0.0
	for i := range weights {
		weights[i] = 0.5 + rng.Float64()
		total += weights[i]
	}
	left := int64(friendsBaseline * a.scale)
	for i := range months {
		c := int64(float64(friendsBaseline*a.scale) * weights[i] / total)
		if i == months-1 {
			c = left
		}
		left -= c
		src := dementia.SourceSession
		if i%3 == 2 {
			src = dementia.SourceOnline
		}
		in := dementia.NewFriends{On: start.AddDate(0, i, 0), Source: src, Count: c}
		if src == dementia.SourceSession {
			in.Champion = fmt.Sprintf("champion-%d", i%5+1)
		}
		if _, err := svc.RecordFriends(ctx, rec.Key(fmt.Sprintf("friends-%d", i)), in); err != nil {
			return fmt.Errorf("dementia friends: %w", err)
		}
	}
	members := []dementia.NewMember{
		{Name: "Thurrock Council", Sector: dementia.SectorStatutory, Areas: []dementia.Area{dementia.AreaHealth, dementia.AreaHousing}},
		{Name: "Thurrock CVS", Sector: dementia.SectorVoluntary, Areas: []dementia.Area{dementia.AreaCommunity}, Wards: []string{"Grays Riverside"}},
		{Name: "Grays Library Friends", Sector: dementia.SectorCommunity, Areas: []dementia.Area{dementia.AreaArts}, Wards: []string{"Grays Thurrock"}},
		{Name: "Thurrock Buses", Sector: dementia.SectorBusiness, Areas: []dementia.Area{dementia.AreaTransport}},
		{Name: "Alzheimer's Society Thurrock", Sector: dementia.SectorVoluntary, Areas: []dementia.Area{dementia.AreaHealth, dementia.AreaCommunity}, Wards: []string{"Grays Riverside", "Stifford Clays"}},
		{Name: "Tilbury Pharmacy", Sector: dementia.SectorBusiness, Areas: []dementia.Area{dementia.AreaBusiness, dementia.AreaHealth}, Wards: []string{"Tilbury St Chads"}},
	}
	for i, m := range members {
		m.Joined = time.Date(2015, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
		m.Contact = dementia.Contact{Name: "Alliance contact"}
		if _, err := svc.Join(ctx, coord.Key(fmt.Sprintf("join-%d", i)), m); err != nil {
			return fmt.Errorf("dementia alliance: %w", err)
		}
	}
	// The registers of 30 April 2016 and the reviews of 2014/15.
	prev := borough.SyntheticPrevalence(world.PrevalenceID)
	if _, err := svc.LoadPrevalence(ctx, rec.Key("prevalence"), prev); err != nil {
		return fmt.Errorf("dementia prevalence: %w", err)
	}
	regs, err := world.Registers(prev, diagnosisOn, dementiaPractices, dementiaPCNs, int64(dementiaPatients*a.scale), diagnosisRate)
	if err != nil {
		return fmt.Errorf("dementia registers: %w", err)
	}
	for i, r := range regs {
		if _, err := svc.RecordRegister(ctx, rec.Key(fmt.Sprintf("register-%d", i)), r); err != nil {
			return fmt.Errorf("dementia registers: %w", err)
		}
	}
	for i, r := range world.Reviews(reviewYear, regs, reviewRate) {
		if _, err := svc.RecordReview(ctx, rec.Key(fmt.Sprintf("review-%d", i)), r); err != nil {
			return fmt.Errorf("dementia reviews: %w", err)
		}
	}
	dr, err := svc.DiagnosisRate(ctx, world.PrevalenceID, diagnosisOn)
	if err != nil {
		return err
	}
	cp, err := svc.CarePlanReviews(ctx, reviewYear)
	if err != nil {
		return err
	}

	f, err := svc.Friends(ctx, friendsOn)
	if err != nil {
		return err
	}
	tr, err := svc.FriendsTrajectory(ctx, friendsOn, friendsTargetOn, int64(friendsTarget*a.scale), friendsOn)
	if err != nil {
		return err
	}
	mr, err := svc.Membership(ctx)
	if err != nil {
		return err
	}
	sum.Dementia = &Dementia{Friends: f, Trajectory: tr, Membership: mr, Diagnosis: dr, CarePlans: cp}

	heading(w, "DEMENTIA — Dementia Friends, the Dementia Action Alliance, diagnosis and care plans")
	tw := table(w)
	fmt.Fprintf(tw, "  Dementia Friends by %s\t%d\t(sessions %d, online %d; %d Champions)\n", friendsOn.Format("2 January 2006"), f.Total,
		f.BySource[dementia.SourceSession], f.BySource[dementia.SourceOnline], f.Champions)
	fmt.Fprintf(tw, "  Target by %s\t%d\t(%d more than the count on %s)\n", friendsTargetOn.Format("January 2006"), tr.Target, tr.Increase, tr.From.Format("2 January 2006"))
	fmt.Fprintf(tw, "  Alliance members on %s\t%d\n", mr.On.Format("2 January 2006"), mr.Total.Members)
	sectors := make([]string, 0, len(mr.BySector))
	for s := range mr.BySector {
		sectors = append(sectors, string(s))
	}
	sort.Strings(sectors)
	for _, s := range sectors {
		fmt.Fprintf(tw, "    %s sector\t%d\n", s, mr.BySector[dementia.Sector(s)].Members)
	}
	b := dr.Borough
	fmt.Fprintf(tw, "  Diagnosis rate, aged 65+, %s\t%s%%\t(%d diagnosed of %s expected; 95%% CI %s%% to %s%%; %d practices in %d PCNs)\n",
		dr.On.Format("2 January 2006"), b.Value.Percent.StringFixed(1), b.Value.Count, b.Expected.StringFixed(0),
		b.Value.Lower.StringFixed(1), b.Value.Upper.StringFixed(1), len(dr.Practices), len(dr.PCNs))
	c := cp.Borough
	fmt.Fprintf(tw, "  Care plans reviewed, %s\t%s%%\t(%d of %d patients: the register of %d less %d exceptions; 95%% CI %s%% to %s%%)\n",
		cp.Year, c.Achievement.Percent.StringFixed(1), c.Achievement.Count, c.Register-c.Adjustments.Total(), c.Register,
		c.Adjustments.Total(), c.Achievement.Lower.StringFixed(1), c.Achievement.Upper.StringFixed(1))
	tw.Flush()
	wrap(w, "  ", "  ", fmt.Sprintf("Diagnosis rate: patients on the practices' dementia registers ÷ the number expected from their lists' ages "+
		"and sexes with a prevalence table (%s). Care plans: QOF DEM004-style, reviewed in the year ÷ (register − exceptions).", dr.Source), 100)
	return nil
}

// dementiaMeasurements are the B3 framework's dementia indicators as the
// dementia package computed them: the diagnosis rate and the share of
// care plans reviewed, with their counts and intervals, for the
// framework's baseline period.
func dementiaMeasurements(d *Dementia) map[string]outcomes.NewMeasurement {
	m := func(v dementia.Value, source, note string) outcomes.NewMeasurement {
		// An expected number is a denominator to the nearest person, as
		// published; the value is the dementia package's, unrounded by it.
		count, den, lo, hi := decimal.NewFromInt(v.Count), v.Denominator.Round(0), v.Lower, v.Upper
		return outcomes.NewMeasurement{Value: v.Percent, Count: &count, Denominator: &den, Lower: &lo, Upper: &hi, Source: source, Note: note}
	}
	return map[string]outcomes.NewMeasurement{
		"dementia-diagnosis-rate": m(d.Diagnosis.Borough.Value, "dementia registers",
			"diagnosed ÷ expected on "+d.Diagnosis.On.Format(time.DateOnly)+", from the practices' registers"),
		"dementia-care-plan-review": m(d.CarePlans.Borough.Achievement, "dementia care-plan reviews",
			"reviewed ÷ (register − exceptions) in "+d.CarePlans.Year+", from the practices' review counts"),
	}
}
