package controlapi_test

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

func TestExchangeQueryRoundTrips(t *testing.T) {
	q := koomock.ExchangeFilter{Direction: koomock.Outbound, Activity: "newInstance", OrderID: "CS1",
		InstanceID: "i-1", TenantID: "t-1", FailedOnly: true, BeforeID: 9, AfterID: 2, Limit: 50}
	got, err := controlapi.ParseFilter(controlapi.FilterValues(q))
	if err != nil || !reflect.DeepEqual(got, q) {
		t.Errorf("round trip: %+v, %v; want %+v", got, err, q)
	}
	for _, bad := range []string{"direction=up", "before=x", "after=-1", "limit=0", "limit=1001"} {
		v, _ := url.ParseQuery(bad)
		if _, err := controlapi.ParseFilter(v); controlapi.ErrorCode(err) != controlapi.CodeInvalid {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestExchangeQueryMatchesAsTheJournalFilters(t *testing.T) {
	failed := koomock.Exchange{ID: 5, Direction: koomock.Outbound, Activity: "newInstance", OrderID: "CS1", InstanceID: "i-1",
		TenantID: "t-1", Verdicts: []koomock.Verdict{{Outcome: koomock.Fail}}}
	passed := failed
	passed.Verdicts = []koomock.Verdict{{Outcome: koomock.Pass}}
	tests := []struct {
		q            koomock.ExchangeFilter
		failed, pass bool
	}{
		{koomock.ExchangeFilter{}, true, true},
		{koomock.ExchangeFilter{FailedOnly: true}, true, false},
		{koomock.ExchangeFilter{Direction: koomock.Inbound}, false, false},
		{koomock.ExchangeFilter{Activity: "releaseInstance"}, false, false},
		{koomock.ExchangeFilter{OrderID: "CS1", InstanceID: "i-1"}, true, true},
		{koomock.ExchangeFilter{InstanceID: "i-2"}, false, false},
		{koomock.ExchangeFilter{TenantID: "t-1"}, true, true},
		{koomock.ExchangeFilter{TenantID: "t-2"}, false, false},
		{koomock.ExchangeFilter{AfterID: 5}, false, false},
		{koomock.ExchangeFilter{AfterID: 4, BeforeID: 6}, true, true},
		{koomock.ExchangeFilter{BeforeID: 5}, false, false},
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
