@saas @dialTest @exclusive
Feature: Debug cases and dial tests
  A passing exchange can be saved as a debug case (调试用例). While the product is on sale, KooGallery
  replays the saved cases against the production URL twice a day, with testFlag "1" (拨测); a case that
  fails on five consecutive days freezes the product. (spec saas-v2 §1)

  Scenario: A saved debug case is replayed twice a day
    Given the seller's answer to a debug newInstance is saved as a debug case
    When 1 day passes
    Then the debug case passed 2 dial tests
