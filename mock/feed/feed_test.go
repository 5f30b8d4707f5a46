package feed_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/feed"
	"github.com/koomock/koomock/mock/feed/feedtest"
)

func ex(id int64) koomock.Exchange {
	return koomock.Exchange{ID: id, Activity: "newInstance"}
}

func TestSubscribersGetEveryExchangeInOrder(t *testing.T) {
	var b feed.Broadcaster
	one, two := b.Subscribe(4), b.Subscribe(4)
	for id := range int64(3) {
		b.Publish(ex(id + 1))
	}
	for _, s := range []*feed.Subscription{one, two} {
		for want := int64(1); want <= 3; want++ {
			if got := (<-s.C).ID; got != want {
				t.Fatalf("got exchange %d, want %d", got, want)
			}
		}
	}
	one.Cancel()
	one.Cancel() // twice is harmless
	b.Publish(ex(4))
	if _, ok := <-one.C; ok {
		t.Error("a cancelled subscription still receives")
	}
	if got := (<-two.C).ID; got != 4 {
		t.Errorf("the other subscriber got %d, want 4", got)
	}
}

// TestSlowSubscriberIsDroppedNotWaitedFor publishes more than a subscriber buffers while it reads
// nothing: Publish must return every time, and the subscriber must find its channel closed after
// what it buffered, so it knows to resume from its last ID.
func TestSlowSubscriberIsDroppedNotWaitedFor(t *testing.T) {
	var b feed.Broadcaster
	slow, fast := b.Subscribe(2), b.Subscribe(10)
	for id := range int64(5) {
		b.Publish(ex(id + 1)) // would deadlock here if Publish waited for the slow subscriber
	}
	var got []int64
	for e := range slow.C {
		got = append(got, e.ID)
	}
	if fmt.Sprint(got) != "[1 2]" {
		t.Errorf("the slow subscriber got %v before being dropped, want [1 2]", got)
	}
	for want := int64(1); want <= 5; want++ {
		if e := <-fast.C; e.ID != want {
			t.Fatalf("the fast subscriber got %d, want %d", e.ID, want)
		}
	}
}

func TestCloseEndsEverySubscription(t *testing.T) {
	var b feed.Broadcaster
	s := b.Subscribe(1)
	b.Close()
	if _, ok := <-s.C; ok {
		t.Error("subscription open after Close")
	}
	late := b.Subscribe(1)
	if _, ok := <-late.C; ok {
		t.Error("a subscription made after Close is open")
	}
	late.Cancel()
	b.Publish(ex(1)) // no subscribers, no panic
}

// openStream connects to an event stream and returns its reader, once the stream's first line has
// arrived, i.e. once the server has subscribed.
func openStream(t *testing.T, url, lastEventID string) *feedtest.Reader {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	r := feedtest.NewReader(resp.Body)
	if line, _ := r.Line(); line != "retry: 1000" {
		t.Fatalf("first line %q", line)
	}
	return r
}

func TestStreamSendsLiveAndMissedExchanges(t *testing.T) {
	var b feed.Broadcaster
	recorded := []koomock.Exchange{ex(1), ex(2), ex(3)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		feed.Stream{
			Feed:  &b,
			Match: func(e *koomock.Exchange) bool { return e.ID != 2 && e.ID != 5 },
			Missed: func(_ context.Context, after int64) ([]koomock.Exchange, error) {
				var out []koomock.Exchange
				for _, e := range recorded {
					if e.ID > after {
						out = append(out, e)
					}
				}
				return out, nil
			},
			Encode: func(e *koomock.Exchange) ([]byte, error) {
				return fmt.Appendf(nil, "exchange %d\nline two\r\n", e.ID), nil
			},
		}.ServeHTTP(w, r)
	}))
	defer srv.Close()

	// A client coming back after exchange 1 first gets 3 (2 does not match), then live ones.
	stream := openStream(t, srv.URL, "1")
	e, ok := stream.Next()
	if !ok || e.ID != "3" || e.Name != feed.EventName || e.Data != "exchange 3\nline two" {
		t.Fatalf("caught-up event: %+v, %v", e, ok)
	}
	b.Publish(ex(3)) // already sent: skipped
	b.Publish(ex(4))
	b.Publish(ex(5)) // does not match
	b.Publish(ex(6))
	for _, want := range []string{"4", "6"} {
		if e, ok := stream.Next(); !ok || e.ID != want {
			t.Fatalf("live event %+v, %v; want id %s", e, ok, want)
		}
	}
	b.Close()
	if e, ok := stream.Next(); ok {
		t.Errorf("stream went on after the feed closed: %+v", e)
	}
}
