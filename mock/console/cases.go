package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// caseRow is one debug case as the list shows it.
type caseRow struct {
	koomock.DebugCase
	// Last is the latest replay; nil before the first.
	Last *koomock.CaseRun
	// Passed and Failed count the replays kept in the case's history.
	Passed, Failed int
}

// casesPage is what the debug cases page shows.
type casesPage struct {
	Cases    []caseRow
	Products []controlapi.Product
	// FreezeAfterDays is how many failing days in a row freeze a product.
	FreezeAfterDays int
}

// cases shows the debug cases with their latest replay, and the products with whether failed dial
// tests froze them.
func (c *Console) cases(r *http.Request) (any, error) {
	list, err := c.cfg.API.Cases(r.Context())
	if err != nil {
		return nil, err
	}
	products, err := c.cfg.API.Products(r.Context())
	if err != nil {
		return nil, err
	}
	p := casesPage{Products: products, FreezeAfterDays: controlapi.DialTestFreezeAfterDays}
	for _, dc := range list {
		row := caseRow{DebugCase: dc}
		for i := range dc.Runs {
			if dc.Runs[i].Passed {
				row.Passed++
			} else {
				row.Failed++
			}
		}
		if n := len(dc.Runs); n > 0 {
			row.Last = &dc.Runs[n-1]
		}
		p.Cases = append(p.Cases, row)
	}
	return p, nil
}

// casePage is what a debug case's page shows.
type casePage struct {
	Case koomock.DebugCase
	// Body is the callback replayed, indented.
	Body string
	// Runs are the replays, newest first.
	Runs []koomock.CaseRun
	// Product is the case's product, with whether it is frozen; nil when the catalog lacks it.
	Product         *controlapi.Product
	FreezeAfterDays int
}

// debugCase shows one debug case: the callback it replays and every replay, dial test or on demand.
func (c *Console) debugCase(r *http.Request) (any, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, controlapi.Errorf(controlapi.CodeInvalid, "case ID must be a number")
	}
	dc, err := c.cfg.API.Case(r.Context(), id)
	if err != nil {
		return nil, err
	}
	products, err := c.cfg.API.Products(r.Context())
	if err != nil {
		return nil, err
	}
	body, err := json.MarshalIndent(dc.Body, "", "  ")
	if err != nil {
		return nil, err
	}
	p := casePage{Case: dc, Body: string(body), Runs: slices.Clone(dc.Runs), FreezeAfterDays: controlapi.DialTestFreezeAfterDays}
	slices.Reverse(p.Runs)
	if i := slices.IndexFunc(products, func(pr controlapi.Product) bool { return pr.ProductID == dc.ProductID }); i >= 0 {
		p.Product = &products[i]
	}
	return p, nil
}

func casePath(id int64) string { return fmt.Sprintf("%s/cases/%d", Prefix, id) }

func (c *Console) saveCase(r *http.Request) (string, error) {
	id, err := formID(r, "exchangeId")
	if err != nil {
		return "", err
	}
	dc, err := c.cfg.API.SaveCase(r.Context(), controlapi.SaveCaseRequest{ExchangeID: id, Name: strings.TrimSpace(r.PostFormValue("name"))})
	if err != nil {
		return "", err
	}
	return casePath(dc.ID), nil
}

func (c *Console) replayCase(r *http.Request) (string, error) {
	id, err := formID(r, "caseId")
	if err != nil {
		return "", err
	}
	res, err := c.cfg.API.ReplayCase(r.Context(), id)
	if err != nil {
		return "", err
	}
	return casePath(res.Case.ID), nil
}

func (c *Console) deleteCase(r *http.Request) (string, error) {
	id, err := formID(r, "caseId")
	if err != nil {
		return "", err
	}
	return Prefix + "/cases", c.cfg.API.DeleteCase(r.Context(), id)
}

func (c *Console) dialTest(r *http.Request) (string, error) {
	_, err := c.cfg.API.DialTest(r.Context())
	return Prefix + "/cases", err
}

func (c *Console) unfreezeProduct(r *http.Request) (string, error) {
	id := strings.TrimSpace(r.PostFormValue("productId"))
	if id == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the product to unfreeze")
	}
	_, err := c.cfg.API.UnfreezeProduct(r.Context(), id)
	return Prefix + "/cases", err
}
