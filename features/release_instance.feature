@saas @releaseInstance
Feature: Release an instance (releaseInstance)
  KooGallery releases an instance at the end of its freeze window, or when the buyer unsubscribes; an
  unsubscription names its order. Releasing an instance already released must succeed; one the seller
  never had is answered 000003. (spec saas-v2 §1, §3.5)

  @onetime
  Scenario: An unsubscription releases the instance with its order
    Given the seller created an instance for a one-time order
    When the buyer unsubscribes
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the callback carried the order

  @period
  Scenario: Releasing an instance again succeeds
    Given the seller created an instance for a yearly order
    And KooGallery released the instance
    When KooGallery releases the instance again
    Then the seller accepts the callback
    And releasing it again succeeded
    And the answer follows every KooGallery rule

  @probe
  Scenario: Releasing an instance the seller never created is answered 000003
    When KooGallery sends releaseInstance about an instance the seller never created
    Then the seller answers that the instance does not exist

  @probe @period
  Scenario: A release with a tampered signature is refused
    Given the seller created an instance for a yearly order
    When KooGallery sends releaseInstance with a tampered signature
    Then the seller refuses it as a bad signature
    And the instance is active

  @probe
  Scenario: A release without instanceId is refused
    When KooGallery sends releaseInstance without the mandatory field "instanceId"
    Then the seller refuses it as a missing field
