// Package giving runs a borough-wide Local Giving campaign that raises
// money, time and talents for a community fund, with Gift Aid and match
// funding.
//
// It implements seed document 000 ("Inspiring Local Giving in Thurrock":
// the Thurrock Community Fund, managed by TCVS, creates a Local Giving
// campaign in which businesses and local people give money, time or
// talents, led by community champions from every sector, around agreed
// local priorities) and action F of seed document 001 (a fund "across
// business and communities which helps meet local priorities").
//
// A Campaign names the fund it raises for, its priorities (each with the
// date it was agreed), its champions by sector, its targets for money and
// for volunteers, and its period. A Donor is an individual or a business.
// A Gift is money (one-off or regular, pledged then received, refunds
// included), time (volunteering pledged in minutes, then delivered) or a
// talent (a skill given pro bono, in minutes, valued at an optional
// hourly rate). A gift is restricted to one of the campaign's priorities
// or unrestricted. The package never imports the time bank: an app that
// banks delivered hours reads them from the gifts.
//
// # Gift Aid
//
// A Declaration holds what HMRC requires: the charity, the donor's name
// (at least an initial and a surname), the home address (at least a house
// name or number and the postcode), which donations it covers, that the
// donor asked for Gift Aid and that they were told they must pay enough UK
// Income Tax or Capital Gains Tax. An oral declaration is kept with a
// recording or a written record sent, and can be cancelled within 30 days
// of that record; any declaration can be cancelled for later gifts. Only
// individuals' gifts of money, with no benefit in return, qualify, at
// 25p per £1 (the basic-rate relief since 6 April 2008). A refund of a
// gift already claimed is carried into the next claim as an over-claim.
// HMRC's limits — the aggregation limits of the claim schedule, the rows
// in one schedule, the small donations scheme (GASDS) — are data
// (Limits), dated, not constants. adapters/giftaid writes a claim's
// schedule as HMRC's Charities Online OpenDocument spreadsheet.
//
// # Match funding and income
//
// A Match is a business's pledge to match residents' received gifts at a
// ratio, up to a cap, within dates. What is due is computed from received
// gifts, never over the cap, and reported apart from the gifts. Received
// gifts, Gift Aid paid by HMRC and match received are income to the
// campaign's fund in the financial year they arrive, each with the
// priority its donor restricted it to (Income). Pledges, unpaid matches
// and claims HMRC has not paid yet are not: a fund awards only money it
// has. PostIncome posts the unrestricted part of that income, by source,
// to the income of the campaign's fund in grants
// (grants.Service.RecordIncome), a fall after a refund or an over-claim as
// a reversal dated in its year, so the fund's budget check counts it; a
// re-run posts only what is new. Money a donor restricted to a priority is
// not posted: grants income can fund any award, so restricted money stays
// with the campaign for its priority, reported in Posting.Restricted and
// Report.ByPriority. This package imports grants for
// that; grants never imports it.
//
// # Personal data, retention and erasure
//
// Donors' names, addresses and contacts are personal data: every read of
// them takes a call.Actor holding a staff role, Donor and Declaration
// leave them out of String and LogValue, and EraseDonor erases them on
// request. Gift Aid records HMRC requires (the declaration and the gifts
// it covers) are kept for HMRC's retention period — six years after the
// end of the accounting period the claim relates to (Limits.Retention) —
// and EraseDonor refuses to erase them before then (ErrRetained); after
// it, it erases them too. Amounts, dates and pseudonymous ids are kept for
// the fund's accounts. Reports hold no personal data and are open; donor
// data is never published.
//
// Service holds the rules; a Store persists. Stores are in
// adapters/memory and pass the conformance suite in giving/givingtest.
package giving
