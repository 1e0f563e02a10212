// Package giftaid writes a Gift Aid claim's schedule (grants/giving.Claim)
// in HMRC's Charities Online column layout, as an OpenDocument
// spreadsheet (.ods), and reads such a spreadsheet back.
//
// The schedule holds, above its rows, the earliest donation date in the
// claim and the Gift Aid over-claimed before (an adjustment); then one row
// per donation line with the columns HMRC's donation schedule has: item,
// title (at most 4 characters), first name and last name (at most 35
// each, a double-barrelled surname with a space for the hyphen), house
// name or number, postcode (capitals, with its space), aggregated
// donations (a description, for gifts of several donors on one line),
// sponsored event ("Yes" or blank), donation date (DD/MM/YY, the latest
// gift's) and amount (two decimal places, no £ sign). A claim holds no more
// rows than HMRC takes in one schedule: giving.Split cuts a longer
// schedule, and grants/giving makes one claim per part.
//
// An .ods file is a zip: a "mimetype" entry stored first and uncompressed,
// META-INF/manifest.xml, and the sheet in content.xml.
package giftaid
