package controlapi_test

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

func TestExchangeQueryRoundTrips(t *testing.T) {
	q := controlapi.ExchangeQuery{Direction: koomock.Outbound, Activity: "newInstance", OrderID: "CS1",
		InstanceID: "i-1", FailedOnly: true, BeforeID: 9, AfterID: 2, Limit: 50}
	got, err := controlapi.ParseExchangeQuery(q.Values())
	if err != nil || !reflect.DeepEqual(got, q) {
		t.Errorf("round trip: %+v, %v; want %+v", got, err, q)
	}
	for _, bad := range []string{"direction=up", "before=x", "after=-1", "limit=0", "limit=1001"} {
		v, _ := url.ParseQuery(bad)
		if _, err := controlapi.ParseExchangeQuery(v); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestExchangeQueryMatchesAsTheJournalFilters(t *testing.T) {
	failed := koomock.Exchange{ID: 5, Direction: koomock.Outbound, Activity: "newInstance", OrderID: "CS1", InstanceID: "i-1",
		Verdicts: []koomock.Verdict{{Outcome: koomock.Fail}}}
	passed := failed
	passed.Verdicts = []koomock.Verdict{{Outcome: koomock.Pass}}
	tests := []struct {
		q            controlapi.ExchangeQuery
		failed, pass bool
	}{
		{controlapi.ExchangeQuery{}, true, true},
		{controlapi.ExchangeQuery{FailedOnly: true}, true, false},
		{controlapi.ExchangeQuery{Direction: koomock.Inbound}, false, false},
		{controlapi.ExchangeQuery{Activity: "releaseInstance"}, false, false},
		{controlapi.ExchangeQuery{OrderID: "CS1", InstanceID: "i-1"}, true, true},
		{controlapi.ExchangeQuery{InstanceID: "i-2"}, false, false},
		{controlapi.ExchangeQuery{AfterID: 5}, false, false},
		{controlapi.ExchangeQuery{AfterID: 4, BeforeID: 6}, true, true},
		{controlapi.ExchangeQuery{BeforeID: 5}, false, false},
	}
	for _, tt := range tests {
		if got := tt.q.Matches(&failed); got != tt.failed {
			t.Errorf("%+v matches the failed exchange: %v", tt.q, got)
		}
		if got := tt.q.Matches(&passed); got != tt.pass {
			t.Errorf("%+v matches the passed exchange: %v", tt.q, got)
		}
	}
}

func TestTokenEqual(t *testing.T) {
	if !controlapi.TokenEqual("s3cret", "s3cret") || controlapi.TokenEqual("s3cre", "s3cret") ||
		controlapi.TokenEqual("", "s3cret") || controlapi.TokenEqual("S3CRET", "s3cret") {
		t.Error("TokenEqual is not equality")
	}
}
