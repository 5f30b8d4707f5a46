package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/koomock/koomock/i18n"
)

// Product is the kind of KooGallery product a seller sells; it decides which areas of the production
// interface KooGallery exercises (docs/tags.md).
type Product string

// The products of KooGallery's interface matrices (spec saas-v2 §3.9, license-login §4.5).
const (
	// ProductSaaS is a general or self-service SaaS product (通用/自服务): the basic interfaces only.
	ProductSaaS Product = "saas"
	// ProductJoint is a joint-operation SaaS product (联营): the basic interfaces, the kit syncs and the
	// login through KooGallery's identity provider.
	ProductJoint Product = "joint"
	// ProductLicense is a License 2.0 product (联营License类授权码): the license-code callbacks and the
	// seller's software calling activate and query.
	ProductLicense Product = "license"
	// ProductAll is every product at once: what the bundled reference seller implements, so that
	// verifying it exercises the whole suite. No real product is all of them.
	ProductAll Product = "all"
)

// Area tags: which part of the production interface a scenario exercises.
const (
	TagSaaS    = "@saas"
	TagKit     = "@kit"
	TagLogin   = "@login"
	TagLicense = "@license"
)

// Kind tags.
const (
	TagOptional = "@optional"
	TagProbe    = "@probe"
	TagFailure  = "@failure"
	TagSlow     = "@slow"
)

// needsPrefix starts a requirement tag: @needs-kit-key needs the setting kit-key (--kit-key).
const needsPrefix = "@needs-"

// productAreas are the areas each product has; a scenario of another area never runs for it.
var productAreas = map[Product][]string{
	ProductSaaS:    {TagSaaS},
	ProductJoint:   {TagSaaS, TagKit, TagLogin},
	ProductLicense: {TagLicense, TagDeploy},
	ProductAll:     {TagSaaS, TagKit, TagLogin, TagLicense, TagDeploy},
}

// productNames are shown in the summary.
var productNames = map[Product]string{
	ProductSaaS:    "general SaaS",
	ProductJoint:   "joint-operation SaaS",
	ProductLicense: "License 2.0",
	ProductAll:     "every product (joint-operation SaaS and License 2.0)",
}

// areaOwners says, for a skipped scenario, which products its area belongs to.
var areaOwners = map[string]string{
	TagSaaS:    "SaaS products (--profile saas or joint)",
	TagKit:     "joint-operation SaaS products (--profile joint)",
	TagLogin:   "joint-operation SaaS products (--profile joint)",
	TagLicense: "License products (--profile license)",
	TagDeploy:  "License products with automatic deployment (--profile license)",
}

// areaKeys and productKeys name areaOwners' and productNames' texts in the message catalog, so
// that a skip reason renders them in the reader's language; a test keeps them in step.
var (
	areaKeys = map[string]string{
		TagSaaS: "area.saas", TagKit: "area.joint", TagLogin: "area.joint", TagLicense: "area.license", TagDeploy: "area.deploy",
	}
	productKeys = map[Product]string{
		ProductSaaS: "product.saas", ProductJoint: "product.joint", ProductLicense: "product.license", ProductAll: "product.all",
	}
)

// modeTags are the charging-mode tags, in the order they are shown.
var modeTags = []string{"@period", "@onetime", "@ondemand", "@package", "@trial"}

// capabilityTags are the optional capabilities a seller may declare.
var capabilityTags = []string{"@async", "@upgrade", "@changeCheck", "@bodySign", "@orderNotify"}

// profileWords maps the words of --profile to a product, a mode tag or a capability tag.
var profileWords = map[string]string{
	"saas": "product:saas", "general": "product:saas",
	"joint": "product:joint", "joint-operation": "product:joint",
	"license": "product:license",
	"all":     "product:all",
	"period":  "@period", "yearly": "@period", "monthly": "@period", "daily": "@period",
	"onetime": "@onetime", "one-time": "@onetime",
	"ondemand": "@ondemand", "on-demand": "@ondemand",
	"package": "@package", "trial": "@trial",
	"async": "@async", "upgrade": "@upgrade",
	"changecheck": "@changeCheck", "change-check": "@changeCheck",
	"bodysign": "@bodySign", "body-sign": "@bodySign",
	"ordernotify": "@orderNotify", "order-notify": "@orderNotify",
	"onetime-updates": "switch:onetime-updates",
}

// oneTimeUpdateTags are the interfaces whose charging-mode columns in KooGallery's matrix are
// UNCERTAIN (spec saas-v2 §3.9): by default they do not apply to one-time products; the profile word
// onetime-updates makes them apply.
var oneTimeUpdateTags = []string{"@refreshInstance", "@updateInstanceStatus"}

