@saas @dialTest @failure @exclusive
Feature: Scripted failures of dial tests
  KooGallery replays the seller's saved debug cases twice a day (拨测) while the product is on sale, and
  notifies the seller of each failure; five consecutive days of failures freeze and hide the product.
  Scripted so a developer can watch it with `koomock verify --tags @failure --step`. (spec saas-v2 §1)

  Scenario: A dial test failing on five days freezes the product
    Debug calls carry testFlag 1: the seller must answer them, quickly and without real work, for as
    long as the product is on sale; a production URL that stops answering them freezes the product.
    Given the seller's answer to a debug newInstance is saved as a debug case
    And the seller is unreachable for dialTest
    When 5 days pass
    Then the product is frozen
