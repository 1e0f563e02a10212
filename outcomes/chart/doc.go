// Package chart draws an outcome indicator's chart with gonum.org/v1/plot:
// the measured values with their 95% confidence intervals as error bars,
// the trajectory as a line, and the target as a point at its period. It is
// a sub-package so that package outcomes stays free of the plotting
// library.
//
// Each series has a fixed colour and legend name (Measured, 95% CI,
// Trajectory, Target), so readers — and tests — can find them.
//
// The charts are the reports the Outcome Framework of seed document 001
// (objective B3) and the KPIs of seed 000 call for.
package chart
