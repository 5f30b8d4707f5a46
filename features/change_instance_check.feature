@saas @changeInstanceCheck @changeCheck @optional @period
Feature: Check a renewal change (changeInstanceCheck)
  Before a buyer renews to another product, KooGallery asks the seller whether the instance may change:
  000000 allows it. productInfo is documented as an object; whether KooGallery sends it as an object or
  as a JSON string is uncertain, so a seller should accept both. An instance the seller does not have
  is answered 000003. (spec saas-v2 §3.7)

  Scenario Outline: productInfo as <form>
    Given the seller created an instance for a monthly order
    When KooGallery checks a renewal change of the instance with productInfo as <form>
    Then the seller accepts the callback
    And the answer follows every KooGallery rule

    Examples:
      | form      |
      | an object |
      | a string  |

  @probe
  Scenario: A check about an instance the seller never created is answered 000003
    When KooGallery sends changeInstanceCheck about an instance the seller never created
    Then the seller answers that the instance does not exist

  @probe
  Scenario: A check with a tampered signature is refused
    Given the seller created an instance for a monthly order
    When KooGallery sends changeInstanceCheck with a tampered signature
    Then the seller refuses it as a bad signature

  @probe
  Scenario: A check without productInfo is refused
    Given the seller created an instance for a monthly order
    When KooGallery sends changeInstanceCheck without the mandatory field "productInfo"
    Then the seller refuses it as a missing field
