package dialtest

import "github.com/go-chi/chi/v5"

// ControlRoutes mounts the debug cases (/cases) and the products (/products) on r, the server's /_mock
// router.
func (t *Tester) ControlRoutes(r chi.Router) {
	r.Mount("/cases", t.caseRoutes())
	r.Mount("/products", t.productRoutes())
}

// PublicRoutes mounts nothing: dial tests go out to the seller.
func (t *Tester) PublicRoutes(chi.Router) {}
