"""cctrack: track a city's stated development targets against observed figures."""

__version__ = "0.2.0"
