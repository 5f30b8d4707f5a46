package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/protocol"
)

// post sends body to url, with its length declared or (chunked) not, and returns the answer.
func post(t *testing.T, url string, body []byte, chunked bool) (int, string) {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // hides the length, so the client streams it
	}
	req, _ := http.NewRequest(http.MethodPost, url, r)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOversizedBodiesAre413BeforeAuthentication: a body over the limit is refused for its size, in
// the API's own format, before any signature, credential or admin token is looked at: an unsigned
// call gets 413, not 401.
func TestOversizedBodiesAre413BeforeAuthentication(t *testing.T) {
	srv, _ := newTestServer(t, func(c *mock.Config) { c.AdminToken = "admin-secret" })
	api := &controlapi.Client{BaseURL: srv.URL(), Token: "admin-secret"}
	big := bytes.Repeat([]byte("a"), inbound.MaxRequestBytes+1)
	for _, chunked := range []bool{false, true} {
		for _, c := range []struct{ name, path, want string }{
			{"open API behind API Gateway", protocol.UsagePushOldPath, `"error_code":"` + apig.CodeBadRequest + `"`},
			{"license API", protocol.PathLicenseActivateV1, `"error_msg":"` + apig.MsgTooLarge + `"`},
			{"usage push, signed by query", protocol.UsagePushPath, `"error_code":"` + string(protocol.MKTInputInvalid) + `"`},
			{"OAuth token", "/api/v1/oauth2/token", `"error":"invalid_request"`},
		} {
			status, body := post(t, srv.URL()+c.path, big, chunked)
			if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, c.want) {
				t.Errorf("%s (chunked %v): HTTP %d %s; want 413 with %s", c.name, chunked, status, body, c.want)
			}
		}
		// The control API, without its admin token: the size is refused before the token is asked for.
		status, body := post(t, srv.URL()+"/_mock/orders", bytes.Repeat([]byte("a"), controlapi.MaxRequestBytes+1), chunked)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, `"code":"too_large"`) {
			t.Errorf("control API (chunked %v): HTTP %d %s; want 413 too_large", chunked, status, body)
		}
	}
	// The refusal is journaled, with the reason.
	list, err := api.Exchanges(context.Background(), koomock.ExchangeFilter{Activity: "oauth2.token"})
	if err != nil || len(list) == 0 {
		t.Fatalf("journal: %v, %v", list, err)
	}
	e := list[0]
	if e.Response == nil || e.Response.Status != http.StatusRequestEntityTooLarge || !e.Failed() || e.Request.Body != "" {
		b, _ := json.Marshal(e)
		t.Errorf("journaled refusal: %s", b)
	}
	// A body at the limit is not refused for its size.
	if status, _ := post(t, srv.URL()+protocol.UsagePushOldPath, big[:inbound.MaxRequestBytes], false); status != http.StatusUnauthorized {
		t.Errorf("a body at the limit: HTTP %d, want the gateway's 401 for its missing signature", status)
	}
}
