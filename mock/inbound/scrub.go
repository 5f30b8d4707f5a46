package inbound

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// masked replaces a secret wherever the journal would keep it.
const masked = "<masked>"

// credentialParams are the query and form parameters that carry a credential: OAuth codes and tokens,
// CAS tickets, client secrets and passwords. Their values never reach the journal, wherever they
// appear in the exchange (the URL, a body, a Location header, a CAS failure that echoes the ticket).
var credentialParams = []string{"client_secret", "password", "code", "refresh_token", "access_token", "ticket", "id_token"}

// credentialFields are the fields of a JSON answer that carry a credential (the token endpoint's).
var credentialFields = []string{"access_token", "refresh_token", "id_token"}

// minSecret is the shortest value scrubbed: shorter ones (a flag, a digit) would mask innocent text.
const minSecret = 6

// secretsOf collects the credentials a call carried or was given: its query and form parameters, its
// bearer token, the tokens of a JSON answer and the code or ticket of a redirect.
func secretsOf(req *http.Request, body []byte, answerHeader http.Header, answer []byte) []string {
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			if len(v) >= minSecret {
				out = append(out, v)
			}
		}
	}
	params := func(q url.Values) {
		for _, p := range credentialParams {
			add(q[p]...)
		}
	}
	if req.URL.RawQuery != "" {
		params(req.URL.Query())
	}
	if strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		// What parses of a form with a malformed pair: ParseQuery keeps the pairs it could read.
		form, _ := url.ParseQuery(string(body))
		params(form)
	}
	if scheme, token, ok := strings.Cut(req.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "bearer") {
		add(strings.TrimSpace(token))
	}
	if l := answerHeader.Get("Location"); l != "" {
		if loc, err := url.Parse(l); err == nil {
			params(loc.Query())
		}
	}
	if len(answer) > 0 && answer[0] == '{' && strings.Contains(string(answer), "_token") {
		var fields map[string]any
		if json.Unmarshal(answer, &fields) == nil {
			for _, f := range credentialFields {
				if s, ok := fields[f].(string); ok {
					add(s)
				}
			}
		}
	}
	return out
}

// scrubber replaces every secret, as it is and URL-encoded, with the mask.
func scrubber(secrets []string) *strings.Replacer {
	if len(secrets) == 0 {
		return nil
	}
	pairs := make([]string, 0, 4*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, masked)
		if q := url.QueryEscape(s); q != s {
			pairs = append(pairs, q, masked)
		}
	}
	return strings.NewReplacer(pairs...)
}

// scrubHeader returns h with every value scrubbed.
func scrubHeader(r *strings.Replacer, h http.Header) http.Header {
	for k, vs := range h {
		for i, v := range vs {
			vs[i] = r.Replace(v)
		}
		h[k] = vs
	}
	return h
}
