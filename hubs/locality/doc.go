// Package locality runs the three locality programmes the Stronger
// Together partnership oversees beside the community hubs (seed document
// 002_1b2add304f5b5cad.txt, "Community Resilience", July 2014):
//
//   - Local Area Coordination (LAC): coordinators in areas (three from
//     July 2013, then six with a manager), the people introduced to them by
//     a route of the seed's list (Routes: GP, councillor, professional,
//     community hub, housing association, resident) and an age band
//     (people supported are 27–94), the "what a good life looks like"
//     conversation and the goals it set, the connections made (to people,
//     groups, or directory services), services coordinated across
//     boundaries, goals met, a close with its outcome and a story told with
//     consent (Case), and avoided service use as dated events with their
//     evidence and its confidence (Avoided).
//   - Community Organisers: four organisers hosted by ngage since February
//     2014 in wards with a Community First panel (Area.Panel); listening
//     conversations counted per ward and period with the themes raised and
//     never a resident's identity unless they agree (Listening), issues
//     turned into actions and their outcomes (Issue), and networks of
//     listeners and activists (Network).
//   - ABCD Community Builders: the asset map of people's gifts and skills
//     (with consent), associations and places, which can become directory
//     entries (Asset); gift-board offers and requests and the connections
//     they led to (Gift); ideas fairs (Fair); and Community of Practice
//     events, held in Stifford Clays, Chadwell St Mary and Aveley, which
//     may name the hubs event they were (Practice).
//
// Reports are aggregates by area and by ward (Service.LACReport,
// Service.OrganisersReport, Service.BuildersReport, Service.WardCounts),
// and Compose builds the partnership's ward matrix from per-ward counts
// that the app gathers from every domain.
//
// It is a sub-package of hubs, not part of it, because hubs is already
// the size one reads in a sitting (hubs, people, surgeries, placements and
// the directory): locality has its own staff, roles, Store and Service,
// and meets hubs only through Directory, an interface it declares for
// checking a directory listing or hubs event by id, which the app wires.
// It imports neither hubs nor any other domain.
//
// The Service is the only door. Every write names its caller and an
// idempotency key (call.Write); every read of personal data (names,
// contacts, notes, stories, evidence text) names its actor and checks
// their role; the reports check no role and name no person. ErasePerson
// removes a person's personal data from every record that names them.
// Money is not valued here: AvoidedEvents gives the events, and
// outcomes/costs values them, wired by the app.
package locality
