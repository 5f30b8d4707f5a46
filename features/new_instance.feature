@saas @newInstance
Feature: Create an instance (newInstance)
  After a buyer pays, KooGallery calls the seller's production URL with activity newInstance,
  signed in the URL query. The seller creates the instance and answers 000000 with its instanceId
  (or 000004 while it is still creating it). KooGallery may send the same order again with a new
  businessId; the seller must answer with the same instanceId and never create a second instance.
  Callbacks that are not correctly signed, are older than 60 s, or lack a mandatory field must be
  refused. (spec saas-v2 §1, §2.2, §3.1)

  Scenario: A paid yearly order creates an instance
    When a buyer pays for a yearly order
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the seller created an instance for the order

  Scenario: A resend of the same order returns the same instance
    Given a buyer paid for a yearly order
    When KooGallery sends newInstance again for the order with a new businessId
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the seller returned the same instance as the first time

  Scenario: Two orders get two different instances
    Given a buyer paid for a yearly order
    When a buyer pays for a monthly order
    Then the answer follows every KooGallery rule
    And the two orders have different instances

  @probe
  Scenario: A callback with a tampered signature is refused
    When KooGallery sends newInstance with a tampered signature
    Then the seller refuses it as a bad signature
    And the answer follows every KooGallery rule

  @probe
  Scenario: A callback with a stale timestamp is refused
    When KooGallery sends newInstance with a timestamp 10 minutes old
    Then the seller refuses it as a stale timestamp
    And the answer follows every KooGallery rule

  @probe
  Scenario Outline: A callback without a mandatory field is refused
    When KooGallery sends newInstance without the mandatory field "<field>"
    Then the seller refuses it as a missing field
    And the answer follows every KooGallery rule

    Examples:
      | field       |
      | orderId     |
      | orderLineId |
      | businessId  |
