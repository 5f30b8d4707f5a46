package protocol

// OrderQueryPath is the order query API: GET with orderId and, optionally, orderLineId (spec saas-v2
// §6.2). A V2 seller calls it on newInstance, upgradeInstance and refreshInstance to learn what was
// bought, because those callbacks carry no customer or product data.
const OrderQueryPath = "/api/mkp-openapi-public/global/v1/order/query"

// Query parameters of the order query.
const (
	QueryOrderID     = "orderId"
	QueryOrderLineID = "orderLineId"
)

// OrderTimeLayout is the layout of createTime and expireTime in the order query: yyyyMMddHHmmss, UTC.
const OrderTimeLayout = ExpireTimeLayout

// OrderQueryResult is the order query's answer. Fields beyond the spec's solid ones (orderId,
// orderType, createTime, orderLine, chargingMode, expireTime) follow related pages and are
// documented as koomock's choice in openapi/marketplace.yaml.
type OrderQueryResult struct {
	ResultCode string     `json:"resultCode"`
	ResultMsg  string     `json:"resultMsg"`
	OrderInfo  *OrderInfo `json:"orderInfo,omitempty"`
}

// OrderInfo is one order.
type OrderInfo struct {
	OrderID      string        `json:"orderId"`
	OrderType    string        `json:"orderType"`
	CreateTime   string        `json:"createTime"`
	OrderLine    []OrderLine   `json:"orderLine"`
	BuyerInfo    *BuyerInfo    `json:"buyerInfo,omitempty"`
	ExtendParams []ExtendParam `json:"extendParams,omitempty"`
}

// OrderLine is one line of an order.
type OrderLine struct {
	OrderLineID  string        `json:"orderLineId"`
	ChargingMode string        `json:"chargingMode"`
	ExpireTime   string        `json:"expireTime,omitempty"`
	PeriodType   string        `json:"periodType,omitempty"`
	PeriodNumber int           `json:"periodNumber,omitempty"`
	ProductInfo  []ProductInfo `json:"productInfo"`
}

// BuyerInfo identifies the buyer.
type BuyerInfo struct {
	CustomerID   string `json:"customerId"`
	CustomerName string `json:"customerName,omitempty"`
	UserID       string `json:"userId,omitempty"`
	UserName     string `json:"userName,omitempty"`
	MobilePhone  string `json:"mobilePhone,omitempty"`
	Email        string `json:"email,omitempty"`
}

// ExtendParam is one purchase-time parameter the buyer filled in, as key and value.
type ExtendParam struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}
