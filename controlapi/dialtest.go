package controlapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/koomock/koomock"
)

// SaveCaseRequest saves a passing exchange as a debug case.
type SaveCaseRequest struct {
	ExchangeID int64  `json:"exchangeId"`
	Name       string `json:"name,omitempty"`
}

// CaseResult is a debug case with the replay the request caused, if any.
type CaseResult struct {
	Case     koomock.DebugCase `json:"case"`
	Exchange *koomock.Exchange `json:"exchange,omitempty"`
}

// CaseList carries debug cases, oldest first.
type CaseList struct {
	Cases []koomock.DebugCase `json:"cases"`
}

// Product is a catalog product and whether it is on sale.
type Product struct {
	ProductID    string               `json:"productId"`
	SKUCode      string               `json:"skuCode"`
	ProductName  string               `json:"productName"`
	ChargingMode koomock.ChargingMode `json:"chargingMode"`
	State        koomock.ProductState `json:"state"`
}

// ProductList carries the catalog.
type ProductList struct {
	Products []Product `json:"products"`
}

// SaveCase saves a passing exchange as a debug case; KooGallery then replays it twice a day.
func (c *Client) SaveCase(ctx context.Context, req SaveCaseRequest) (koomock.DebugCase, error) {
	var r CaseResult
	err := c.do(ctx, http.MethodPost, "/_mock/cases", req, &r)
	return r.Case, err
}

// Cases returns every debug case, oldest first, each with its replay history.
func (c *Client) Cases(ctx context.Context) ([]koomock.DebugCase, error) {
	var r CaseList
	err := c.do(ctx, http.MethodGet, "/_mock/cases", nil, &r)
	return r.Cases, err
}

// DialTest runs a dial test now, as if one were due: every case of a product on sale is replayed
// and counts towards freezing its product. It returns the cases after their runs.
func (c *Client) DialTest(ctx context.Context) ([]koomock.DebugCase, error) {
	var r CaseList
	err := c.do(ctx, http.MethodPost, "/_mock/cases/replay", nil, &r)
	return r.Cases, err
}

// Case returns a debug case with its replay history.
func (c *Client) Case(ctx context.Context, id int64) (koomock.DebugCase, error) {
	var r CaseResult
	err := c.do(ctx, http.MethodGet, "/_mock/cases/"+strconv.FormatInt(id, 10), nil, &r)
	return r.Case, err
}

// DeleteCase deletes a debug case.
func (c *Client) DeleteCase(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, "/_mock/cases/"+strconv.FormatInt(id, 10), nil, nil)
}

// ReplayCase replays a debug case now, as the console's "replay" does.
func (c *Client) ReplayCase(ctx context.Context, id int64) (CaseResult, error) {
	var r CaseResult
	err := c.do(ctx, http.MethodPost, "/_mock/cases/"+strconv.FormatInt(id, 10)+"/replay", nil, &r)
	return r, err
}

// Products returns the catalog with each product's state.
func (c *Client) Products(ctx context.Context) ([]Product, error) {
	var r ProductList
	err := c.do(ctx, http.MethodGet, "/_mock/products", nil, &r)
	return r.Products, err
}

// UnfreezeProduct puts a frozen product on sale again, as KooGallery does once the seller fixed it.
func (c *Client) UnfreezeProduct(ctx context.Context, productID string) (Product, error) {
	var p Product
	err := c.do(ctx, http.MethodPost, "/_mock/products/"+url.PathEscape(productID)+"/unfreeze", nil, &p)
	return p, err
}
