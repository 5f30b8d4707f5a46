package notify

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Reproduce signs d afresh at the notifier's current time (same probe, new nonce) and returns a
// ready-to-run curl command that sends it, so a seller can replay a failed exchange by hand within the
// 60 s signature window.
func (n *Notifier) Reproduce(ctx context.Context, d Callback) (string, error) {
	req, body, _, err := n.Build(ctx, d)
	if err != nil {
		return "", err
	}
	return Curl(req, body), nil
}

// Curl renders a request as a curl command line, shell-quoted.
func Curl(req *http.Request, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -i -X %s %s", req.Method, shellQuote(req.URL.String()))
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range req.Header[name] {
			fmt.Fprintf(&b, " \\\n  -H %s", shellQuote(name+": "+v))
		}
	}
	if len(body) > 0 {
		fmt.Fprintf(&b, " \\\n  --data-raw %s", shellQuote(string(body)))
	}
	return b.String()
}

// shellQuote wraps s in single quotes for POSIX shells.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
