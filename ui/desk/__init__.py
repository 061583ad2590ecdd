"""The front desk (前台): parcels, keys, lent items and the desk's handbook, a module each;
`page` puts them on one page."""
