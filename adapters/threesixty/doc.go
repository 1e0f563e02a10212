// Package threesixty publishes awarded grants as 360Giving Data Standard
// JSON (https://standard.threesixtygiving.org/) and reads such files back.
//
// Export turns a grants.Fund and its awarded applications into a package
// of 360Giving grants: ids "360G-<prefix>-<application id>", amounts in
// GBP, the funder as fundingOrganization (a local authority's org-id is
// "GB-LAE-…"), exactly one of recipientOrganization (charities
// "GB-CHC-…", companies "GB-COH-…", unconstituted groups
// "360G-<prefix>-ORG-<application id>" with no postcode) or
// recipientIndividual (nothing personal: never the person's name,
// postcode or contact, nor the title and description they wrote), the
// ward as beneficiaryLocation, the fund as grantProgramme, the planned
// dates, and match funding noted as a classification (and, for a grant to
// a group that regrants it, regrantType FRG030 "Match funding" from the
// standard's regrantType codelist).
//
// Quality runs the checks 360Giving's Data Quality Tool reports as
// warnings. Parse and Import read a 360Giving JSON package from outside,
// with limits, refusing malformed grants with a clear error.
//
// Validate (and ValidatePackage) check a package against the 360Giving
// JSON Schemas embedded from schema/, listing every violation with its
// JSON pointer in a *SchemaError; the tests validate every exported
// package with it. See schema/README.md for the schemas' source, licence
// and exactly how faithful each copy is.
package threesixty
