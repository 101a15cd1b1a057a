"""The dashboard's pages, one builder each: a `PageRequest` in, the page's data out (the JSON
twin is that data; the HTML template lays it out). `routes.py` names each page's builder,
template and permission."""
