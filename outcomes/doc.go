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
// Service holds the rules; a Store persists. Stores are in adapters/memory,
// adapters/sqlite and adapters/postgres, and all pass the conformance suite
// in outcomes/outcomestest. Charts are drawn by the sub-package
// outcomes/chart, which keeps the plotting library out of this package.
package outcomes
