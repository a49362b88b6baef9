"""HTTP layer: routes validate and authorize, services decide."""
