// Package borough builds the synthetic Thurrock the examples and the tests
// share: time bank members and exchanges, Small Sparks applications, the
// social prescribing pilot's practices and patients, and the other
// programmes' records, all through each domain's Service. Its data is
// made up: NHS numbers come from the 999 range NHS England keeps for
// testing, and organisations' identifiers can never match a real register.
// Nothing here is part of the library's API, and it never imports testing.
package borough
