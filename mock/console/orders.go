package console

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// ordersShown is how many orders the orders page lists.
const ordersShown = 100

// ordersPage is what the orders page shows.
type ordersPage struct {
	Orders []koomock.Order
	// Products are the catalog, to buy a particular product.
	Products []controlapi.Product
}

// orders shows the buy and probe forms and the newest orders.
func (c *Console) orders(r *http.Request) (any, error) {
	orders, err := c.cfg.API.Orders(r.Context(), ordersShown)
	if err != nil {
		return nil, err
	}
	products, err := c.cfg.API.Products(r.Context())
	return ordersPage{Orders: orders, Products: products}, err
}

// orderPage is what an order's page shows.
type orderPage struct {
	controlapi.Purchase
	History exchangeTable
}

// order shows one order, its instance and every exchange about it, live.
func (c *Console) order(r *http.Request) (any, error) {
	id := chi.URLParam(r, "orderID")
	p, err := c.cfg.API.Order(r.Context(), id)
	if err != nil {
		return nil, err
	}
	q := koomock.ExchangeFilter{OrderID: id}
	rows, err := c.cfg.API.Exchanges(r.Context(), q)
	if err != nil {
		return nil, err
	}
	return orderPage{Purchase: p, History: liveTable(rows, q, "order.noExchange")}, nil
}
