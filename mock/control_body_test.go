package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

// TestControlAPITakesJSONWhateverTheContentType: curl -d labels its body
// application/x-www-form-urlencoded, and the README's examples use it; the body is what counts.
func TestControlAPITakesJSONWhateverTheContentType(t *testing.T) {
	srv, api := newTestServer(t, nil)
	post := func(path, contentType, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL()+path, strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, raw
	}
	for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "", "application/json; charset=utf-8"} {
		if status, raw := post("/_mock/orders", ct, `{"periodType":"month"}`); status != http.StatusCreated {
			t.Errorf("a JSON order sent as %q: HTTP %d %s", ct, status, raw)
		}
	}
	if status, raw := post("/_mock/clock", "application/x-www-form-urlencoded", `{"mode":"real"}`); status != http.StatusOK {
		t.Errorf("a JSON clock sent as a form: HTTP %d %s", status, raw)
	}
	if c, err := api.Clock(context.Background()); err != nil || c.Virtual {
		t.Errorf("the clock after a form-labelled JSON body: %+v, %v", c, err)
	}

	// A real form is still refused, in the control API's format, saying what to send.
	status, raw := post("/_mock/orders", "application/x-www-form-urlencoded", "periodType=year")
	var body struct{ Error *controlapi.Error }
	if err := json.Unmarshal(raw, &body); err != nil || body.Error == nil || status != http.StatusBadRequest ||
		body.Error.Code != controlapi.CodeInvalid || !strings.Contains(body.Error.Message, "send a JSON body") {
		t.Errorf("a form body: HTTP %d %s; want 400 invalid saying to send JSON", status, raw)
	}
	assertNoLeak(t, string(raw))

	// And as printed in the README, with curl itself when there is one.
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Log("no curl: skipping the curl run")
		return
	}
	out, err := exec.Command(curl, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", srv.URL()+"/_mock/orders", "-d", `{"periodType":"month"}`).CombinedOutput()
	if err != nil || string(out) != "201" {
		t.Errorf("curl -d: %s, %v", out, err)
	}
}
