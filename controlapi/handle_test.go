package controlapi_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

func TestHandle(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	type req struct {
		Name string `json:"name"`
	}
	h := controlapi.Handle(logger, http.StatusCreated, func(_ *http.Request, r req) (map[string]string, error) {
		switch r.Name {
		case "refused":
			return nil, controlapi.Errorf(controlapi.CodeConflict, "refused on purpose")
		case "broken":
			return nil, errors.New("disk /var/secret full")
		}
		return map[string]string{"hello": r.Name}, nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	post := func(body string) (int, string) {
		t.Helper()
		resp, err := http.Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	tests := []struct {
		body   string
		status int
		want   string
	}{
		{`{"name":"x"}`, 201, `{"hello":"x"}`},
		{`{"nmae":"x"}`, 400, `unknown field \"nmae\"`},
		{`name=x`, 400, "send a JSON body"},
		{`{"name":"refused"}`, 409, "refused on purpose"},
		{`{"name":"broken"}`, 500, "its log has the details"},
	}
	for _, tt := range tests {
		status, body := post(tt.body)
		if status != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s: HTTP %d %s, want %d with %q", tt.body, status, body, tt.status, tt.want)
		}
		if strings.Contains(body, "/var/secret") {
			t.Errorf("%s: an internal error's text reached the client: %s", tt.body, body)
		}
	}
	if !strings.Contains(logs.String(), "disk /var/secret full") {
		t.Errorf("the internal error was not logged: %q", logs.String())
	}
}
