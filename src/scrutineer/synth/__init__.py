"""The synthetic authority generator: realistic children's journeys, no real child."""
