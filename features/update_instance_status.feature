@saas @updateInstanceStatus @period @ondemand @package
Feature: Freeze and unfreeze an instance (updateInstanceStatus)
  KooGallery freezes an instance when its period ends or the buyer broke the rules (FREEZE) and
  unfreezes it on renewal or when the violation is lifted (UNFREEZE). A frozen instance keeps its data.
  An instance the seller does not have is answered 000003. (spec saas-v2 §3.4)

  Scenario: An instance is frozen and unfrozen
    Given the seller created an instance for a yearly order
    When KooGallery freezes the instance
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the callback was updateInstanceStatus with status "FREEZE"
    When KooGallery unfreezes the instance
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And the callback was updateInstanceStatus with status "UNFREEZE"

  @probe
  Scenario: Freezing an instance the seller never created is answered 000003
    When KooGallery sends updateInstanceStatus about an instance the seller never created
    Then the seller answers that the instance does not exist

  @probe
  Scenario: A status change with a tampered signature is refused
    Given the seller created an instance for a yearly order
    When KooGallery sends updateInstanceStatus with a tampered signature
    Then the seller refuses it as a bad signature

  @probe
  Scenario: A status change without status is refused
    Given the seller created an instance for a yearly order
    When KooGallery sends updateInstanceStatus without the mandatory field "status"
    Then the seller refuses it as a missing field
