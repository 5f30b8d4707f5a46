package console

import (
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// langCookie remembers the language a user chose with the console's switch; without it, the browser's
// Accept-Language decides.
const langCookie = "koomock_lang"

// langChoice is one entry of the language switch: the language's tag and its name in itself.
type langChoice struct {
	Tag, Name string
	Current   bool
}

// lang is the language of the page r asks for: the user's choice, else the browser's.
func lang(r *http.Request) *i18n.Printer {
	chosen := ""
	if c, err := r.Cookie(langCookie); err == nil {
		chosen = c.Value
	}
	return i18n.FromRequest(chosen, r.Header.Get("Accept-Language"))
}

// languageFuncs are the templates' words in t's language: t renders a catalog key, why a verdict's
// message, fix a rule's fix. The parsed templates carry the English ones; render gives a clone the
// request's.
func languageFuncs(t *i18n.Printer) template.FuncMap {
	return template.FuncMap{
		// t's texts are koomock's own, markup-free but with apostrophes and arrows as they are; what is
		// put into them (an ID, a probe's name) is escaped.
		"t": func(key string, args ...any) template.HTML {
			for i, a := range args {
				args[i] = template.HTMLEscapeString(fmt.Sprint(a))
			}
			return template.HTML(t.T(key, args...))
		},
		// tc is t with its arguments set as code: a flag, a command, an environment variable, kept verbatim.
		"tc": func(key string, args ...any) template.HTML {
			for i, a := range args {
				args[i] = "<code>" + template.HTMLEscapeString(fmt.Sprint(a)) + "</code>"
			}
			return template.HTML(t.T(key, args...))
		},
		// state names a state or status of kind (order, instance, delivery, license) as its badge says
		// it; a value koomock has no name for is shown as it is.
		"state": func(kind string, v any) string {
			if key, ok := stateKeys[kind+"."+fmt.Sprint(v)]; ok {
				return t.T(key)
			}
			return fmt.Sprint(v)
		},
		"why":         t.Why,
		"summary":     t.Diagnosis,
		"fix":         func(r koomock.Rule) string { return t.Fix(r) },
		"outcomeName": func(o koomock.Outcome) string { return t.T("outcome." + string(o)) },
	}
}

// stateKeys are the catalog keys of the states' names, by kind and value.
var stateKeys = map[string]string{
	"order.pending": "state.order.pending", "order.delivered": "state.order.delivered",
	"order.failed": "state.order.failed", "order.refunded": "state.order.refunded",
	"instance.creating": "state.instance.creating", "instance.active": "state.instance.active",
	"instance.frozen": "state.instance.frozen", "instance.released": "state.instance.released",
	"instance.failed":  "state.instance.failed",
	"delivery.pending": "state.delivery.pending", "delivery.retrying": "state.delivery.retrying",
	"delivery.delivered": "state.delivery.delivered", "delivery.failed": "state.delivery.failed",
	"delivery.all":   "state.delivery.all",
	"license.active": "state.license.active", "license.frozen": "state.license.frozen",
	"license.released": "state.license.released",
}

// choices is the language switch of a page in t's language.
func choices(t *i18n.Printer) []langChoice {
	var out []langChoice
	for _, tag := range i18n.Languages() {
		p := i18n.For(tag)
		out = append(out, langChoice{Tag: p.Lang(), Name: p.T("lang.name"), Current: p.Lang() == t.Lang()})
	}
	return out
}

// handleLang remembers the language chosen with the switch for a year, then goes back to the page the
// switch was on. A value koomock does not speak forgets the choice: the browser's language applies.
func (c *Console) handleLang(w http.ResponseWriter, r *http.Request) {
	cookie := &http.Cookie{Name: langCookie, Path: Prefix + "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if tag, ok := i18n.Parse(r.PostFormValue("lang")); ok {
		cookie.Value, cookie.MaxAge = i18n.For(tag).Lang(), int((365 * 24 * time.Hour).Seconds())
	} else {
		cookie.MaxAge = -1
	}
	http.SetCookie(w, cookie)
	back := safeBack(r.PostFormValue("back"))
	if back == "" {
		back = Prefix + "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
