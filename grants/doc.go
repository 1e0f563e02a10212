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
// more than it has for a year — its budget plus its income: the store
// checks, in the same transaction as the approval, that awards plus
// pending approvals stay within the two, so two officers approving at once
// cannot overspend. Payments never exceed the award.
//
// # Income
//
// A fund's Income is money it received in a financial year (the year of
// the date it arrived): from a funder, or from the Local Giving campaign
// that raises for it — grants/giving posts the campaign's gifts net of
// refunds, its match funding received and its Gift Aid once HMRC has paid
// the claim (giving.Service.PostIncome). Income is unrestricted: any
// award of the fund may spend it, so grants/giving posts only the money
// donors left unrestricted, and money restricted to a priority stays with
// the campaign. A reversal (a refund, an
// over-claim) is income below zero, and may not take the fund's budget
// plus income below what it has committed (ErrOverdrawn); the store checks
// it in the same transaction as the write, so a reversal racing an
// approval never leaves the fund over-committed. Each line has the
// sender's reference, recorded once per fund, so a sender that re-runs
// never counts money twice. Only a fund manager (RoleManager) or an admin
// records or reverses income; Totals and Report show the Budget, Income,
// Committed and Available (budget + income − committed).
//
// The Service is the only door to a store. Every write takes a call.Write
// (the actor and an idempotency key scoped to them) and checks the actor's
// role before anything else, on a retry too. Reads of personal data —
// applications, staff, the audit trail — and of the fund's income lines
// take the call.Actor and check their role as writes do; funds, rounds,
// totals and reports are open. The first
// administrator is made by Bootstrap, once; every later role is granted
// by an admin (AddStaff, UpdateStaff).
//
// # Personal data, limits and erasure
//
// Every free-text field has a stated limit (MaxName, MaxReason,
// MaxDescription and the others) and is refused, as a *FieldError, if it
// is longer, holds a NUL byte or is not valid UTF-8, before any store sees
// it. Applicant, Supporter, Staff, Application and NewApplication leave
// names and contact details out of String and LogValue, so neither %v nor
// a log shows them.
//
// EraseApplicant erases a person who applied: the applicant's name and
// postcode (for an individual or an unconstituted group), the contact's
// name, email and phone, the supporters' names, every free text on their
// applications (title, description, idea, cost items, notes, reasons,
// panel comments, payment references, the outcome's summary and photos)
// and the notes of the audit events about them, in every table the store
// keeps; an SQLite store also rewrites its freed pages and truncates its
// log. EraseSupporter erases one supporter's name. What is kept is what
// the fund's accounts and reports need and identifies no one: the
// amounts (requested, awarded, paid, matched), the minutes pledged and
// given, counts (people reached, supporters, scores), statuses and dates,
// the ward and the fund's tags (priorities, purposes), and pseudonymous
// ids — the application's, the owner's sign-in id (which must therefore
// not be an email or a name) and the staff ids in the audit trail. A
// council must be able to show how a public grant was spent for years
// after it is paid; none of what is kept says who the person was.
// Receipts of idempotent writes hold only keyed hashes, never a request.
//
// Service holds the rules; a Store persists. Stores are in adapters/memory,
// adapters/sqlite and adapters/postgres, and all pass the conformance suite
// in grants/grantstest. adapters/threesixty publishes awarded grants as
// 360Giving Data Standard JSON and reads such files back.
package grants
