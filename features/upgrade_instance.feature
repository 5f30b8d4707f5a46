@saas @upgradeInstance @upgrade @optional @period
Feature: Upgrade an instance (upgradeInstance)
  An upgrade gives an instance a new specification under the same instanceId. The callback carries the
  upgrade order; the seller reads the new SKU from it with the order query. An instance the seller does
  not have is answered 000003. (spec saas-v2 §3.6)

  @needs-mock-addr
  Scenario: An instance is upgraded to another product
    Given the seller created an instance for a yearly order
    When the buyer upgrades the instance
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the callback carried the order
    And the seller looked the upgrade order up with a correctly signed order query

  @probe
  Scenario: Upgrading an instance the seller never created is answered 000003
    When KooGallery sends upgradeInstance about an instance the seller never created
    Then the seller answers that the instance does not exist

  @probe
  Scenario: An upgrade with a tampered signature is refused
    Given the seller created an instance for a yearly order
    When KooGallery sends upgradeInstance with a tampered signature
    Then the seller refuses it as a bad signature

  @probe
  Scenario: An upgrade without its order is refused
    Given the seller created an instance for a yearly order
    When KooGallery sends upgradeInstance without the mandatory field "orderId"
    Then the seller refuses it as a missing field
