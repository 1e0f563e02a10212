// Command locality shows the locality programmes (hubs/locality) and the
// costs they avoid (outcomes/costs) wired on the embedded SQLite store. It
// records a synthetic year of Local Area Coordination, Community
// Organisers and Community Builders through the library's own operations,
// then prints the LAC report by area, the organisers' conversations by
// ward, the asset map by locality, the costs avoided as a low–high range
// with every assumption, and the ward matrix.
//
// The app is where domains meet: costsSource adapts locality's avoided
// events to outcomes/costs.Event, so neither package imports the other.
//
//	go run ./examples/locality [-db path]
package main
