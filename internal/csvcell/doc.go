// Package csvcell writes CSV files that are safe to open in a spreadsheet.
//
// A spreadsheet reads a cell that starts with =, +, -, @, a tab or a
// carriage return as a formula, so a name or a memo such as
// =HYPERLINK("http://evil.example","Click") written unchanged into an
// export would run when a council officer opens the file (CSV injection,
// in OWASP's terms). Following OWASP's rule, Safe prefixes such a cell
// with a single quote ('), which a spreadsheet shows as text and does not
// evaluate. A cell that is only a number, such as -60 or -1.5, is left as
// it is: a spreadsheet reads it as that number and nothing else, and the
// quote would turn a negative balance into text.
//
// Every CSV file the library writes goes through Writer, which applies
// Safe to every cell, so no export can forget a column.
package csvcell
