// Package browser plays a user's web browser for the login features: real HTTP, a cookie jar,
// redirects followed, HTML forms parsed and submitted as a browser submits them. No JavaScript runs,
// so a login page must work as plain HTML, as KooGallery's unified login form does.
package browser

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// maxPageBytes caps how much of a page is read.
const maxPageBytes = 4 << 20

// maxRedirects is how many redirects a navigation follows, as browsers bound it.
const maxRedirects = 20

// Browser is one user's browser: its cookies persist across navigations.
type Browser struct {
	client *http.Client
	// hops collects the URLs a navigation passed through, responses the answers it got.
	hops      []string
	responses []Response
}

// Timeout bounds each navigation, redirects included: a page that never loads fails the step
// instead of hanging the run.
const Timeout = 30 * time.Second

// New returns a browser with an empty cookie jar. transport may be nil (http.DefaultTransport).
func New(transport http.RoundTripper) *Browser {
	jar, _ := cookiejar.New(nil) // never fails without options
	b := &Browser{}
	b.client = &http.Client{
		Jar: loopbackSecure{jar}, Transport: recorder{next: transport, b: b}, Timeout: Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			b.hops = append(b.hops, req.URL.String())
			return nil
		},
	}
	return b
}

// Page is where a navigation ended.
type Page struct {
	URL    *url.URL
	Status int
	Body   string
	// Hops are the URLs the navigation went through, the first request's included, in order.
	Hops []string
	// Responses are the answers the navigation got, redirects included, in order.
	Responses []Response
}

// Open navigates to rawURL, following redirects.
func (b *Browser) Open(ctx context.Context, rawURL string) (*Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	return b.do(req)
}

func (b *Browser) do(req *http.Request) (*Page, error) {
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	req.Header.Set("User-Agent", "koomock-browser/1")
	b.hops, b.responses = []string{req.URL.String()}, nil
	resp, err := b.client.Do(req)
	if err != nil {
		return &Page{Hops: b.hops, Responses: b.responses}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes))
	p := &Page{URL: resp.Request.URL, Status: resp.StatusCode, Body: string(body), Hops: b.hops, Responses: b.responses}
	if err != nil {
		return p, fmt.Errorf("read %s: %w", p.URL, err)
	}
	return p, nil
}

// Cookies returns the cookies the browser would send to rawURL.
func (b *Browser) Cookies(rawURL string) []*http.Cookie {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil
	}
	return b.client.Jar.Cookies(u)
}

// Form is an HTML form as a browser would submit it.
type Form struct {
	Action *url.URL
	Method string
	// Values are the fields' current values (hidden fields and defaults included).
	Values url.Values
	// Fields names every input, in document order.
	Fields []string
}

// ErrNoForm is returned when a page has no form.
var ErrNoForm = errors.New("the page has no form")

// Form parses the page's first form.
func (p *Page) Form() (*Form, error) {
	doc, err := html.Parse(strings.NewReader(p.Body))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", p.URL, err)
	}
	var form *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if form != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" {
			form = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		return nil, ErrNoForm
	}
	f := &Form{Method: strings.ToUpper(attr(form, "method")), Values: url.Values{}}
	if f.Method == "" {
		f.Method = http.MethodGet
	}
	action, err := p.URL.Parse(attr(form, "action"))
	if err != nil {
		return nil, fmt.Errorf("form action %q: %w", attr(form, "action"), err)
	}
	f.Action = action
	var inputs func(*html.Node)
	inputs = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "input" || n.Data == "textarea" || n.Data == "select") {
			name := attr(n, "name")
			typ := strings.ToLower(attr(n, "type"))
			if name != "" && typ != "submit" && typ != "button" && typ != "image" && typ != "reset" {
				f.Fields = append(f.Fields, name)
				if (typ != "checkbox" && typ != "radio") || hasAttr(n, "checked") {
					f.Values.Set(name, attr(n, "value"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			inputs(c)
		}
	}
	inputs(form)
	return f, nil
}

// Has reports whether the form has a field.
func (f *Form) Has(name string) bool {
	for _, n := range f.Fields {
		if n == name {
			return true
		}
	}
	return false
}

// Submit fills in the given fields and submits the form, following redirects.
func (b *Browser) Submit(ctx context.Context, f *Form, fill map[string]string) (*Page, error) {
	values := url.Values{}
	for k, v := range f.Values {
		values[k] = append([]string(nil), v...)
	}
	for k, v := range fill {
		if !f.Has(k) {
			return nil, fmt.Errorf("the form at %s has no field %q (fields: %v)", f.Action, k, f.Fields)
		}
		values.Set(k, v)
	}
	var req *http.Request
	var err error
	if f.Method == http.MethodPost {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, f.Action.String(), strings.NewReader(values.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		u := *f.Action
		u.RawQuery = values.Encode()
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	}
	if err != nil {
		return nil, err
	}
	return b.do(req)
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}

// Link returns the target of the page's first link whose address or text contains word
// (case-insensitive), resolved against the page's URL.
func (p *Page) Link(word string) (string, bool) {
	doc, err := html.Parse(strings.NewReader(p.Body))
	if err != nil {
		return "", false
	}
	word = strings.ToLower(word)
	var found string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode && n.Data == "a" {
			href := attr(n, "href")
			if strings.Contains(strings.ToLower(href), word) || strings.Contains(strings.ToLower(text(n)), word) {
				if u, err := p.URL.Parse(href); err == nil {
					found = u.String()
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found, found != ""
}

func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return b.String()
}
