package runner

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	messages "github.com/cucumber/messages/go/v34"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

//go:embed report.html.tmpl
var reportFS embed.FS

var reportTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"dur": func(d time.Duration) string {
		switch {
		case d >= time.Second:
			return d.Round(time.Millisecond).String()
		case d >= time.Millisecond:
			return d.Round(100 * time.Microsecond).String()
		}
		return d.Round(time.Microsecond).String()
	},
	"headers": func(h map[string][]string) string {
		names := make([]string, 0, len(h))
		for k := range h {
			names = append(names, k)
		}
		slices.Sort(names)
		var b strings.Builder
		for _, k := range names {
			b.WriteString(k + ": " + strings.Join(h[k], ", ") + "\n")
		}
		return b.String()
	},
	// The language's functions; writeHTML gives a clone the reader's (these render English).
}).Funcs(languageFuncs(nil)).ParseFS(reportFS, "report.html.tmpl"))

// languageFuncs are the report's words in t's language: t renders a catalog key, why a verdict's
// message, fix a rule's fix, and status, class and outcome the names of scenario and verdict states.
func languageFuncs(t *i18n.Printer) template.FuncMap {
	return template.FuncMap{
		"t": t.T,
		// th is t for a message with markup of its own (a link); its arguments are escaped.
		"th": func(key string, args ...any) template.HTML {
			for i, a := range args {
				args[i] = template.HTMLEscapeString(fmt.Sprint(a))
			}
			return template.HTML(t.T(key, args...))
		},
		"why":     t.Why,
		"fix":     func(r koomock.Rule) string { return t.Fix(r) },
		"status":  func(s string) string { return t.T("status." + s) },
		"class":   func(c Class) string { return t.T("class." + c.String()) },
		"outcome": func(o koomock.Outcome) string { return t.T("outcome." + string(o)) },
		"reason":  func(reason string, why i18n.Text) string { return reasonIn(t, reason, why) },
	}
}

// htmlReport is what the report template shows: a summary, an index of the failures, the failed
// scenarios, the warnings, then the passed and skipped scenarios, collapsed.
type htmlReport struct {
	Lang                 string
	Generated            time.Time
	Seed                 int64
	Status               int
	Profile              Profile
	Seller               string
	Required, Optional   int
	Skipped, Ran, Failed int
	OptionalFailed       int
	SkipReasons          []ReasonCount
	Broken               []koomock.Rule
	Warnings             []Warning
	Harness              []string
	Readiness            *Readiness
	Stopped              bool
	TotalTime, Wall      time.Duration
	// Bar is the passed, warned, failed and skipped scenarios, as parts of the summary's bar.
	Bar []htmlBar
	// Index lists the failures, linking to their scenarios.
	Index []htmlIndexEntry
	// FailedScenarios, PassedScenarios and SkippedScenarios are the scenarios by outcome, in the order
	// they started.
	FailedScenarios, PassedScenarios, SkippedScenarios []htmlScenario
	Tags                                               []string
	Timeline                                           htmlTimeline
}

type htmlBar struct {
	Class, Label string
	Count        int
	Percent      float64
}

type htmlIndexEntry struct {
	Anchor, Scenario, Feature, Rules string
	Optional                         bool
}

type htmlScenario struct {
	ScenarioRecord
	Anchor  string
	Feature string
	URIBase string
	Warned  bool
	TagList string // space-separated, for the tag filter
	Steps   []htmlStep
}

// htmlStep is a step with the exchanges it shows: each exchange once per scenario, at the step that
// failed on it if one did, else at the first step that has it; the other steps link to it.
type htmlStep struct {
	*StepRecord
	Keyword   string
	Exchanges []*koomock.Exchange
	Elsewhere []int64
}

