"""Request and response models of the customer API, one module per concern (as the routers)."""
