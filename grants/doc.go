// Package grants runs community grant funds: Thurrock's Small Sparks
// matching fund and the Thurrock Community Fund's community grants.
//
// It implements the grant programmes of the Stronger Together seed
// documents: 000 ("Stronger Communities – Where are we now?": Small Sparks
// Matching Funds, established in 2014 with a fund of £10,000, £6,480
// awarded to 26 groups), 001 (the Health and Wellbeing action plan: small
// projects of no more than £250 to improve a neighbourhood), 002 (the
// Community Resilience report: funding of up to £250 matched with the
// community's "sweat equity") and 004 (the Health and Wellbeing Strategy:
// £100,000 of community grants around agreed priorities).
//
// A Fund has a budget per financial year, rounds with open and close dates,
// the priorities it funds, a minimum and maximum award and its eligibility
// Rules. Rules are data, not code: each Rule is a small value (amount
// range, applicant type, a new one-off idea, no running costs, exclusions,
// supporters pledging time, match funding, priorities, and all/any/not to
// compose them) that gives a pass or fail with a reason in plain words, and
// a Fund's rules decode from JSON, so a council configures its own fund
// without changing this package.
//
// An Application follows an explicit state machine (draft → submitted →
// information requested ↔ resubmitted → eligibility checked → under panel
// review → approved / declined / withdrawn → awarded → paid → monitored →
// closed); every move is checked against the table and recorded in the
// audit trail with the actor, the time and the reason. Panel members score
// against the fund's criteria; a member who declares a conflict of
// interest has their score excluded.
//
// Money is decimal.Decimal in pounds, pence-exact. A fund never commits
// more than its budget for a year: the store checks, in the same
// transaction as the approval, that awards plus pending approvals stay
// within the budget, so two officers approving at once cannot overspend.
// Payments never exceed the award.
//
// Service holds the rules; a Store persists. Stores are in adapters/memory,
// adapters/sqlite and adapters/postgres, and all pass the conformance suite
// in grants/grantstest. adapters/threesixty publishes awarded grants as
// 360Giving Data Standard JSON and reads such files back.
package grants
