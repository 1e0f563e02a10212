// Package chart draws an outcome indicator's trend chart the way PHE
// Fingertips does, for a board paper or a dashboard:
//
//   - periods are labelled as the documents write them ("2015/16",
//     "2016/17 Q3", "Apr 2016"), one slot per period;
//   - each value is a point coloured by Fingertips' comparison of its 95%
//     confidence interval with the target (or, without one, a benchmark
//     such as England): better #00703C, similar #FFDD00, worse #D4351C,
//     the indicator's polarity deciding which side is better; lower
//     #5694CA and higher #003078 where there is no polarity; no fill and a
//     black border where there is no interval or nothing to compare with;
//   - intervals are drawn as bars, the trajectory as a dashed line, the
//     target as a diamond with a dotted line at its value, a benchmark as a
//     black line;
//   - the y axis fits the data, the intervals, the trajectory and the
//     target, with the unit above it and the unit's signs on its ticks;
//   - the title wraps; the key sits in a box below the plot; a footnote
//     gives the source, the area and the date drawn (from WithClock).
//
// SVG writes the chart as SVG with a <title> and a <desc> that describes
// the data in words; PNG writes the same chart as an image; Data returns
// the chart's figures as a table to show beside it.
//
// The package reads only outcomes' data types (Row, Indicator,
// Measurement, Point, Period), so it can draw a row built by hand as well
// as one from a report. It writes the SVG itself and uses gonum.org/v1/plot
// only to measure text and to rasterise the PNG.
//
// The charts are the reports the Outcome Framework of seed document 001
// (objective B3) and the KPIs of seed 000 call for.
package chart
