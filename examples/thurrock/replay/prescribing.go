package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/strongertogether/community/adapters/fhir"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/prescribing"
)

// pilot is the social prescribing pilot the app runs: Thurrock's four
// pilot areas are the app's configuration.
var pilot = borough.ThurrockPilot()

// fhirOptions is how the app sends FHIR: who sends, which service
// performs the referrals, and the council's identifier and code systems.
// These are placeholders under the reserved .example domain; a council
// puts its own organisation, service and URIs here.
func fhirOptions() fhir.Options {
	return fhir.Options{
		Sender: fhir.Reference{Type: "Organization", Display: "Thurrock Council",
			Identifier: &fhir.Identifier{System: "https://fhir.thurrock.example/Id/organisation", Value: "thurrock-council"}},
		Performer: fhir.Reference{Type: "HealthcareService", Display: "Thurrock social prescribing service",
			Identifier: &fhir.Identifier{System: "https://fhir.thurrock.example/Id/service", Value: "social-prescribing"}},
		Base: "https://fhir.thurrock.example/",
	}
}

// prescribing runs the social prescribing pilot — practice lists with
// risk scores, stratification, MDT meetings, referrals matched to
// activities through the app's directory, wellbeing before and after —
// prints its KPIs and exports one referral as FHIR.
func (a *app) runPrescribing(ctx context.Context, w io.Writer, sum *Summary, out string) error {
	run, err := borough.GeneratePilot(ctx, a.prescribing, a.clock.Set, borough.HubsDirectory{Hubs: a.hubs}, pilot.Times(a.scale), 2016)
	if err != nil {
		return fmt.Errorf("social prescribing: %w", err)
	}
	ids := make([]string, len(run.Practices))
	for i, p := range run.Practices {
		ids[i] = p.ID
	}
	r, err := a.prescribing.Report(ctx, call.As(run.Manager), prescribing.ReportFilter{Practices: ids, From: pilot.Start, To: pilot.End()})
	if err != nil {
		return err
	}
	sum.Pilot, sum.Prescribing = run, r

	heading(w, fmt.Sprintf("SOCIAL PRESCRIBING — pilot, %s to %s", pilot.Start.Format("January 2006"), pilot.End().AddDate(0, 0, -1).Format("January 2006")))
	tw := table(w)
	fmt.Fprintln(tw, "  Practice\tList\tTop %\tCut-off\tCohort\tReferrals")
	for i, p := range run.Practices {
		st := run.Strata[i]
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%d\t%d\n", p.Name, st.ListSize, st.Percent, st.Cutoff, len(st.Cohort()), r.ByPractice[p.ID])
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = table(w)
	fmt.Fprintf(tw, "  Referrals\t%d\t(MDT %d, GP %d, other professionals %d)\n", r.Referrals,
		r.BySource[prescribing.SourceMDT], r.BySource[prescribing.SourceGP], r.BySource[prescribing.SourceProfessional])
	fmt.Fprintf(tw, "  Accepted\t%d\n", r.Accepted)
	fmt.Fprintf(tw, "  Acceptance rate\t%s%%\n", r.AcceptanceRate.StringFixed(1))
	fmt.Fprintf(tw, "  Declined\t%d\n", r.Declined)
	fmt.Fprintf(tw, "  Open at the end\t%d\n", r.Open)
	fmt.Fprintf(tw, "  Closed, goals met\t%d\n", r.Closed[prescribing.GoalsMet])
	if wt, ok := wait(r, prescribing.Referred, prescribing.Contacted); ok {
		fmt.Fprintf(tw, "  Days to first contact\t%s\t(median %s, n=%d)\n", wt.Mean.StringFixed(1), wt.Median.StringFixed(1), wt.N)
	}
	fmt.Fprintf(tw, "  Activities offered\t%d\t(%d taken up, %d attended)\n", r.Offered, r.TakenUp, r.Attended)
	if c, ok := change(r, prescribing.MeasureSWEMWBS); ok {
		fmt.Fprintf(tw, "  SWEMWBS mean change\t%s\t(95%% CI %s to %s, n=%d; %s → %s)\n",
			signed(c.Mean.StringFixed(2)), signed(c.Lower.StringFixed(2)), signed(c.Upper.StringFixed(2)), c.N, c.Before.StringFixed(2), c.After.StringFixed(2))
	}
	sc := r.SecondaryCare
	// Paired: only people with both windows; the rest await their after
	// window, which arrives a year after referral.
	fmt.Fprintf(tw, "  A&E attendances\t%d → %d\t(%s%%, n=%d paired; %d awaiting a window)\n",
		sc.Before.AE, sc.After.AE, signed(sc.Change.AE.StringFixed(1)), sc.People, sc.Incomplete)
	fmt.Fprintf(tw, "  Stories with consent\t%d\n", r.Stories)
	tw.Flush()

	// One referral, as the practice's system would receive it, read by the
	// practice's advisor.
	exp, err := fhir.New(fhirOptions())
	if err != nil {
		return fmt.Errorf("FHIR export: %w", err)
	}
	for _, p := range run.Practices {
		adv := call.As(run.Advisors[p.ID])
		refs, err := a.prescribing.Referrals(ctx, adv, prescribing.ReferralFilter{Practice: p.ID, State: prescribing.Closed})
		if err != nil {
			return err
		}
		var ref *prescribing.Referral
		for _, r := range refs {
			if r.CloseReason == prescribing.GoalsMet {
				ref = r
				break
			}
		}
		if ref == nil {
			continue
		}
		pat, err := a.prescribing.Patient(ctx, adv, ref.Patient)
		if err != nil {
			return err
		}
		prac, err := a.prescribing.Practice(ctx, adv, ref.Practice)
		if err != nil {
			return err
		}
		data, err := exp.Export(ref, pat, prac)
		if err != nil {
			return fmt.Errorf("FHIR export: %w", err)
		}
		var b fhir.Bundle
		if err := json.Unmarshal(data, &b); err != nil {
			return fmt.Errorf("FHIR export: %w", err)
		}
		path := filepath.Join(out, "referral-"+exp.ID("ServiceRequest", ref.ID)+".fhir.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
		sum.Referral, sum.FHIR, sum.FHIRReader = ref.ID, path, adv.ID
		fmt.Fprintf(w, "\n  FHIR: referral %s (%d moves) as a Bundle of %d resources in %s\n", ref.ID, len(ref.History), len(b.Entry), filepath.Base(path))
		break
	}
	return nil
}

func wait(r *prescribing.Report, from, to prescribing.State) (prescribing.Wait, bool) {
	for _, w := range r.Waits {
		if w.From == from && w.To == to {
			return w, true
		}
	}
	return prescribing.Wait{}, false
}

func change(r *prescribing.Report, m prescribing.Measure) (prescribing.Change, bool) {
	for _, c := range r.Wellbeing {
		if c.Measure == m {
			return c, true
		}
	}
	return prescribing.Change{}, false
}

// signed puts a plus sign before a positive number.
func signed(s string) string {
	if s != "" && s[0] != '-' && s != "0" && s != "0.0" && s != "0.00" {
		return "+" + s
	}
	return s
}
