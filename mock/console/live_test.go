package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

// TestLiveJournalSendsNewRowsMatchingTheFilters follows the journal's stream for failed exchanges
// only: a passing purchase is not sent, a failed probe is, as a row rendered like the page's.
func TestLiveJournalSendsNewRowsMatchingTheFilters(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	page := b.get("/console/journal?failed=true")
	mustContain(t, "the journal", page.body, `data-events="/console/journal/events?after=0&amp;failed=true"`)
	stream := b.events("/console/journal/events?after=0&failed=true")

	ctx := context.Background()
	if _, err := api.Buy(ctx, controlapi.BuyRequest{}); err != nil {
		t.Fatal(err)
	}
	// The reference seller refuses a tampered signature with 000001; accepting only 999999 fails it.
	probe, err := api.Probe(ctx, controlapi.ProbeRequest{Activity: "newInstance", Probe: "tampered-signature", Refusals: []string{"999999"}})
	if err != nil || !probe.Failed() {
		t.Fatalf("probe: %+v, %v", probe, err)
	}
	e, ok := stream.Next()
	if !ok || e.ID != fmt.Sprint(probe.ID) || e.Name != "exchange" {
		t.Fatalf("first event %+v, %v; want the failed probe #%d", e, ok, probe.ID)
	}
	mustContain(t, "the row", e.Data, fmt.Sprintf(`<tr data-id="%d" data-outcome="fail">`, probe.ID), "probe.refused", "probe: tampered-signature")
	if strings.Count(e.Data, "<tr") != 1 {
		t.Errorf("an event holds one row:\n%s", e.Data)
	}
}

// TestLiveJournalCatchesUpFromThePage checks that what is recorded between rendering a page and
// opening its stream is not lost: the stream starts after the page's newest row.
func TestLiveJournalCatchesUpFromThePage(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	first, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	mustContain(t, "the journal", b.get("/console/journal").body, fmt.Sprintf(`data-events="/console/journal/events?after=%d"`, first.Exchange.ID))
	second, err := api.Buy(ctx, controlapi.BuyRequest{}) // after the page, before its stream
	if err != nil {
		t.Fatal(err)
	}
	stream := b.events(fmt.Sprintf("/console/journal/events?after=%d", first.Exchange.ID))
	if e, ok := stream.Next(); !ok || e.ID != fmt.Sprint(second.Exchange.ID) {
		t.Errorf("caught up with %+v, %v; want #%d", e, ok, second.Exchange.ID)
	}
}