// defaultModes are the charging modes assumed when a profile names none.
var defaultModes = map[Product][]string{
	ProductSaaS:    {"@period", "@onetime"},
	ProductJoint:   {"@period", "@onetime"},
	ProductLicense: {"@period"},
	ProductAll:     {"@period", "@onetime", "@ondemand", "@package", "@trial"},
}

// DefaultProfile is what a seller who gives only --seller-url and --access-key is taken to sell:
// general SaaS, yearly/monthly and one-time.
const DefaultProfile = "saas,period,onetime"

// Profile is what the seller declares about their product: which product, sold in which charging
// modes, with which optional capabilities. It decides which scenarios are required, optional or
// skipped, from the scenarios' tags alone (docs/tags.md).
type Profile struct {
	Product      Product
	Modes        []string // mode tags, e.g. "@period"
	Capabilities []string // capability tags, e.g. "@upgrade"
	// OneTimeUpdates makes refreshInstance and updateInstanceStatus apply to one-time products too
	// (profile word onetime-updates), for the other reading of the UNCERTAIN matrix in §3.9.
	OneTimeUpdates bool
}

// ParseProfile reads a profile: comma-separated words naming at most one product (saas, joint,
// license), charging modes (period, onetime, ondemand, package, trial) and capabilities (async,
// upgrade, changeCheck, bodySign). "all" is every product at once, for the bundled reference seller.
// Missing parts take defaults: product saas, and the product's
// usual modes. An empty string is DefaultProfile.
func ParseProfile(s string) (Profile, error) {
	var p Profile
	for w := range strings.SplitSeq(s, ",") {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		v, ok := profileWords[strings.ToLower(w)]
		if !ok {
			return Profile{}, fmt.Errorf("profile word %q is unknown; %s", w, profileHint)
		}
		switch {
		case v == "switch:onetime-updates":
			p.OneTimeUpdates = true
		case strings.HasPrefix(v, "product:"):
			prod := Product(strings.TrimPrefix(v, "product:"))
			if p.Product != "" && p.Product != prod {
				return Profile{}, fmt.Errorf("profile %q names two products (%s and %s); a product is one of saas, joint or license", s, p.Product, prod)
			}
			p.Product = prod
		case slices.Contains(modeTags, v):
			if !slices.Contains(p.Modes, v) {
				p.Modes = append(p.Modes, v)
			}
		default:
			if !slices.Contains(p.Capabilities, v) {
				p.Capabilities = append(p.Capabilities, v)
			}
		}
	}
	if p.Product == "" {
		p.Product = ProductSaaS
	}
	if len(p.Modes) == 0 {
		p.Modes = slices.Clone(defaultModes[p.Product])
	}
	return p, nil
}

const profileHint = "a profile is comma-separated words: a product (saas, joint, license, or all), charging modes " +
	"(period, onetime, ondemand, package, trial) and capabilities (async, upgrade, changeCheck, bodySign, orderNotify, " +
	"and onetime-updates for the other reading of the §3.9 matrix), " +
	`e.g. "joint,period,upgrade"`

// String is the profile in ParseProfile's syntax.
func (p Profile) String() string {
	words := []string{string(p.Product)}
	for _, t := range p.Modes {
		words = append(words, strings.TrimPrefix(t, "@"))
	}
	for _, t := range p.Capabilities {
		words = append(words, strings.TrimPrefix(t, "@"))
	}
	if p.OneTimeUpdates {
		words = append(words, "onetime-updates")
	}
	return strings.Join(words, ",")
}

// Describe is the profile in words, for the summary.
func (p Profile) Describe() string {
	caps := "none"
	if len(p.Capabilities) > 0 {
		caps = strings.Join(p.Capabilities, " ")
	}
	return fmt.Sprintf("%s sold %s; optional capabilities: %s", productNames[p.Product], strings.Join(p.Modes, " "), caps)
}

// Class is what a profile makes of a scenario.
type Class int

const (
	// Required scenarios must pass: a failure fails the run.
	Required Class = iota
	// Optional scenarios run and are reported, but a failure does not fail the run: KooGallery lists
	// the interface as optional and the profile does not claim it.
	Optional
	// Skipped scenarios do not apply to the product or lack a setting; Verdict.Reason says which.
	Skipped
)

// String is the class as reports name it: required, optional or skipped.
func (c Class) String() string {
	return [...]string{"required", "optional", "skipped"}[c]
}