// writeHTML renders the report of a finished run.
func writeHTML(w io.Writer, res *Result, features map[string]*messages.Feature, keywords map[string]string) error {
	r := htmlReport{Lang: res.lang.Lang(), Generated: res.now(), Seed: res.Seed, Profile: res.Profile, Readiness: res.Readiness,
		SkipReasons: res.SkipReasons(), Broken: res.BrokenRules(), Harness: res.HarnessErrors(), Stopped: res.Stopped(),
		OptionalFailed: res.OptionalFailed(), Warnings: res.Warnings()}
	r.Required, r.Optional, r.Skipped = res.Classes()
	r.Ran, r.Failed = res.Scenarios()
	// The exit status is settled after godog writes its reports; until then, judge from the counts.
	switch {
	case len(r.Harness) > 0:
		r.Status = ExitHarness
	case r.Failed > 0 || (r.Readiness != nil && r.Readiness.Failed()):
		r.Status = ExitFailed
	}
	failures := map[string][]Failure{}
	for _, f := range res.Failures() {
		failures[f.scenarioID] = append(failures[f.scenarioID], f)
	}
	records := res.Records()
	tags := map[string]bool{}
	var counts [4]int // passed, warned, failed, skipped
	for i, rec := range records {
		sc := htmlScenario{ScenarioRecord: rec, Anchor: fmt.Sprintf("sc-%d", i+1), Feature: rec.URI, URIBase: path.Base(featureFile(rec.URI)),
			TagList: strings.Join(rec.Tags, " ")}
		if doc := features[rec.URI]; doc != nil {
			sc.Feature = doc.Name
		}
		advisoryWarnings(rec, func(koomock.Verdict, koomock.RuleInfo, int64) { sc.Warned = true })
		sc.Steps = placeExchanges(rec.Steps, keywords)
		for _, t := range rec.Tags {
			tags[t] = true
		}
		r.TotalTime += rec.Duration
		switch {
		case rec.Status == StatusFailed:
			counts[2]++
			r.FailedScenarios = append(r.FailedScenarios, sc)
			fs := failures[rec.ID]
			e := htmlIndexEntry{Anchor: sc.Anchor, Scenario: rec.Name, Feature: sc.URIBase, Optional: rec.Class == Optional, Rules: res.lang.T("html.notJudged")}
			if len(fs) > 0 {
				e.Rules = failureTitle(fs[0])
			}
			r.Index = append(r.Index, e)
		case rec.Status == StatusSkipped:
			counts[3]++
			r.SkippedScenarios = append(r.SkippedScenarios, sc)
		default:
			if sc.Warned {
				counts[1]++
			} else {
				counts[0]++
			}
			r.PassedScenarios = append(r.PassedScenarios, sc)
		}
	}
	for t := range tags {
		r.Tags = append(r.Tags, t)
	}
	slices.Sort(r.Tags)
	total := max(1, len(records))
	for i, b := range []htmlBar{{Class: "passed", Label: res.lang.T("html.bar.passed")}, {Class: "warned", Label: res.lang.T("html.bar.warned")},
		{Class: "failed", Label: res.lang.T("html.bar.failed")}, {Class: "skipped", Label: res.lang.T("html.bar.skipped")}} {
		b.Count, b.Percent = counts[i], 100*float64(counts[i])/float64(total)
		r.Bar = append(r.Bar, b)
	}
	r.Seller = sellerOf(res)
	r.Timeline, r.Wall = timeline(records)
	tmpl, err := reportTemplate.Clone()
	if err != nil {
		return err
	}
	return tmpl.Funcs(languageFuncs(res.lang)).Execute(w, r)
}

// placeExchanges gives each of a scenario's exchanges one home among its steps.
func placeExchanges(steps []*StepRecord, keywords map[string]string) []htmlStep {
	home := map[int64]int{}
	for i, st := range steps {
		for _, e := range st.Exchanges {
			if j, ok := home[e.ID]; !ok || (st.Status == StatusFailed && steps[j].Status != StatusFailed) {
				home[e.ID] = i
			}
		}
	}
	out := make([]htmlStep, len(steps))
	for i, st := range steps {
		out[i] = htmlStep{StepRecord: st, Keyword: keywords[st.AstID]}
		for _, e := range st.Exchanges {
			if home[e.ID] == i {
				out[i].Exchanges = append(out[i].Exchanges, e)
			} else {
				out[i].Elsewhere = append(out[i].Elsewhere, e.ID)
			}
		}
	}
	return out
}

// sellerOf names the seller the run judged: the URL readiness checked, else the URL koomock sent
// most of its callbacks to (the production interface, rather than the kit's or a license client's).
func sellerOf(res *Result) string {
	if res.Readiness != nil {
		return res.Readiness.URL
	}
	counts := map[string]int{}
	best := ""
	for _, e := range res.Exchanges() {
		if e.Direction != koomock.Outbound {
			continue
		}
		u := stripQuery(e.Request.URL)
		counts[u]++
		if counts[u] > counts[best] {
			best = u
		}
	}
	return best
}

// dedent removes the indentation Gherkin keeps on a description's lines.
func dedent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}
