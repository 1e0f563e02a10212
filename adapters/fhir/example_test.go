package fhir_test

import (
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/strongertogether/community/adapters/fhir"
	"github.com/strongertogether/community/prescribing"
)

// Export a referral the person declined after their first contact. The
// council configures who sends the export and which service performs
// referrals; the practice that referred is the requester. The request is
// revoked, not completed, and the last Task says why, with the SNOMED CT
// concept for declined.
func Example() {
	exp, err := fhir.New(fhir.Options{
		Sender: fhir.Reference{Type: "Organization", Display: "Example Borough Council",
			Identifier: &fhir.Identifier{System: "https://fhir.council.test/Id/organisation", Value: "example-borough"}},
		Performer: fhir.Reference{Type: "HealthcareService", Display: "Example Social Prescribing Service",
			Identifier: &fhir.Identifier{System: "https://fhir.council.test/Id/service", Value: "social-prescribing"}},
		Base: "https://fhir.council.test/",
	})
	if err != nil {
		log.Fatal(err)
	}

	at := func(day int) time.Time { return time.Date(2016, 11, day, 10, 0, 0, 0, time.UTC) }
	practice := &prescribing.Practice{ID: "prc-1", ODS: "F81001", Name: "Riverside Surgery"}
	patient := &prescribing.Patient{ID: "pat-1", Practice: "prc-1", NHSNumber: "9990000026"}
	referral := &prescribing.Referral{
		ID: "ref-1", Practice: "prc-1", Patient: "pat-1", Source: prescribing.SourceMDT,
		State: prescribing.Declined, Code: prescribing.SNOMEDDeclined, CloseReason: prescribing.ReasonDeclined,
		History: []prescribing.Transition{
			{To: prescribing.Identified, At: at(1)},
			{From: prescribing.Identified, To: prescribing.Referred, At: at(8)},
			{From: prescribing.Referred, To: prescribing.Accepted, At: at(9)},
			{From: prescribing.Accepted, To: prescribing.Contacted, At: at(10)},
			{From: prescribing.Contacted, To: prescribing.Declined, At: at(11)},
		},
		CreatedAt: at(1), UpdatedAt: at(11),
	}

	data, err := exp.Export(referral, patient, practice)
	if err != nil {
		log.Fatal(err)
	}
	var bundle struct {
		Entry []struct {
			FullURL  string
			Resource struct {
				ResourceType string
				Status       string
				AuthoredOn   string
				Requester    fhir.Reference
				Performer    []fhir.Reference
				Focus        fhir.Reference
				StatusReason *fhir.CodeableConcept
			}
		}
	}
	if err := json.Unmarshal(data, &bundle); err != nil {
		log.Fatal(err)
	}
	for _, e := range bundle.Entry {
		r := e.Resource
		switch r.ResourceType {
		case "ServiceRequest":
			fmt.Printf("ServiceRequest %s, authored %s, requested by %s, performed by %s\n",
				r.Status, r.AuthoredOn[:10], r.Requester.Display, r.Performer[0].Display)
		case "Task":
			fmt.Printf("Task %s, focus is the request: %t", r.Status, r.Focus.Reference == bundle.Entry[0].FullURL)
			if r.StatusReason != nil {
				fmt.Printf(", because %s (SNOMED CT %s)", r.StatusReason.Text, r.StatusReason.Coding[0].Code)
			}
			fmt.Println()
		}
	}
	// Output:
	// ServiceRequest revoked, authored 2016-11-08, requested by Riverside Surgery, performed by Example Social Prescribing Service
	// Task completed, focus is the request: true
	// Task completed, focus is the request: true
	// Task completed, focus is the request: true
	// Task completed, focus is the request: true
	// Task cancelled, focus is the request: true, because Declined by the person (SNOMED CT 871711000000103)
}
