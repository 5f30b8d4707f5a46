package saas

import (
	"context"
	"encoding/json"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/protocol"
)

// Forms of changeInstanceCheck's productInfo: the documented object, or the JSON string some
// implementations expect (spec saas-v2 §3.7, uncertain).
const (
	FormObject = "object"
	FormString = "string"
)

// productInfo renders a product as changeInstanceCheck carries it.
func productInfo(p fixtures.Product, linear int, form string) (any, error) {
	info := protocol.ProductInfo{ProductID: p.ID, SKUCode: p.SKUCode, LinearValue: linear, ProductName: p.Name}
	b, err := json.Marshal(info)
	if err != nil {
		return nil, err
	}
	if form == FormString {
		return string(b), nil
	}
	var obj map[string]any
	return obj, json.Unmarshal(b, &obj)
}

// changeCheck asks the seller whether the instance may change to a product at renewal. It is a
// synchronous question (a buyer waits on the answer), so it is sent once and not retried.
func (m *Market) changeCheck(ctx context.Context, in koomock.Instance, req controlapi.InstanceAction) (fixtures.Product, *koomock.Exchange, error) {
	if err := live(in); err != nil {
		return fixtures.Product{}, nil, err
	}
	id := req.ProductID
	if id == "" {
		id = m.otherProduct(in)
	}
	p, err := m.product(in, id)
	if err != nil {
		return p, nil, err
	}
	form := req.ProductInfoForm
	switch {
	case form == "" && m.Options.ProductInfoString:
		form = FormString
	case form == "":
		form = FormObject
	case form != FormObject && form != FormString:
		return p, nil, controlapi.Errorf(controlapi.CodeInvalid, `productInfoForm must be "object" or "string"`)
	}
	linear := req.LinearValue
	if linear == 0 {
		linear = in.LinearValue
	}
	info, err := productInfo(p, linear, form)
	if err != nil {
		return p, nil, err
	}
	out := m.callback(protocol.ChangeInstanceCheck, in, nil, map[string]any{protocol.FieldProductInfo: info})
	sent, err := m.Courier.Send(ctx, notify.Callback{
		Activity: out.d.Activity, URL: m.SellerURL, Key: m.AccessKey, Body: out.d.Body, InstanceID: in.ID,
	}, string(out.d.Activity))
	if err != nil {
		return p, nil, err
	}
	return p, sent[len(sent)-1], nil
}

func (m *Market) changeCheckAction(ctx context.Context, instanceID string, req controlapi.InstanceAction) (controlapi.ActionResult, error) {
	in, err := m.instance(ctx, instanceID)
	if err != nil {
		return controlapi.ActionResult{}, err
	}
	_, e, err := m.changeCheck(ctx, in, req)
	if err != nil {
		return controlapi.ActionResult{}, err
	}
	return controlapi.ActionResult{Instance: in, Exchanges: []*koomock.Exchange{e}}, nil
}

// renewalChange is a renewal to another product (续费变更): KooGallery first asks changeInstanceCheck
// and, when the seller allows it, renews with scene RENEWAL_CHANGE and the new productId (§3.3, §3.7).
// A refused check ends the action with that exchange and no order.
func (m *Market) renewalChange(ctx context.Context, instanceID string, req controlapi.InstanceAction) (controlapi.ActionResult, error) {
	in, err := m.instance(ctx, instanceID)
	if err != nil {
		return controlapi.ActionResult{}, err
	}
	if err := renewable(in); err != nil {
		return controlapi.ActionResult{}, err
	}
	if req.ProductID == "" {
		req.ProductID = m.otherProduct(in)
	}
	if req.ProductID == in.ProductID {
		return controlapi.ActionResult{}, controlapi.Errorf(controlapi.CodeInvalid, "a renewal change needs another product than %s", in.ProductID)
	}
	p, check, err := m.changeCheck(ctx, in, req)
	if err != nil {
		return controlapi.ActionResult{}, err
	}
	if !delivery.Succeeded(check) {
		return controlapi.ActionResult{Instance: in, Exchanges: []*koomock.Exchange{check}}, nil
	}
	return m.act(ctx, instanceID, req, func(ctx context.Context, in *koomock.Instance, req controlapi.InstanceAction) (*koomock.Order, []outgoing, error) {
		if err := renewable(*in); err != nil {
			return nil, nil, err
		}
		return m.renewTo(ctx, in, req, p, protocol.SceneRenewalChange, p.ID)
	}, []*koomock.Exchange{check})
}
