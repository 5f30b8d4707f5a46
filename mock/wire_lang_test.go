package mock_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/apig"
	"github.com/koomock/koomock/protocol"
)

// TestWireTextsAreNeverTranslated: KooGallery's own texts on the wire (APIG's error messages, the
// open APIs' result messages) are the protocol, so a seller whose client sends Accept-Language zh-CN,
// or a koomock whose console and reports speak Chinese, still gets them byte for byte.
func TestWireTextsAreNeverTranslated(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	call := func(query, sk string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL()+protocol.OrderQueryPath+"?"+query, nil)
		req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
		req.AddCookie(&http.Cookie{Name: "koomock_lang", Value: "zh-CN"})
		protocol.SignAPIGRequest(req, nil, fixtures.DemoAK, sk, time.Now())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	status, body := call("orderId=X&orderLineId=X-1", "wrong-sk")
	if status != http.StatusUnauthorized || !strings.Contains(body, apig.MsgAuthFailed) || hasHan(body) {
		t.Errorf("a badly signed call from a Chinese client: HTTP %d %s, want 401 with %q", status, body, apig.MsgAuthFailed)
	}
	if _, body := call("orderId=NOPE&orderLineId=NOPE-1", fixtures.DemoSK); hasHan(body) {
		t.Errorf("an order query from a Chinese client was answered in Chinese: %s", body)
	}

}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}