// Verdict is the classification of one scenario, with the reason when it is skipped or optional.
type Verdict struct {
	Class  Class
	Reason string
	// Why is Reason with its catalog key, for reports in another language.
	Why i18n.Text
}

// because is a verdict of class c with its reason, the catalog's key with its arguments.
func because(c Class, key string, args ...any) Verdict {
	why := i18n.Say(key, args...)
	return Verdict{Class: c, Reason: why.English, Why: why}
}

// Have reports whether a setting (a koomock verify flag name, e.g. "kit-key") is configured. A nil
// Have treats every setting as configured.
type Have func(setting string) bool

// impliedNeeds are the settings some tags need without saying so, keyed by tag. A scenario may also
// name a setting itself: @needs-kit-key.
var impliedNeeds = map[string][]string{
	TagKit:              {"kit-key"},
	TagLogin:            {"seller-login-url"},
	"@licenseActivate":  {"license-client-cmd"},
	"@licenseHeartbeat": {"license-client-cmd"},
	"@licenseUsage":     {"license-client-cmd"},
	TagDeploy:           {"deploy-package", "deploy-template"},
}

// needWhy explains, for a skipped scenario, what a setting is for: the catalog's key of the phrase.
var needWhy = map[string]string{
	"kit-key":            "need.kitKey",
	"seller-login-url":   "need.sellerLoginURL",
	"license-client-cmd": "need.licenseClientCmd",
	"mock-addr":          "need.mockAddr",
	"deploy-package":     "need.deployPackage",
	"deploy-template":    "need.deployTemplate",
}

// Needs returns the settings a scenario with these tags needs: those its tags imply and those it names
// with @needs-SETTING, in a stable order.
func Needs(tags []string) []string {
	var out []string
	for _, t := range tags {
		for _, n := range impliedNeeds[t] {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
		if n, ok := strings.CutPrefix(t, needsPrefix); ok && n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// Classify decides what the profile makes of a scenario with these tags (the feature's and the
// scenario's together). In order: a scenario of an area the product does not have is skipped; one
// tagged with charging modes is skipped unless the product is sold in one of them; one tagged with a
// capability is skipped unless the profile declares it, and is required when it does; one that needs
// a setting that is not configured is skipped; what remains is optional when tagged @optional and
// required otherwise.
func (p Profile) Classify(tags []string, have Have) Verdict {
	areas := productAreas[p.Product]
	for _, t := range tags {
		if _, isArea := areaOwners[t]; isArea && !slices.Contains(areas, t) {
			return because(Skipped, "skip.area", t, i18n.Phrase(areaKeys[t]), i18n.Phrase(productKeys[p.Product]))
		}
	}
	var modes []string
	for _, t := range tags {
		if slices.Contains(modeTags, t) {
			modes = append(modes, t)
		}
	}
	if p.OneTimeUpdates && slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(oneTimeUpdateTags, t) }) {
		modes = append(modes, "@onetime")
	}
	if len(modes) > 0 && !slices.ContainsFunc(modes, func(m string) bool { return slices.Contains(p.Modes, m) }) {
		if len(modes) == 1 {
			return because(Skipped, "skip.mode", modes[0], strings.Join(p.Modes, " "))
		}
		last := len(modes) - 1
		return because(Skipped, "skip.modes", strings.Join(modes[:last], ", "), modes[last], strings.Join(p.Modes, " "))
	}
	claimed := false
	for _, t := range tags {
		if !slices.Contains(capabilityTags, t) {
			continue
		}
		if !slices.Contains(p.Capabilities, t) {
			return because(Skipped, "skip.capability", t, strings.TrimPrefix(t, "@"))
		}
		claimed = true
	}
	for _, n := range Needs(tags) {
		if have != nil && !have(n) {
			if why := needWhy[n]; why != "" {
				return because(Skipped, "skip.needsWhy", n, i18n.Phrase(why))
			}
			return because(Skipped, "skip.needs", n)
		}
	}
	if slices.Contains(tags, TagOptional) && !claimed {
		return because(Optional, "optional.listed")
	}
	return Verdict{Class: Required}
}

// withoutFailures adds "~@failure" to every alternative of a godog tag filter, so the scripted
// failure scenarios run only when the filter asks for them by name.
func withoutFailures(filter string) string {
	if strings.Contains(filter, TagFailure) {
		return filter
	}
	if strings.TrimSpace(filter) == "" {
		return "~" + TagFailure
	}
	terms := strings.Split(filter, ",")
	for i, t := range terms {
		terms[i] = strings.TrimSpace(t) + " && ~" + TagFailure
	}
	return strings.Join(terms, ",")
}
