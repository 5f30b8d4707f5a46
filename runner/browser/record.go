package browser

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Response is one answer a navigation got, a redirect's included: what a page's checks of headers
// (framing, cookies) read, since a redirect's Set-Cookie is stored as the final page's is.
type Response struct {
	URL    *url.URL
	Status int
	Header http.Header
}

// recorder notes every answer the browser's client gets.
type recorder struct {
	next http.RoundTripper
	b    *Browser
}

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	next := r.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err == nil {
		r.b.responses = append(r.b.responses, Response{URL: req.URL, Status: resp.StatusCode, Header: resp.Header.Clone()})
	}
	return resp, err
}

// loopbackSecure is a cookie jar that treats http://localhost and loopback addresses as secure
// contexts, as Chromium and Firefox do: a Secure cookie set by an app on http://127.0.0.1 is stored
// and sent back, so an app that marks its session cookie SameSite=None; Secure for the workbench's
// iframe keeps working when tested on one machine over plain HTTP.
type loopbackSecure struct{ http.CookieJar }

func (j loopbackSecure) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.CookieJar.SetCookies(trustworthy(u), cookies)
}

func (j loopbackSecure) Cookies(u *url.URL) []*http.Cookie {
	return j.CookieJar.Cookies(trustworthy(u))
}

// trustworthy is u as the jar should see it: https for a loopback host.
func trustworthy(u *url.URL) *url.URL {
	if u.Scheme != "http" || !Loopback(u.Hostname()) {
		return u
	}
	c := *u
	c.Scheme = "https"
	return &c
}

// Loopback reports whether host is localhost or a loopback address, which browsers treat as a secure
// context even over plain HTTP.
func Loopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
