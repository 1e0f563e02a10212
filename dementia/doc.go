// Package dementia runs a borough's dementia-friendly work: the Dementia
// Action Alliance (organisations that join, keep an action plan, report
// progress and meet), the recognition of a dementia-friendly community
// against the eight areas of BSI PAS 1365:2015, the count of Dementia
// Friends, and two dementia indicators: the estimated diagnosis rate for
// people aged 65+ and QOF DEM004-style care-plan reviews.
//
// It implements seed document 001_4542023772105e30.txt (../shared/seeds):
//
//   - action I: create, develop and sustain a Dementia Action Alliance,
//     inviting organisations of every sector (Member, Action, Meeting,
//     Service.Coordinator), and reach the 2021 target of 3,750 Dementia
//     Friends from 2,564 in May 2016 (Service.Friends, FriendsTrajectory).
//     The seed calls that "an increase of 1180"; the data gives
//     3,750 − 2,564 = 1,186, and that is what this package computes;
//   - the recognition process built on PAS 1365: the foundation criteria,
//     a progress update at 6 months and an annual self-assessment before
//     each anniversary of registration (Community, Service.Recognition);
//   - the outcome framework: the estimated diagnosis rate (65+), 66.4% in
//     April 2016 towards the national 67% (DiagnosisRate), and the share of
//     patients whose care plan was reviewed face to face in the preceding
//     12 months, 70.7% in 2014/15 towards 77.0% (CarePlanReviews).
//
// Rates are computed from data the user loads: prevalence rates by age band
// and sex (the CFAS II method) come with their source and are never
// constants in code. Every rate carries a 95% Wilson score interval.
//
// The Service is the only door to a Store. Writes name their caller and an
// idempotency key (call.Write); reads of personal data (a member's contact,
// the owner of an action) name an actor with the right role. Aggregate
// reports (friends, indicators, membership by sector) are open.
//
// The package imports no other domain: its figures reach the outcome
// framework as plain values the application wires in.
package dementia
