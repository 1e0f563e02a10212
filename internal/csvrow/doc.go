// Package csvrow reads CSV files whose first line names the columns, and
// collects every problem with the line and column it was found on, so an
// importer can report all of a file's problems at once and write nothing
// if there are any.
package csvrow
