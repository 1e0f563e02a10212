// Package outcomes measures whether a community programme is working: an
// outcome framework of indicators, each with a baseline, a target and the
// trajectory between them, measurements with confidence intervals, the
// status of each indicator (RAG against trajectory, significance, direction
// of travel, trend and forecast), case studies with consent, and reports.
//
// It implements the Outcome Framework of Thurrock's Health and Wellbeing
// Strategy action plan, objective B3 "Build strong, well-connected
// communities" (seed document 001): weekly hours of volunteering (baseline
// 19,069, target to be confirmed), micro-enterprises (0 to 25 by February
// 2017), the estimated dementia diagnosis rate (66.4% in 2016 to 67% in
// 2021) and dementia care plan reviews (70.7% to 77.0%), and the dementia
// friends of action I (2,564 to 3,750). Seed 000 ("Stronger Communities –
// Where are we now?") asks for "KPIs and also stories and case studies";
// seed 004 (the 2022–2026 strategy) adds volunteer placements filled,
// adults who feel lonely often or always, and events in hubs and libraries.
//
// Indicators are described the way Public Health England's Fingertips
// describes them: unit, value type, polarity, period type, a value with a
// 95% confidence interval and its count and denominator. Confidence
// intervals use the methods of the APHO/PHE guidance: the Wilson score
// method for proportions, and for counts and rates Byar's method with the
// exact Poisson interval below 10 events.
//
// Trajectories are computed in decimal and rounded to the precision the
// framework states, so the tables of the seed come out exactly. Trends use
// the Mann–Kendall test over the last up to ten points and need at least
// five (MinTrendPoints).
//
// Who may do what: the store's first administrator is appointed once, by
// Service.Bootstrap; administrators create frameworks, make other
// administrators and may act on any framework. Within a framework, owners
// grant roles (Service.GrantRole), editors change indicators and publish
// stories, contributors record figures and stories. Every write names its
// caller as a call.Write (actor and idempotency key); reads of stories and
// of the audit trail name their actor; definitions, figures, status and
// reports are open.
//
// Personal data: a story's title and body are what a person told.
// Service.EraseStory removes them, with the notes of the story's audit
// events, from every table and, on SQLite, from the database file and its
// WAL. What is kept — the story's id, framework, indicator, programme,
// dates and who recorded it — names no one and keeps counts of stories
// right. Figures are aggregates and hold no personal data; the audit trail
// names staff by id.
//
// Free text is limited: ids 100 characters, titles 300, names (areas,
// programmes, owners, sources, tags' lists) 200, longer texts
// (definitions, notes, reasons) 4,000, a story's body 20,000; text with a
// NUL byte or invalid UTF-8 is refused, before any store sees it.
//
// Service holds the rules; a Store persists. Stores are in adapters/memory,
// adapters/sqlite and adapters/postgres, and all pass the conformance suite
// in outcomes/outcomestest. Charts are drawn by the sub-package
// outcomes/chart, which keeps the plotting library out of this package.
package outcomes
