package protocol

// Activity names the operation of a basic-interface callback, carried in the body field "activity".
// All basic interfaces share one URL (spec saas-v2 §1), so this field is the only way a seller tells
// them apart.
type Activity string

// The SaaS V2 basic activities (spec saas-v2 §3).
const (
	NewInstance          Activity = "newInstance"
	QueryInstance        Activity = "queryInstance"
	RefreshInstance      Activity = "refreshInstance"
	UpdateInstanceStatus Activity = "updateInstanceStatus"
	ReleaseInstance      Activity = "releaseInstance"
	UpgradeInstance      Activity = "upgradeInstance"
	ChangeInstanceCheck  Activity = "changeInstanceCheck"
)

// OrderNotify is the order notification (订单通知) of newer product lines: the same signature as the
// basic activities, sent only to products that opted in (spec saas-v2 §3.8). It is not one of the
// activities debug cases are made of.
const OrderNotify Activity = "orderNotify"

// The names of the SaaS open APIs a seller calls, in koomock's journal (and the console's filter).
const (
	SaaSAPIOrderQuery   Activity = "orderQuery"
	SaaSAPIUsagePush    Activity = "usagePush"
	SaaSAPIUsagePushOld Activity = "usagePushOld"
)

// SaaSActivities are the SaaS V2 basic activities: the callbacks debug cases and dial tests are
// made of (spec saas-v2 §1).
var SaaSActivities = []Activity{
	NewInstance, QueryInstance, RefreshInstance, UpdateInstanceStatus, ReleaseInstance, UpgradeInstance,
	ChangeInstanceCheck,
}

// Body field names shared by the basic activities.
const (
	FieldActivity    = "activity"
	FieldOrderID     = "orderId"
	FieldOrderLineID = "orderLineId"
	FieldBusinessID  = "businessId"
	FieldInstanceID  = "instanceId"
	FieldTestFlag    = "testFlag"
)

// TestFlagDebug marks a debug or dial-test call; the seller should do no real work for it
// (spec saas-v2 §1, testFlag).
const TestFlagDebug = "1"
