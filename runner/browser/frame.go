package browser

import (
	"strings"

	"golang.org/x/net/html"
)

// Frames returns the addresses of the page's iframes, in document order, resolved against the page's
// URL: a browser loads each as a navigation of its own, with the same cookie jar, and so does Open.
func (p *Page) Frames() []string {
	doc, err := html.Parse(strings.NewReader(p.Body))
	if err != nil || p.URL == nil {
		return nil
	}
	var found []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "iframe" && hasAttr(n, "src") {
			if u, err := p.URL.Parse(attr(n, "src")); err == nil {
				found = append(found, u.String())
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}
