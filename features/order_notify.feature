@saas @orderNotify @period
Feature: Order notification (orderNotify)
  Newer product lines that opt in receive orderNotify (订单通知) about their orders: the same V2
  signature as the basic activities, a body of activity, orderId, orderLineId and testFlag. The seller
  looks the order up and acknowledges it with 000000. Only products that declare it run these
  scenarios (koomock verify --profile ...,orderNotify). (spec saas-v2 §3.8)

  @needs-mock-addr
  Scenario: The seller takes an order notification
    When a buyer pays for a yearly order
    And KooGallery notifies the seller of the order
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the seller looked the order up with a correctly signed order query

  @probe
  Scenario: An order notification with a tampered signature is refused
    When KooGallery sends orderNotify with a tampered signature
    Then the seller refuses it as a bad signature

  @probe
  Scenario: An order notification with a stale timestamp is refused
    When KooGallery sends orderNotify with a timestamp 10 minutes old
    Then the seller refuses it as a stale timestamp

  @probe
  Scenario: An order notification without its order is refused
    When KooGallery sends orderNotify without the mandatory field "orderId"
    Then the seller refuses it as a missing field
