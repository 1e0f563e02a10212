// Package costs values the service use that community work avoids: the
// "demand management" case of seed 000, and the Local Area Coordination
// results of seed 002 (day care at £45 a session, hospital or interim
// residential bed delays at £1,220–£3,159 a week, direct payments of
// £544.80 a month). The figures are not in the code: they are rows of
// unit_costs.csv, embedded and read by SeedUnitCosts, each with its
// source, date and price base.
//
// A valuation follows the conventions of the public-sector cost–benefit
// models: the HM Treasury Green Book's additionality (gross impact less
// deadweight, what would have happened anyway) and attribution (the
// share of the change due to the programme), and the GMCA / New Economy
// CBA model's optimism bias correction, larger as the confidence of the
// evidence falls. Every adjustment is a stated parameter (Params) and
// every report shows the gross figure, each adjustment and the net
// figure, each as a low–high range from the unit cost's range; a
// programme's own cost is set beside it when the caller supplies it.
// The default parameters (DefaultParams) are this package's starting
// point, not figures from the seeds or the models: a council states its
// own.
//
// Net = Gross × (1 − deadweight) × attribution × (1 − optimism bias for
// the evidence's confidence). Values are not discounted: a report covers
// one period at the unit costs' price base, which it states.
//
// Avoided events come from any domain through Source, an interface this
// package declares; the app adapts a domain's own records to Event.
package costs
