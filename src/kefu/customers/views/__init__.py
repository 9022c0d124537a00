"""Customer archive pages — one module per concern, with the forms they parse: `archive` (the list,
a customer's page, create and edit, CUS-3 complete), `changes` (the CUS-4 queue and decisions),
`contacts` (CUS-1), `assignment` (CUS-7); `blocks` their building block. `customers/urls.py` maps
them. Other apps link to them by URL name (`customers:…`), never import them."""
